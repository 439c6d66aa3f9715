"""呼叫帮办: one tap calls a member of staff; the reason helps them bring the right thing."""
from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)

REASONS = (
    ("operate", "不会用这台机器"),
    ("materials", "不知道要带什么材料"),
    ("mobility", "身体不方便，需要人陪"),
    ("other", "别的问题，想当面问"),
)


class HelpScreen(KioskScreen):
    called = BooleanProperty(False)
    phone = StringProperty("")
    came_from = StringProperty("")

    def on_kv_post(self, base_widget):
        from kivy.factory import Factory
        for key, words in REASONS:
            button = Factory.HelpReason()
            button.text, button.key = words, key
            button.bind(on_release=lambda b: self.call(b.key))
            self.ids.reasons.add_widget(button)

    def prepare(self, **_kwargs) -> None:
        self.called = False
        self.phone = self.app.settings.get("terminal", "help_phone")
        self.came_from = self.app.sm.current or ""

    def call(self, reason: str) -> None:
        settings = self.app.settings
        payload = {"reason": reason, "terminal_id": settings.get("terminal", "id"),
                   "terminal_name": settings.get("terminal", "name"), "screen": self.came_from,
                   "elderly_mode": bool(self.app.elderly)}
        self.app.submit("help_request", payload,
                        note="工作人员已经收到，马上过来，请在机器旁稍等。" if settings.get("terminal", "level")
                        in ("city", "county") else f"工作人员收到后会尽快过来；着急的话请拨打 {self.phone}。")

    @classmethod
    def tour_states(cls, app):
        return [("", {})]
