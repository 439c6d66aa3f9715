"""预约取号: book a half-day at the hall for a department's counter."""
from __future__ import annotations

import datetime as dt
from typing import Any
from dataclasses import dataclass
from kiosk.flows.base import Flow, FlowState, Step
from kiosk.flows.common import mask_phone, phone_problem
from kiosk import wording as W

WEEKDAYS = "一二三四五六日"
HALVES = (("am", "上午 9:00–12:00"), ("pm", "下午 13:30–17:00"))


def working_days(today: dt.date, count: int = 5) -> list[dt.date]:
    """The next `count` days the hall is open (Monday to Friday), starting tomorrow."""
    out, day = [], today
    while len(out) < count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            out.append(day)
    return out


def day_words(day: dt.date) -> str:
    return f"{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def appointment_payload(department: str, department_name: str, day: dt.date, half: str, phone: str,
                        terminal_id: str) -> dict[str, Any]:
    return {"department": department, "department_name": department_name, "date": day.isoformat(),
            "half_day": half, "phone": phone, "terminal_id": terminal_id}


# -- the 预约取号 flow ----------------------------------------------------------------------------


@dataclass
class AppointmentState(FlowState):
    department: str = ""
    day: str = ""
    half: str = ""
    phone: str = ""


class AppointmentFlow(Flow):
    """预约取号: department → day → half-day → phone → confirm."""

    name = "appointment"
    title = "预约取号"
    kind = "appointment"
    finish_words = W.SUBMIT
    State = AppointmentState
    choice_fields = ("department", "day", "half")

    def __init__(self, terminal, state, today: dt.date | None = None) -> None:
        super().__init__(terminal, state)
        self.today = today or dt.date.today()

    def steps(self) -> list[Step]:
        return [Step("department", "办哪个部门的事", "不知道选哪个？点上面的「呼叫帮办」问工作人员。"),
                Step("day", "哪天来"), Step("half", "上午还是下午"),
                Step("phone", "留个手机号", "预约好了会发短信提醒您。请输入11位手机号。"), Step("confirm", "看一遍，没问题就提交")]

    def departments(self) -> list[tuple[str, str]]:
        pack = self.terminal.library.pack
        used = {m.department for m in pack.matters}
        # the city prefix says nothing at a city terminal; the short forms (人社) are jargon to many
        return [(d.id, d.name.removeprefix("菏泽市")) for d in pack.departments.values() if d.id in used]

    def days(self) -> list[tuple[str, str]]:
        return [(d.isoformat(), day_words(d)) for d in working_days(self.today)]

    def check_department(self) -> str:
        return "" if self.state.department in dict(self.departments()) else "请点一下要办事的部门。"

    def check_day(self) -> str:
        return "" if self.state.day in dict(self.days()) else "请点一下哪天来。"

    def check_half(self) -> str:
        return "" if self.state.half in dict(HALVES) else "请点一下上午还是下午。"

    def check_phone(self) -> str:
        return phone_problem(self.state.phone)

    def payload(self) -> dict[str, Any]:
        s = self.state
        return appointment_payload(s.department, dict(self.departments()).get(s.department, ""),
                                   dt.date.fromisoformat(s.day), s.half, s.phone, self.setting("terminal", "id"))

    def receipt_note(self) -> str:
        return f"预约的结果会发短信到 {mask_phone(self.state.phone)}。来的时候请带上身份证。"
