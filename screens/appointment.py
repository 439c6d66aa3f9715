"""预约取号: which counter, which day, morning or afternoon, a phone number for the reminder."""
from __future__ import annotations

import datetime as dt

from kivy.properties import StringProperty

from kiosk.flows.appointment import HALVES, appointment_payload, day_words, working_days
from kiosk.flows.common import mask_phone
from screens.widgets.flow import FlowScreen


class AppointmentScreen(FlowScreen):
    department = StringProperty("")
    day = StringProperty("")
    half = StringProperty("")
    phone = StringProperty("")

    def prepare(self, **_kwargs) -> None:
        self.title = "预约取号"
        self.finish_text = "确认预约"
        self.department = self.day = self.half = self.phone = ""
        self.show_step(0)

    def clear_personal(self) -> None:
        self.phone = ""
        self.ids.body.clear_widgets()

    def departments(self) -> list[tuple[str, str]]:
        from screens.widgets.guide_widgets import guide_library
        pack = guide_library().pack
        used = {m.department for m in pack.matters}
        # the city prefix says nothing at a city terminal; the short forms (人社) are jargon to many
        return [(d.id, d.name.removeprefix("菏泽市")) for d in pack.departments.values() if d.id in used]

    def days(self) -> list[tuple[str, str]]:
        return [(d.isoformat(), day_words(d)) for d in working_days(dt.date.today())]

    def steps(self):
        return [("办哪个部门的事", self._department), ("哪天来", self._day), ("上午还是下午", self._half),
                ("留个手机号", self._phone), ("确认预约", self._confirm)]

    def _department(self):
        self.hint = "不知道选哪个？点上面的「呼叫帮办」问工作人员。"
        self.can_next = bool(self.department)
        self.add_choices(self.departments(), self.department or None, lambda k: self.pick("department", k))

    def _day(self):
        self.can_next = self.day in dict(self.days())
        self.add_choices(self.days(), self.day or None, lambda k: self.pick("day", k))

    def _half(self):
        self.can_next = bool(self.half)
        self.add_choices(list(HALVES), self.half or None, lambda k: self.pick("half", k))

    def _phone(self):
        self.phone_step("预约好了会发短信提醒您。请输入 11 位手机号。")

    def _confirm(self):
        self.add_text("部门：" + dict(self.departments()).get(self.department, ""), big=True)
        self.add_text("时间：" + dict(self.days()).get(self.day, "") + " " + dict(HALVES).get(self.half, ""))
        self.add_text("手机号：" + mask_phone(self.phone))
        self.add_text("到了大厅，在取号机上刷身份证就能取到号，不用再排队等号。", muted=True)

    def finish(self) -> None:
        payload = appointment_payload(self.department, dict(self.departments()).get(self.department, ""),
                                      dt.date.fromisoformat(self.day), self.half, self.phone,
                                      self.app.settings.get("terminal", "id"))
        self.app.submit("appointment", payload,
                        note=f"预约的结果会发短信到 {mask_phone(self.phone)}。来的时候请带上身份证。")

    @classmethod
    def tour_states(cls, app):
        def state(step, **values):
            def go(app):
                app.go("appointment")
                screen = app.sm.get_screen("appointment")
                for key, value in values.items():
                    setattr(screen, key, value(screen) if callable(value) else value)
                screen.show_step(step)
            return go
        return [("", state(0)), ("-day", state(1, department=lambda s: s.departments()[0][0])),
                ("-confirm", state(4, department=lambda s: s.departments()[0][0], day=lambda s: s.days()[0][0],
                                   half="am", phone="13905301234"))]
