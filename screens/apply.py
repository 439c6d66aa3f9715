"""我要办: choose a matter (or come from its guide), check who you are, leave a phone number, see what
the terminal already has of your materials, choose how to get the result, submit.

The steps, checks and payload are kiosk/flows/application.py (ApplicationFlow); this screen shows them.
"""
from __future__ import annotations

from kivy.factory import Factory

from kiosk import wording as W
from kiosk.flows.common import mask_phone
from screens.apply_paperwork import PaperworkSteps, paperwork_tour_states
from screens.widgets.base import load_kv
from screens.widgets.step_screen import StepScreen

load_kv(__file__)

STATUS_PICTO = {"e_certificate": "check", "bring": "idcard", "optional": "guide"}


class ApplyScreen(PaperworkSteps, StepScreen):
    """我要办, one step at a time (the paperwork steps are in screens/apply_paperwork.py)."""

    flow_name = "apply"

    def on_leave(self, *_args) -> None:
        self.leave_paperwork()

    def clear_personal(self) -> None:
        self.leave_paperwork()
        super().clear_personal()

    def on_step_key(self, *args) -> None:
        if self.step_key != "capture":
            self._stop_camera()
            self.capture_phase = "live"
        if self.step_key != "form":
            self.editing = ""
        if self.step_key != "sign":
            self._scroll(True)
        super().on_step_key(*args)

    def build_choose(self, body) -> None:
        flow = self.flow
        self.add_choices(body, [(m.code, m.name) for m in flow.submittable()], flow.state.matter_code or None,
                         self.choose_matter)

    def choose_matter(self, code: str) -> None:
        """A matter was tapped: it is the one, go on to the identity check."""
        self.flow.choose_matter(code)
        self.refresh()

    def build_identity(self, body) -> None:
        identity = self.session.identity
        matter = self.flow.matter
        self.add_text(body, f"要办的事：{matter.name}", big=True)
        self.add_text(body, matter.summary)
        if identity is None:
            self.add_text(body, "请先刷身份证或出示居民码，这样材料可以自动调取。", big=True)
            return
        self.add_text(body, f"申请人：{identity.masked_name}", big=True)
        self.add_text(body, f"证件号码：{identity.masked_number}")
        self.add_text(body, "如果不是您本人，请点上面的「首页」，再重新刷证。", muted=True)

    def build_phone(self, body) -> None:
        self.add_keypad(body, self.flow.state.phone, self.flow.set_phone)

    def build_materials(self, body) -> None:
        for check in self.flow.checks():
            row = Factory.MaterialRow()
            row.picto, row.name, row.words, row.status = (STATUS_PICTO[check.status], check.name, check.words,
                                                          check.status)
            body.add_widget(row)

    def build_delivery(self, body) -> None:
        flow = self.flow
        options = flow.delivery_options()
        self.add_choices(body, options, flow.state.delivery, self.chose(flow.choose_delivery))

    def build_confirm(self, body) -> None:
        flow = self.flow
        matter = flow.matter
        words = dict(flow.delivery_options()).get(flow.state.delivery, "")
        self.add_text(body, f"事项：{matter.name}", big=True)
        self.add_text(body, f"手机号：{mask_phone(flow.state.phone)}")
        self.add_text(body, f"拿结果：{words}")
        self.add_text(body, f"多久办好：{matter.time_limit.text}")
        self.add_text(body, f"收费：{matter.fee}")
        self.add_text(body, f"点「{W.SUBMIT}」后，申请会马上保存在这台机器里；没有网络也不会丢，联网后自动送到部门。",
                      muted=True)

    @classmethod
    def tour_states(cls, app):
        def at_step(step, phone=""):
            def go(app):
                from kiosk.demo import demo_identity
                app.identified(demo_identity())
                app.go("apply", matter="")
                screen = app.screen("apply")
                flow = screen.flow
                if step:
                    flow.choose_matter(flow.submittable()[0].code)
                    flow.set_phone(phone)
                    flow.go_to(step)
                screen.refresh()
            return go
        return [("", at_step("")), ("-identity", at_step("identity")), ("-phone", at_step("phone", "1390530")),
                ("-materials", at_step("materials", "13905301234")),
                *paperwork_tour_states(),
                ("-delivery", at_step("delivery", "13905301234")),
                ("-confirm", at_step("confirm", "13905301234"))]
