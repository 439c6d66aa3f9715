"""我要办: choose a matter (or come from its guide), check who you are, leave a phone number, see what
the terminal already has of your materials, choose how to get the result, submit."""
from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.application import application_payload, delivery_options, prereview, receipt_note
from kiosk.flows.common import mask_phone
from screens.widgets.base import load_kv
from screens.widgets.flow import FlowScreen

load_kv(__file__)

STATUS_PICTO = {"e_certificate": "check", "bring": "idcard", "optional": "guide"}


class ApplyScreen(FlowScreen):
    matter_code = StringProperty("")
    phone = StringProperty("")
    delivery = StringProperty("")

    def prepare(self, matter: str = "", **_kwargs) -> None:
        self.title = "我要办"
        self.finish_text = "确认提交"
        self.matter_code = matter or ""
        self.with_choice = not matter  # the first step only when the flow did not start from a guide
        self.phone = ""
        self.delivery = ""
        self.show_step(0)

    def clear_personal(self) -> None:
        self.phone = ""
        self.matter_code = ""
        self.ids.body.clear_widgets()

    # -- data ---------------------------------------------------------------------------------
    @property
    def library(self):
        from screens.widgets.guide_widgets import guide_library
        return guide_library()

    @property
    def matter(self):
        return self.library.pack.by_code.get(self.matter_code)

    def submittable(self):
        return [m for m in self.library.pack.matters if m.submit_at_terminal]

    # -- steps ----------------------------------------------------------------------------------
    def steps(self):
        steps = [("选一件事", self._choose_matter)] if getattr(self, "with_choice", True) else []
        return steps + [("核对身份", self._check_identity), ("留个手机号", self._phone),
                        ("看看材料", self._materials), ("怎么拿结果", self._delivery), ("确认提交", self._confirm)]

    def _choose_matter(self):
        self.hint = "这些事可以在这台机器上直接申请。点一下您要办的事。"
        matters = sorted(self.submittable(), key=lambda m: -m.popularity)
        self.can_next = bool(self.matter_code)
        self.add_choices([(m.code, m.name) for m in matters], self.matter_code or None, self._chosen)

    def _chosen(self, code: str) -> None:
        self.matter_code = code
        self.show_step(1)

    def _check_identity(self):
        identity = self.session.identity
        matter = self.matter
        self.add_text(f"要办的事：{matter.name}", big=True)
        self.add_text(matter.summary)
        if identity is None:
            self.can_next = False
            self.add_text("请先刷身份证或出示居民码，这样材料可以自动调取。", big=True)
            return
        self.add_text(f"申请人：{identity.masked_name}", big=True)
        self.add_text(f"证件号码：{identity.masked_number}")
        self.add_text("如果不是您本人，请点上面的「首页」，再重新刷证。", muted=True)

    def _phone(self):
        self.phone_step("办好了会发短信告诉您。请输入 11 位手机号。")

    def _materials(self):
        checks = prereview(self.matter, self.session.identified)
        self.hint = "机器已经帮您预先核对了一遍："
        from kivy.factory import Factory
        for check in checks:
            row = Factory.MaterialRow()
            row.picto, row.name, row.words, row.status = (STATUS_PICTO[check.status], check.name, check.words,
                                                          check.status)
            self.ids.body.add_widget(row)

    def _resolve_delivery(self) -> list[tuple[str, str]]:
        options = delivery_options(self.matter)
        if not self.delivery or self.delivery not in dict(options):
            self.delivery = options[0][0]
        return options

    def _delivery(self):
        options = self._resolve_delivery()
        self.hint = "结果办好后，您想怎么拿？"
        self.add_choices(options, self.delivery, lambda key: self.pick("delivery", key))

    def _confirm(self):
        matter = self.matter
        words = dict(self._resolve_delivery()).get(self.delivery, "")
        self.add_text(f"事项：{matter.name}", big=True)
        self.add_text(f"手机号：{mask_phone(self.phone)}")
        self.add_text(f"拿结果：{words}")
        self.add_text(f"多久办好：{matter.time_limit.text}")
        self.add_text(f"收费：{matter.fee}")
        self.add_text("点「确认提交」后，申请会马上保存在这台机器里；没有网络也不会丢，联网后自动送到部门。",
                      muted=True)

    def finish(self) -> None:
        matter = self.matter
        settings = self.app.settings
        checks = prereview(matter, self.session.identified)
        self._resolve_delivery()
        payload = application_payload(matter, self.phone, self.delivery, checks,
                                      settings.get("terminal", "id"), settings.get("terminal", "level"))
        self.app.submit("application", payload, note=receipt_note(matter, mask_phone(self.phone), checks))

    @classmethod
    def tour_states(cls, app):
        def at_step(step, phone=""):
            def go(app):
                from kiosk.demo import demo_identity
                app.identified(demo_identity())
                app.go("apply", matter="")
                screen = app.sm.get_screen("apply")
                code = screen.submittable()[0].code if step else ""
                if step:
                    screen.matter_code = code
                    screen.phone = phone
                    screen.show_step(step)
            return go
        return [("", at_step(0)), ("-identity", at_step(1)), ("-phone", at_step(2, "1390530")),
                ("-materials", at_step(3, "13905301234")), ("-delivery", at_step(4, "13905301234")),
                ("-confirm", at_step(5, "13905301234"))]
