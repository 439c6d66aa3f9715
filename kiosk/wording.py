"""The one wording list: every screen and flow takes its button words from here.

One word for each role, so that a citizen who learned a button on one screen finds it again on the
next one (issue 15). The screens import the names (`from kiosk import wording as W`, in kv files
`#:import W kiosk.wording`); tests/unit/test_wording.py fails when a source file spells a role word
itself or uses one of the old variants in `BANNED`.

Two kinds of back, never mixed up:
- `BACK` (上一步) goes one step back inside a flow or a page of questions;
- `LEAVE` (返回) leaves the screen for the one before it (only the top bar has it).
"""
from __future__ import annotations

BACK = "上一步"            # one step back inside a flow
NEXT = "下一步"            # one step on inside a flow
LEAVE = "返回"             # leave this screen (top bar)
HOME = "首页"              # the home screen with the service tiles
FINISH = "办完了，退出"     # end the visit: everything personal is wiped
SUBMIT = "提交"            # send what the citizen filled in
CONFIRM = "确定"           # accept what is on the screen (a PIN, a written note)
DELETE = "删除"            # remove the last character or digit
CLEAR = "清空"             # remove everything typed
PAGE_PREV = "上一页"        # the previous page of a long list
PAGE_NEXT = "下一页"        # the next page of a long list
START = "点这里开始"        # the attract screen's way in (Enter there with the keypad)
CALL_HELP = "呼叫帮办"      # staff are called
PRINT = "打印"             # print on paper

# role → word, for the docs, the accessibility announcer and the test
ROLES = {"back": BACK, "next": NEXT, "leave": LEAVE, "home": HOME, "finish": FINISH, "submit": SUBMIT,
         "confirm": CONFIRM, "delete": DELETE, "clear": CLEAR, "page_prev": PAGE_PREV,
         "page_next": PAGE_NEXT, "start": START, "call_help": CALL_HELP, "print": PRINT}

# old variants a citizen met for the same role; none may appear in what the screens show (regex → why)
BANNED = {
    r"(?<!一)上页|(?<!一)下页": "page: 上一页 / 下一页",
    r"删一个": "delete: 删除",
    r"不说了": "back: 上一步",
    r"写好了": "confirm: 确定",
    r"确认提交|提交评价|确认下单|确认预约": "submit: 提交",
    r"回到首页|继续办别的事": "home: 首页",
    r"你(?!们)": "address the citizen as 您",
}

# words citizens do not use (the plain words to say instead); nothing a citizen sees may contain them
JARGON = {
    "电子证照可替代": "可以不带：机器能查到",
    "已自动调取电子证照": "机器已经查到这份证件",
    "刷新居民码": "在手机上重新打开居民码",
    "A–Z": "按拼音",
    "sfz": "身份证 (a typed example, not a word)",
    "HZ开头": "回执号前面的字母不用按",
    "ConnectionError": "连不上",
    "device:": "the device's name (kiosk/diagnostics_words.py)",
}

# 办件查询: the platform's status codes in plain words (≤ 5 characters, they stand in a narrow column),
# each with the official term the screen shows small beside it
STATUS_PLAIN = {
    "received": ("已收到申请", "已收到"),
    "accepted": ("开始办理", "已受理"),
    "processing": ("正在办理", "办理中"),
    "reviewing": ("正在审核", "审核中"),
    "approved": ("材料没问题", "审核通过"),
    "rejected": ("没有通过", "未通过"),
    "returned": ("要补材料", "退回补正"),
    "supplement": ("要补材料", "补正材料"),
    "completed": ("办好了", "已办结"),
    "closed": ("办好了", "已办结"),
    "replied": ("已经答复", "已答复"),
    "rectifying": ("正在改正", "整改中"),
    "rectified": ("已经改好", "已整改"),
    "called_back": ("已回电话", "已回访"),
    "delivered": ("已经送到", "已送达"),
    "mailed": ("已经寄出", "已寄出"),
    "not_accepted": ("没有收下", "不予受理"),
}


def status_words(code: str, fallback: str = "") -> tuple[str, str]:
    """(plain words, official term) for a tracking status code; unknown codes show `fallback` plainly."""
    return STATUS_PLAIN.get(code, (fallback or "正在办理", ""))
