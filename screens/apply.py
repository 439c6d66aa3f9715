"""我要办: choose a matter (or come from its guide), check who you are, leave a phone number, see what
the terminal already has of your materials, choose how to get the result, submit.

The steps, checks and payload are kiosk/flows/application.py (ApplicationFlow); this screen shows them.
"""
from __future__ import annotations

from kivy.factory import Factory

from kiosk import wording as W
from kiosk.flows.application import time_words
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
        self.add_choices(body, flow.choices(), flow.state.matter_code or None, self.choose_matter)

    def choose_matter(self, code: str) -> None:
        """A matter was tapped: it is the one, go on to the identity check."""
        self.flow.choose_matter(code)
        self.refresh()

    def build_identity(self, body) -> None:
        identity = self.session.identity
        matter = self.flow.matter
        self.add_text(body, f"要办的事：{matter.name}", big=True)
        self.add_text(body, matter.summary)
        if self.flow.theme is not None:
            names = "、".join(m.name for m in self.flow.matters())
            self.add_text(body, f"一起办：{names}。材料只交一套，表只填一张。")
        if identity is None:
            self.add_text(body, "请先刷身份证或出示居民码，这样材料可以自动调取。", big=True)
            return
        self.add_text(body, f"申请人：{identity.masked_name}", big=True)
        self.add_text(body, f"证件号码：{identity.masked_number}")
        self.add_text(body, "如果不是您本人，请点上面的「首页」，再重新刷证。", muted=True)

    def build_phone(self, body) -> None:
        self.add_keypad(body, self.flow.state.phone, self.flow.set_phone)

    def build_materials(self, body) -> None:
        flow = self.flow
        offer, state = flow.licence_offer(), flow.state
        checks = flow.checks()
        if offer and not state.consent:     # one question at a time: the list follows the answer
            self._licence_offer(body, offer)
            self.add_text(body, f"您选好后，这里列出全部{len(checks)}份材料，哪些要带。", muted=True)
            return
        if state.consent == "yes" and not state.licences_loaded:
            self.add_text(body, "正在调取您的电子证照，请稍候……", big=True)
        elif state.licence_message:
            self.add_text(body, state.licence_message, big=True)
        rows = []
        for check in checks:
            row = Factory.MaterialRow()
            row.picto, row.name, row.words, row.status = (STATUS_PICTO[check.status], check.name, check.words,
                                                          check.status)
            rows.append(row)
        self.add_rows(body, rows)       # in pages that fit, never below a scroll

    def _licence_offer(self, body, offer: list[str]) -> None:
        """用电子证照? The papers it replaces, what happens, and the two answers as big buttons."""
        panel = Factory.LicenceOffer()
        panel.text = f"这些可以用您的电子证照，不用带纸质的：{'、'.join(offer)}。"
        panel.note = "同意后，机器从政务平台调取，只用来办这件事；表上能填的也帮您填好。"
        row = panel.ids.answers
        if self.app.portrait:         # two wide buttons do not fit side by side: one above the other
            row.orientation, row.height = "vertical", self.app.target_h * 2 + self.app.pad
        row.add_widget(self.button("同意调取", lambda: self.use_licences(True), picto="check"))
        row.add_widget(self.button("不用，我带纸质的", lambda: self.use_licences(False), primary=False))
        body.add_widget(panel)

    def use_licences(self, agreed: bool) -> None:
        """The answer to 用电子证照: with consent the platform is asked off the UI thread."""
        import threading

        from kivy.clock import Clock
        flow = self.flow
        if not agreed:
            flow.use_licences(False)
            self.refresh()
            return
        flow.state.consent, flow.state.licences_loaded = "yes", False
        self.app.busy(True)
        self.refresh()

        def work() -> None:
            try:
                flow.use_licences(True)
            finally:
                def back(_dt) -> None:
                    self.app.busy(False)
                    if self.flow is flow:
                        self.refresh()
                Clock.schedule_once(back)
        threading.Thread(target=work, name="licences-fetch", daemon=True).start()

    def build_delivery(self, body) -> None:
        flow = self.flow
        options = flow.delivery_options()
        if len(options) == 1:   # nothing to choose: say how it goes rather than offer one button already pressed
            self.add_text(body, options[0][1], big=True)
            self.add_text(body, "这件事只能这样拿结果。点「下一步」。", muted=True)
            return
        self.add_choices(body, options, flow.state.delivery, self.chose(flow.choose_delivery))

    def build_confirm(self, body) -> None:
        flow = self.flow
        matter = flow.matter
        words = dict(flow.delivery_options()).get(flow.state.delivery, "")
        self.add_text(body, f"事项：{matter.name}", big=True)
        self.add_text(body, f"手机号：{mask_phone(flow.state.phone)}")
        self.add_text(body, f"拿结果：{words}")
        self.add_text(body, f"多久办好：{time_words(matter)}")
        self.add_text(body, f"收费：{matter.fee}")
        self.add_text(body, f"点「{W.SUBMIT}」后，申请会马上保存在这台机器里；没有网络也不会丢，联网后自动送到部门。",
                      muted=True)

    @classmethod
    def tour_states(cls, app):
        from screens.apply_paperwork import tour_licences

        def at_step(step, phone="", matter="", licences=None, page=0):
            def go(app):
                from kiosk.demo import demo_identity
                app.identified(demo_identity())
                app.go("apply", matter="")
                screen = app.screen("apply")
                flow = screen.flow
                if step:
                    flow.choose_matter(matter or flow.submittable()[0].code)
                    flow.set_phone(phone)
                    flow.go_to(step)
                    if licences is not None:
                        tour_licences(flow, licences)
                screen.refresh()
                screen.turn_rows(page)        # (a long list's last page: 上一页 in view)
            return go
        theme = "theme:newborn"
        return [("", at_step("")), ("-identity", at_step("identity")), ("-phone", at_step("phone", "1390530")),
                ("-materials", at_step("materials", "13905301234", "HZ-WJ-001")),
                ("-materials-licences", at_step("materials", "13905301234", "HZ-WJ-001", licences=True)),
                ("-theme-identity", at_step("identity", "", theme)),
                ("-theme-materials", at_step("materials", "13905301234", theme, licences=True)),
                ("-theme-form", at_step("form", "13905301234", theme, licences=True)),
                ("-theme-form-last-page", at_step("form", "13905301234", theme, licences=True, page=99)),
                *paperwork_tour_states(),
                ("-delivery", at_step("delivery", "13905301234")),
                ("-confirm", at_step("confirm", "13905301234"))]
