"""预约取号: which counter, which day, morning or afternoon, a phone number for the reminder.

The steps, checks and payload are kiosk/flows/appointment.py (AppointmentFlow); this screen shows them.
"""
from __future__ import annotations

from kiosk import wording as W
from kiosk.flows.appointment import HALVES
from kiosk.flows.common import mask_phone
from screens.widgets.step_screen import StepScreen


class AppointmentScreen(StepScreen):
    """预约取号, one step at a time."""

    flow_name = "appointment"

    def _choice_step(self, body, field: str, choices) -> None:
        flow = self.flow
        self.add_choices(body, choices, getattr(flow.state, field) or None,
                         self.chose(lambda k: flow.choose(field, k)))

    def build_department(self, body) -> None:
        self._choice_step(body, "department", self.flow.departments())

    def build_day(self, body) -> None:
        self._choice_step(body, "day", self.flow.days())

    def build_half(self, body) -> None:
        self._choice_step(body, "half", list(HALVES))

    def build_phone(self, body) -> None:
        self.add_keypad(body, self.flow.state.phone, self.flow.set_phone)

    def build_confirm(self, body) -> None:
        flow = self.flow
        state = flow.state
        self.add_text(body, "部门：" + dict(flow.departments()).get(state.department, ""), big=True)
        self.add_text(body, "时间：" + dict(flow.days()).get(state.day, "") + " " + dict(HALVES).get(state.half, ""))
        self.add_text(body, "手机号：" + mask_phone(state.phone))
        self.add_text(body, "到了大厅，在取号机上刷身份证就能取到号，不用再排队等号。", muted=True)

    @classmethod
    def tour_states(cls, app):
        def keypad_focus(app):
            """无障碍: a blind citizen on the phone step with 7 digits, the focus frame on the greyed 下一步."""
            app.go("appointment")
            flow = app.screen("appointment").flow
            flow.choose("department", flow.departments()[0][0])
            flow.choose("day", flow.days()[0][0])
            flow.choose("half", "am")
            flow.set_phone("1390530")
            flow.go_to("phone")
            app.screen("appointment").refresh()
            app.focus_ring.show_control(W.NEXT)

        def state(step):
            def go(app):
                app.go("appointment")
                screen = app.screen("appointment")
                flow = screen.flow
                if step:
                    flow.choose("department", flow.departments()[0][0])
                if step == "confirm":
                    flow.choose("day", flow.days()[0][0])
                    flow.choose("half", "am")
                    flow.set_phone("13905301234")
                if step:
                    flow.go_to(step)
                screen.refresh()
            return go
        return [("", state("")), ("-day", state("day")), ("-confirm", state("confirm")),
                ("-keypad-focus", keypad_focus)]
