"""好差评 (GB/T 39735-2020, 国办发〔2019〕51号): the five levels, the offline indicators, 差评 reasons,
the evaluation payload and the plain words that tell a citizen what happens next.

A 差评 (不满意 / 非常不满意) given under the citizen's real name must be called back (100%) and
rectified with feedback within `[evaluation] rectify_days` working days; anonymous 差评 are still
rectified, but nobody can call back without a phone number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.flows.common import mask_phone, valid_mobile

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
    if phone:
        return "" if valid_mobile(phone) else "手机号是 1开头的11位数字，请再看一下。"
    if real_name and is_bad(level):
        return "您是实名评价，我们一定要给您回电话。请留一个手机号。"
    return ""


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
