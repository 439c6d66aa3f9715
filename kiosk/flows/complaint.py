"""吐槽找茬 / 办不成事: what went wrong, where, and (optionally) how to reach the citizen.

No free text is needed (a touchscreen without a keyboard): the problem is one big button. Anonymous
complaints are allowed; an identified citizen may still choose not to give their name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.flows.common import mask_phone
from kiosk.flows.common import phone_problem as _phone_problem
from kiosk.flows.base import Flow, FlowError, FlowState, Step
from kiosk import wording as W

PROBLEMS: tuple[tuple[str, str], ...] = (
    ("cannot_do", "办不成事"), ("many_trips", "来回跑"), ("long_wait", "等太久"),
    ("attitude", "态度不好"), ("unreasonable_materials", "要的材料不合理"), ("other", "其他"),
)
PROBLEM_WORDS = dict(PROBLEMS)

MAX_NOTE = 200          # characters of the optional note

THIS_HALL = "this_hall"
ELSEWHERE = "elsewhere"
PLACES: tuple[tuple[str, str], ...] = ((THIS_HALL, "就在这个大厅"), (ELSEWHERE, "在别的地方"))
PLACE_WORDS = dict(PLACES)

NAMED, ANONYMOUS = "named", "anonymous"
NAME_CHOICES: tuple[tuple[str, str], ...] = ((NAMED, "写上我的名字"), (ANONYMOUS, "不写名字（匿名）"))


@dataclass
class Complaint:
    problem: str = ""
    place: str = ""
    phone: str = ""
    anonymous: bool | None = None   # None: not asked yet (asked only of identified citizens)
    note: str = ""          # optional words typed on the pinyin keyboard

    def clear(self) -> None:
        self.__init__()   # type: ignore[misc]


def phone_problem(phone: str) -> str:
    """Plain words when the phone cannot be accepted; "" when it can (leaving none is fine)."""
    return _phone_problem(phone, required=False)


def build_payload(c: Complaint, *, terminal_id: str = "", terminal_name: str = "", region_code: str = "",
                  elderly_mode: bool = False) -> dict[str, Any]:
    """The `complaint` submission payload. Raises ValueError when incomplete.

    An anonymous complaint carries `"applicant": None`, which keeps kiosk.submit from adding the
    identified citizen's name.
    """
    if c.problem not in PROBLEM_WORDS:
        raise ValueError("no problem chosen")
    if c.place not in PLACE_WORDS:
        raise ValueError("no place chosen")
    problem = phone_problem(c.phone)
    if problem:
        raise ValueError(problem)
    payload: dict[str, Any] = {
        "category": "办不成事" if c.problem == "cannot_do" else "吐槽找茬",
        "problem": c.problem,
        "problem_words": PROBLEM_WORDS[c.problem],
        "place": c.place,
        "place_words": PLACE_WORDS[c.place],
        "hall": terminal_name if c.place == THIS_HALL else "",
        "contact_phone": c.phone or None,
        "anonymous": bool(c.anonymous),
        "note": c.note.strip()[:MAX_NOTE] or None,
        "terminal_id": terminal_id,
        "terminal_name": terminal_name,
        "region_code": region_code,
        "elderly_mode": bool(elderly_mode),
    }
    if c.anonymous:
        payload["applicant"] = None
    return payload


def receipt_note(c: Complaint, help_phone: str = "12345") -> str:
    """What the receipt tells the citizen will happen next."""
    if c.phone:
        reach = f"处理结果会打电话（{mask_phone(c.phone)}）告诉您。"
    else:
        reach = "您没有留电话，不会有人打给您。"
    return ("我们已经记下了，会有专人跟进处理。" + reach
            + "想知道办到哪一步，请记下上面的回执号，到首页「办件查询」里查，或拨打 " + help_phone + "。")


# -- the 吐槽找茬 flow -----------------------------------------------------------------------------

NOTE_STEP = Step("note", "想多说几句吗？", f"用拼音打字，再点上面出来的字。不想打字就点「{W.BACK}」。")
CHANGE = "改一下"          # the review's button beside each answer: back to the step that asked it
REVIEW_STEP = Step("review", "看一遍，没问题就提交",
                   f"要改哪一项，就点它旁边的「{CHANGE}」。没问题就点「{W.SUBMIT}」。")


@dataclass(frozen=True)
class ReviewItem:
    """One line of the review: which step asked it (`step`, for 改一下), what it is, what will be sent."""
    step: str
    label: str
    words: str

    @property
    def line(self) -> str:
        return f"{self.label}：{self.words}"


@dataclass
class ComplaintState(Complaint, FlowState):
    """The citizen's complaint, kept in the session."""

    def clear(self) -> None:
        FlowState.clear(self)


class ComplaintFlow(Flow):
    """吐槽找茬: what went wrong → where → (identified: with the name or not) → a phone if they like →
    看一遍 (the review: everything that will be sent, each with 改一下). Nothing is sent before the review.

    An optional note typed on the pinyin keyboard is edited from the contact step: `open_note()` shows
    the note page (`step` is NOTE_STEP while it is open) and `keep_note()` / `drop_note()` return to the
    contact step. The note page is not counted as a step of its own.

    `change(key)` (改一下 on the review) shows step `key`; the answer given there returns to the review."""

    name = "complaint"
    title = "吐槽找茬"
    kind = "complaint"
    State = ComplaintState

    def __init__(self, terminal, state) -> None:
        super().__init__(terminal, state)
        self.noting = False    # the note page is open (where the citizen is, not what they typed)
        self.changing = False  # came from the review by 改一下: an answer returns there

    def steps(self) -> list[Step]:
        chosen = PROBLEM_WORDS.get(self.state.problem)
        steps = [Step("problem", "遇到什么问题了？", "点一下最像您遇到的情况。您说的话我们会认真听，也可以不留名字。"),
                 Step("place", "在哪里遇到的？", f"您选的是：{chosen}。" if chosen else "")]
        if self.terminal.session.identified:
            steps.append(Step("name", "要写上您的名字吗？", "不写名字也一样会处理；写上名字，处理结果更好告诉您。"))
        return steps + [Step("contact", "要留个电话吗？", "留下手机号，处理结果打电话告诉您。不留也可以，一样会处理。"),
                        REVIEW_STEP]

    @property
    def step(self) -> Step:
        step = super().step
        return NOTE_STEP if self.noting and step.key == "contact" else step

    def go_to(self, key: str) -> None:
        """Show step `key`; "note" opens the note page of the contact step."""
        if key == NOTE_STEP.key:
            self.open_note()
            return
        super().go_to(key)
        self.noting = False
        if key == REVIEW_STEP.key:
            self.changing = False

    def next(self) -> bool:
        """On to the next step (the note page is left by 确定 or 上一步 only)."""
        if self.noting:
            return False
        moved = super().next()
        if moved and self.step.key == REVIEW_STEP.key:
            self.changing = False
        return moved

    def change(self, key: str) -> None:
        """改一下 on the review: show step `key` ("note": the note page); its answer returns to the review."""
        self.go_to(key)
        self.changing = True

    def _answered(self) -> None:
        """An answer was given: on to the review when it came from there, else to the next step."""
        if self.changing:
            self.go_to(REVIEW_STEP.key)
        else:
            self.next()

    def back(self) -> bool:
        """From the note page back to the contact step (the note as it was), else one step back."""
        if self.noting:
            self.noting = False
            return True
        return super().back()

    # -- the citizen's taps ---------------------------------------------------------------------
    def choose_problem(self, key: str) -> None:
        """What went wrong; then where."""
        if key not in PROBLEM_WORDS:
            raise ValueError(key)
        self.state.problem = key
        self._answered()

    def choose_place(self, key: str) -> None:
        """Where; then the name question (identified citizens) or the contact step."""
        if key not in PLACE_WORDS:
            raise ValueError(key)
        self.state.place = key
        self._answered()

    def name_choice(self) -> str:
        """The NAME_CHOICES key chosen so far ("" when not asked yet)."""
        if self.state.anonymous is None:
            return ""
        return ANONYMOUS if self.state.anonymous else NAMED

    def choose_name(self, anonymous: bool | str) -> None:
        """With the name (False / NAMED) or without it (True / ANONYMOUS); then the contact step."""
        if isinstance(anonymous, str):
            if anonymous not in dict(NAME_CHOICES):
                raise ValueError(anonymous)
            anonymous = anonymous == ANONYMOUS
        self.state.anonymous = anonymous
        self._answered()

    def set_note(self, text: str) -> None:
        """The optional note (at most MAX_NOTE characters), remembered for log redaction."""
        self.state.note = (text or "").strip()[:MAX_NOTE]
        if self.state.note:
            self.terminal.session.remember_personal(self.state.note)

    # -- the note page --------------------------------------------------------------------------
    def open_note(self) -> None:
        """多说几句 / 改说明: the note page over the contact step."""
        super().go_to("contact")
        self.noting = True

    def keep_note(self, text: str) -> None:
        """确定 (confirm): keep `text` as the note and return to the contact step."""
        self.set_note(text)
        self.noting = False
        if self.changing:
            self.go_to(REVIEW_STEP.key)

    def drop_note(self) -> None:
        """上一步 on the note page: no note after all; back to the contact step."""
        self.state.note = ""
        self.noting = False
        if self.changing:
            self.go_to(REVIEW_STEP.key)

    # -- checks ---------------------------------------------------------------------------------
    def check_problem(self) -> str:
        return "" if self.state.problem in PROBLEM_WORDS else "请点一下遇到了什么问题。"

    def check_place(self) -> str:
        return "" if self.state.place in PLACE_WORDS else "请点一下在哪里遇到的。"

    def check_contact(self) -> str:
        return phone_problem(self.state.phone)

    # -- the review ---------------------------------------------------------------------------
    def review_items(self) -> list[ReviewItem]:
        """What will be sent, in plain words, each with the step that asked it (the phone masked)."""
        state = self.state
        items = [ReviewItem("problem", "遇到的问题", PROBLEM_WORDS.get(state.problem, "还没选")),
                 ReviewItem("place", "在哪里", PLACE_WORDS.get(state.place, "还没选"))]
        if self.terminal.session.identified:
            items.append(ReviewItem("name", "名字", "不写名字（匿名）" if state.anonymous else "写上您的名字"))
        note = state.note.strip()
        reply = (f"要，处理结果打电话到 {mask_phone(state.phone)} 告诉您" if state.phone
                 else "不用（没有留电话，不会有人打给您）")
        return items + [ReviewItem(NOTE_STEP.key, "您多说的话", f"“{note}”" if note else "没有多说"),
                        ReviewItem("contact", "回电话", reply)]

    def review_words(self) -> str:
        """The review read aloud: every line of it."""
        return "".join(item.line + "。" for item in self.review_items())

    # -- submitting -----------------------------------------------------------------------------
    def submit(self) -> str:
        """Send, only from the review (what is sent has been seen); anywhere else, show the review."""
        if self.step.key != REVIEW_STEP.key:
            self.go_to(REVIEW_STEP.key)
            raise FlowError("请先看一遍，没问题再点「" + W.SUBMIT + "」。")
        return super().submit()

    def restart(self) -> None:
        super().restart()
        self.noting = False
        self.changing = False

    def payload(self) -> dict[str, Any]:
        if not self.terminal.session.identified:
            self.state.anonymous = True
        return build_payload(self.state, terminal_id=self.setting("terminal", "id"),
                             terminal_name=self.setting("terminal", "name"),
                             region_code=self.setting("terminal", "region_code"),
                             elderly_mode=bool(self.terminal.session.elderly))

    def receipt_note(self) -> str:
        return receipt_note(self.state, self.setting("terminal", "help_phone"))
