"""无障碍 navigation by keypad and voice: the keymap and the spoken words, without Kivy.

A blind citizen plugs headphones into the terminal and uses its numeric keypad (or a USB one). The
screens' focus ring (screens/widgets/focus_ring.py) moves through every control in reading order and
the Terminal's Voice reads each one aloud: its words, what it is, and whether it can be pressed now.

| key | does |
|---|---|
| 2, 6, +, ↓, →, Tab | next control |
| 8, 4, -, ↑, ← | previous control |
| Enter, 5 | press the control |
| Backspace, / | back: 上一步 where the screen has it, else 返回 |
| 0 | say it again: where am I, which control |
| * | help: these keys |
| . | read the whole screen |

In a number field (the on-screen keypad of a phone or 办件 number step) the keypad is a real terminal
keypad: the digits 0-9 TYPE (each read back with the count, "7。已输入7位，还差4位。"), Backspace deletes
the last digit, Enter confirms (下一步); only +, -, the arrows and Tab move, and they leave the field.
/ is still back, * help, . read the screen.

The same keys work with NumLock on or off (then the pad sends arrows, Insert and Delete). Keys with
Ctrl/Alt/Meta never navigate (the kiosk lock handles those). A burst of keys faster than a person can
type is a keyboard-wedge QR scanner, not a person: `KeyFilter` ignores it.
"""
from __future__ import annotations

NEXT, PREV, ACTIVATE, BACK, REPEAT, HELP, READ_ALL = "next", "prev", "activate", "back", "repeat", "help", "read_all"
DELETE = "delete"
TYPE = "type:"          # + the digit: "type:7" (only in a number field)

# Kivy (SDL) keycodes: main-row digits 48-57, keypad 256-271, arrows 273-276
KEYMAP: dict[int, str] = {
    50: NEXT, 54: NEXT, 258: NEXT, 262: NEXT, 270: NEXT, 43: NEXT, 274: NEXT, 275: NEXT, 9: NEXT,
    56: PREV, 52: PREV, 264: PREV, 260: PREV, 269: PREV, 45: PREV, 273: PREV, 276: PREV,
    13: ACTIVATE, 271: ACTIVATE, 53: ACTIVATE, 261: ACTIVATE,
    8: BACK, 47: BACK, 267: BACK,
    48: REPEAT, 256: REPEAT, 277: REPEAT,            # 0, keypad 0, keypad 0 without NumLock (Insert)
    42: HELP, 268: HELP,
    46: READ_ALL, 266: READ_ALL, 127: READ_ALL,      # ., keypad ., keypad . without NumLock (Delete)
}
# characters a keyboard layout may send with Shift (+ and * on the main row)
CODEPOINTS: dict[str, str] = {"+": NEXT, "-": PREV, "*": HELP, "/": BACK, ".": READ_ALL}
# in a number field: main-row digits 48-57 and keypad digits 256-265 type; these keys still move
DIGIT_KEYS: dict[int, str] = {**{48 + d: str(d) for d in range(10)}, **{256 + d: str(d) for d in range(10)}}
ENTRY_MOVES = {43: NEXT, 270: NEXT, 274: NEXT, 275: NEXT, 9: NEXT, 45: PREV, 269: PREV, 273: PREV, 276: PREV}
CHORD_MODIFIERS = {"ctrl", "alt", "meta", "super", "lctrl", "rctrl", "lalt", "ralt", "lmeta", "rmeta"}

ENTRY_HELP_TEXT = ("在输入号码：按数字键输入，按退格键删一位，按回车键确认；"
                   "按加号或减号，离开输入框；按斜杠，回到上一步；按小数点，读整个页面。")
FIELD_NAMES = {"phone": "手机号", "id": "身份证号"}
HELP_TEXT = ("按键说明：按2或加号，到下一个；按8或减号，到上一个；按回车键或5，按下去；"
             "按退格键或斜杠，回到上一步；按0，再听一遍；按星号，听按键说明；按小数点，读整个页面。")
ATTRACT_TEXT = "欢迎使用菏心意政务服务自助终端。请按回车键开始。要听按键说明，请按星号键。"
WIPED_TEXT = "办理结束，您的信息已经清除。"
NOTHING_TEXT = "这一页没有可以按的地方。请按退格键回去，或者按星号听说明。"
NO_BACK_TEXT = "这里没有上一步。"
ROLE_BUTTON = "按钮"
ROLE_KEY = "键"
DISABLED = "不可用"


def action_for(key: int, codepoint: str | None = None, modifiers=(), entry: bool = False) -> str | None:
    """The navigation action of a key, or None when the key is not one of ours. In a number field
    (`entry`) the digits type ("type:7"), Backspace deletes and only +/-/arrows/Tab move."""
    if CHORD_MODIFIERS & set(modifiers or ()):
        return None
    if entry:
        if key in DIGIT_KEYS or (codepoint or "") in DIGIT_KEYS.values() and key not in KEYMAP:
            return TYPE + DIGIT_KEYS.get(key, codepoint or "")
        if key == 8:
            return DELETE
        if key in ENTRY_MOVES:
            return ENTRY_MOVES[key]
    action = KEYMAP.get(key)
    if action is None and codepoint:
        action = CODEPOINTS.get(codepoint)
    return action


def describe(words: str, role: str = ROLE_BUTTON, disabled: bool = False, reason: str = "") -> str:
    """What is read for one control: "下一步，按钮，不可用，手机号是11位，还差4位。"."""
    parts = [" ".join(words.split()) or "没有文字", role]
    if disabled:
        parts.append(DISABLED)
        if reason:
            parts.append(reason.rstrip("。") + "。")
    text = "，".join(parts)
    return text if text.endswith("。") else text + "。"


def spell_digits(value: str) -> str:
    """Digits read one by one ("1 3 8"), so that espeak does not read 138 as a hundred and thirty-eight."""
    return " ".join(value)


def typed_words(value: str, secret: bool = False) -> str:
    """What is read after a keypad key: the digits so far (a PIN only as a count)."""
    if not value:
        return "已清空。"
    if secret:
        return f"已输入{len(value)}位。"
    return f"已输入{len(value)}位：{spell_digits(value)}。"


def field_name(kind: str, named: str = "") -> str:
    """What a number field asks for, in plain words: 手机号, 身份证号, else 号码 (or the field's own name)."""
    return named or FIELD_NAMES.get(kind, "号码")


def entry_mode_words(name: str) -> str:
    """Said when the focus comes into a number field."""
    return f"请用数字键输入{name}，按回车确认。"


def entry_words(value: str, max_len: int, digit: str = "", secret: bool = False, exact: bool = True) -> str:
    """Read after a digit was typed or deleted: the digit (never a PIN's), then how many so far and,
    where the length is fixed (`exact`), how many are still missing: "7。已输入7位，还差4位。"."""
    head = f"{digit}。" if digit and not secret else ""
    if not value:
        return head + "已清空。"
    left = max_len - len(value)
    if not exact:
        return head + f"已输入{len(value)}位。"
    tail = f"还差{left}位。" if left > 0 else "输完了，按回车确认。"
    return head + f"已输入{len(value)}位，{tail}"


def deleted_words(value: str, max_len: int, removed: str, secret: bool = False, exact: bool = True) -> str:
    """Read after Backspace: which digit went (never a PIN's), then the count."""
    if not removed:
        return "没有可以删的了。"
    what = "删掉一位。" if secret else f"删掉了{removed}。"
    return what + entry_words(value, max_len, secret=secret, exact=exact)


class KeyFilter:
    """Tells a person's key presses from a keyboard-wedge scanner's burst by timing alone (as
    devices/scanner/hid.py does): keys closer together than `max_interval` are a burst."""

    def __init__(self, max_interval: float = 0.035) -> None:
        self.max_interval = max_interval
        self._last: float | None = None

    def person(self, now: float) -> bool:
        """Feed one key's time; False while the keys come faster than a person types."""
        last, self._last = self._last, now
        return last is None or now - last > self.max_interval
