"""好差评 (GB/T 39735-2020, 国办发〔2019〕51号): the five levels, the offline indicators, 差评 reasons,
the evaluation payload and the plain words that tell a citizen what happens next.

A 差评 (不满意 / 非常不满意) given under the citizen's real name must be called back (100%) and
rectified with feedback within `[evaluation] rectify_days` working days; anonymous 差评 are still
rectified, but nobody can call back without a phone number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.flows.common import mask_phone
from kiosk.flows.common import phone_problem as _phone_problem
from kiosk.flows.base import Flow, FlowError, FlowState, Step
from common.kinds import KIND_NAMES
from kiosk import wording as W

STANDARD = "GB/T 39735-2020"

# (level, words) from best to worst, as the citizen sees them left to right
LEVELS: tuple[tuple[int, str], ...] = (
    (5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意"),
)
LEVEL_WORDS = dict(LEVELS)
BAD_LEVELS = (2, 1)   # 差评

# offline indicators: key -> words
INDICATORS: tuple[tuple[str, str], ...] = (
    ("overall", "整体满意度"), ("efficiency", "服务效率"), ("quality", "服务水平"), ("attitude", "服务态度"),
)

BAD_REASONS: tuple[tuple[str, str], ...] = (
    ("slow", "办事慢"), ("too_many_materials", "材料要求多"), ("attitude", "态度不好"),
    ("many_trips", "跑了好几次"), ("machine", "机器不好用"), ("other", "其他"),
)
REASON_WORDS = dict(BAD_REASONS)

ELDERLY_INDICATOR_ROWS = 2   # 长辈模式: bigger faces, two indicators a page
TARGETS, ELDERLY_TARGETS = 4, 2   # this visit's submissions offered for rating (bigger buttons: fewer)

HALL = "hall"        # this terminal and the hall's service
MATTER = "matter"    # a 办件 the citizen just submitted here


def is_bad(level: int) -> bool:
    """不满意 and 非常不满意 are 差评."""
    return level in BAD_LEVELS


@dataclass
class Evaluation:
    """What the citizen has chosen so far on the 好差评 screen."""

    target: str = HALL
    target_local_id: str = ""          # the receipt number when target == MATTER
    target_kind: str = ""
    level: int = 0                     # 0: not chosen yet
    indicators: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    phone: str = ""

    def choose_level(self, level: int) -> None:
        """The overall level; indicators not touched yet follow it."""
        if level not in LEVEL_WORDS:
            raise ValueError(f"level {level} is not one of 1..5")
        self.level = level
        for key, _ in INDICATORS:
            if key == "overall" or key not in self.indicators:
                self.indicators[key] = level
        if not is_bad(level):
            self.reasons.clear()

    def set_indicator(self, key: str, level: int) -> None:
        if key not in dict(INDICATORS) or level not in LEVEL_WORDS:
            raise ValueError(f"indicator {key}={level}")
        self.indicators[key] = level
        if key == "overall":
            self.level = level

    def toggle_reason(self, key: str) -> None:
        if key not in REASON_WORDS:
            raise ValueError(key)
        if key in self.reasons:
            self.reasons.remove(key)
        else:
            self.reasons.append(key)

    def clear(self) -> None:
        self.__init__()   # type: ignore[misc]  # back to a blank evaluation


def phone_problem(phone: str, real_name: bool, level: int) -> str:
    """Plain words when the call-back phone cannot be accepted; "" when it can."""
    if not phone and real_name and is_bad(level):
        return "您是实名评价，我们一定要给您回电话。请留一个手机号。"
    return _phone_problem(phone, required=False)


def build_payload(ev: Evaluation, *, real_name: bool, rectify_days: int, terminal_id: str = "",
                  terminal_name: str = "", elderly_mode: bool = False) -> dict[str, Any]:
    """The `evaluation` submission payload (GB/T 39735 terms). Raises ValueError when incomplete."""
    if ev.level not in LEVEL_WORDS:
        raise ValueError("no level chosen")
    problem = phone_problem(ev.phone, real_name, ev.level)
    if problem:
        raise ValueError(problem)
    bad = is_bad(ev.level)
    indicators = {key: ev.indicators.get(key, ev.level) for key, _ in INDICATORS}
    indicators["overall"] = ev.level
    target: dict[str, Any] = {"type": ev.target}
    if ev.target == MATTER:
        target.update({"local_id": ev.target_local_id, "kind": ev.target_kind})
    return {
        "standard": STANDARD,
        "channel": "terminal",                 # 评价渠道: 线下自助终端
        "target": target,
        "level": ev.level,
        "level_words": LEVEL_WORDS[ev.level],
        "bad": bad,
        "indicators": indicators,
        "reasons": list(ev.reasons) if bad else [],
        "real_name": bool(real_name),
        "callback_phone": ev.phone or None,
        "callback_required": bad and real_name,
        "rectify_within_working_days": int(rectify_days) if bad else None,
        "terminal_id": terminal_id,
        "terminal_name": terminal_name,
        "elderly_mode": bool(elderly_mode),
    }


def receipt_note(level: int, *, real_name: bool, phone: str, rectify_days: int) -> str:
    """What the receipt tells the citizen will happen next, in plain words."""
    if not is_bad(level):
        return "谢谢您的评价！您的意见会帮助我们把服务做得更好。"
    days = f"{rectify_days}个工作日内（周六、周日不算）"
    if phone:
        who = "您的实名差评" if real_name else "您的差评"
        return (f"{who}我们一定会处理：{days}，工作人员会打电话（{mask_phone(phone)}）"
                "告诉您怎么改、改好了没有。")
    return f"您的差评我们会认真整改，{days}改好。您没有留电话，所以不会给您回电话。"


# -- the 好差评 flow -------------------------------------------------------------------------------


@dataclass
class EvaluationState(Evaluation, FlowState):
    """The citizen's evaluation, kept in the session."""

    def clear(self) -> None:
        FlowState.clear(self)


class EvaluationFlow(Flow):
    """好差评: (what is rated) → five faces → the four indicators → (差评: reasons → call-back phone).

    The indicators step has pages in 长辈模式 (two bigger rows a page): `next()` and `back()` turn them
    before they change step, so a front end's 下一页 / 上一步 are the flow's own moves."""

    name = "evaluation"
    title = "好差评"
    kind = "evaluation"
    finish_words = W.SUBMIT
    branch_step = "level"       # a 差评 adds the reasons and the call-back number
    State = EvaluationState

    def __init__(self, terminal, state) -> None:
        super().__init__(terminal, state)
        self.page = 0     # the indicator page shown (where the citizen is, not what they said)

    def rateable_receipts(self) -> list[dict]:
        """This visit's submissions that can be rated, newest first (an evaluation is not itself rated)."""
        items = [r for r in self.terminal.session.receipts if r.get("local_id") and r.get("kind") != "evaluation"]
        return list(reversed(items))

    def steps(self) -> list[Step]:
        steps = [Step("target", "您想给什么打分？", "点一下要评价的那一项。")] if self.rateable_receipts() else []
        pages = len(self.indicator_pages())
        paged = f"（第{self._page(pages) + 1}页，共{pages}页）" if pages > 1 else ""
        steps += [Step("level", "您对这次服务满意吗？", self.target_words() + "点一下最像您心情的那张脸。"),
                  Step("indicators", "再细说说：这几方面怎么样？",
                       "已经按您刚才选的填好了。哪一项感觉不一样，就点那一项的脸。" + paged)]
        if is_bad(self.state.level):
            steps += [Step("reasons", "哪里让您不满意？", "可以点好几个，点过的会打上勾；再点一下就取消。不选也可以。"),
                      Step("phone", *self._phone_words())]
        return steps

    def _phone_words(self) -> tuple[str, str]:
        days = self.rectify_days
        if self.phone_required:
            return ("请留一个手机号",
                    f"您是实名评价：{days}个工作日内（周六、周日不算），工作人员一定会打电话告诉您怎么改。")
        return ("要我们给您回电话吗？",
                f"留下手机号，{days}个工作日内（周六、周日不算）工作人员打电话告诉您怎么改。不留也可以。")

    @property
    def real_name(self) -> bool:
        return self.terminal.session.identified

    @property
    def rectify_days(self) -> int:
        return self.terminal.settings.getint("evaluation", "rectify_days")

    @property
    def elderly(self) -> bool:
        """长辈模式 (the session's choice, else the terminal's default): bigger buttons, fewer a page."""
        chosen = self.terminal.session.elderly
        return self.terminal.settings.getbool("ui", "elderly_default") if chosen is None else bool(chosen)

    @property
    def phone_required(self) -> bool:
        return self.real_name and is_bad(self.state.level)

    def target_words(self) -> str:
        s = self.state
        if s.target == MATTER:
            return f"您评价的是：{_matter_words(s.target_kind, s.target_local_id)}。"
        return "您评价的是：这台机器和大厅的服务。"

    def target_choices(self) -> list[tuple[str, str]]:
        """(key, words) of what can be rated: the hall, then this visit's submissions by receipt number
        (two of them in 长辈模式, where the buttons are bigger; four otherwise)."""
        shown = self.rateable_receipts()[:ELDERLY_TARGETS if self.elderly else TARGETS]
        return [(HALL, "这台机器和大厅的服务")] + [(r["local_id"], _matter_words(r["kind"], r["local_id"]))
                                                  for r in shown]

    # -- the indicator pages --------------------------------------------------------------------
    def indicator_pages(self) -> list[tuple[tuple[str, str], ...]]:
        """The indicators as pages of (key, words): all on one page, two a page in 长辈模式."""
        per = ELDERLY_INDICATOR_ROWS if self.elderly else len(INDICATORS)
        return [INDICATORS[i:i + per] for i in range(0, len(INDICATORS), per)]

    def _page(self, pages: int) -> int:
        self.page = max(0, min(self.page, pages - 1))   # 长辈模式 switched off on a later page
        return self.page

    def indicators_shown(self) -> tuple[tuple[str, str], ...]:
        """The (key, words) of the indicators on the page shown now."""
        pages = self.indicator_pages()
        return pages[self._page(len(pages))]

    @property
    def more_indicators(self) -> bool:
        """On the indicators step with a page still to come (the front end says 下一页)."""
        if self.step.key != "indicators":
            return False
        pages = len(self.indicator_pages())
        return self._page(pages) < pages - 1

    @property
    def is_last(self) -> bool:
        return super().is_last and not self.more_indicators

    def next(self) -> bool:
        """The next indicator page, else the next step."""
        if self.more_indicators:
            self.page += 1
            return True
        return super().next()

    def back(self) -> bool:
        """The previous indicator page, else the previous step."""
        if self.step.key == "indicators" and self._page(len(self.indicator_pages())) > 0:
            self.page -= 1
            return True
        return super().back()

    def go_to(self, key: str) -> None:
        """Show step `key` (the indicators from their first page)."""
        super().go_to(key)
        self.page = 0

    # -- the citizen's taps ---------------------------------------------------------------------
    def choose_target(self, choice: str | dict | None) -> None:
        """The hall (HALL or None), or one of this visit's submissions (its receipt or local number)."""
        s = self.state
        if isinstance(choice, str) and choice != HALL:
            choice = next((r for r in self.rateable_receipts() if r["local_id"] == choice), None)
            if choice is None:
                raise FlowError("这一项不能评价。")
        if choice is None or choice == HALL:
            s.target, s.target_local_id, s.target_kind = HALL, "", ""
        else:
            s.target, s.target_local_id, s.target_kind = MATTER, choice["local_id"], choice["kind"]
        self.go_to("level")

    def choose_level(self, level: int) -> None:
        """A face was tapped: the level, then the indicators from their first page."""
        self.state.choose_level(level)
        self.go_to("indicators")

    def set_indicator(self, key: str, level: int) -> None:
        """A face in an indicator's row."""
        self.state.set_indicator(key, level)

    def toggle_reason(self, key: str) -> None:
        """A 差评 reason tapped: chosen, or no longer."""
        self.state.toggle_reason(key)

    # -- checks ---------------------------------------------------------------------------------
    def check_level(self) -> str:
        return "" if self.state.level in LEVEL_WORDS else "请点一下最像您心情的那张脸。"

    def check_phone(self) -> str:
        return phone_problem(self.state.phone, self.real_name, self.state.level)

    # -- submitting -----------------------------------------------------------------------------
    def restart(self) -> None:
        super().restart()
        self.page = 0

    def payload(self) -> dict[str, Any]:
        if not is_bad(self.state.level):
            self.state.phone = ""
        return build_payload(self.state, real_name=self.real_name, rectify_days=self.rectify_days,
                             terminal_id=self.setting("terminal", "id"),
                             terminal_name=self.setting("terminal", "name"),
                             elderly_mode=bool(self.terminal.session.elderly))

    def receipt_note(self) -> str:
        return receipt_note(self.state.level, real_name=self.real_name, phone=self.state.phone,
                            rectify_days=self.rectify_days)


def _matter_words(kind: str, local_id: str) -> str:
    return f"刚才办的{KIND_NAMES.get(kind, '事')}（{local_id}）"
