"""呼叫帮办: one tap calls a member of staff; the reason helps them bring the right thing.

The call itself is kiosk/flows/help.py (HelpFlow): one tap on a reason submits it.
"""
from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.help import REASONS
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class HelpScreen(KioskScreen):
    """The reasons as big buttons; the terminal's help phone for those who prefer to call."""

    phone = StringProperty("")

    def on_kv_post(self, base_widget):
        from kivy.factory import Factory
        for key, words in REASONS:
            button = Factory.HelpReason()
            button.text, button.key = words, key
            button.bind(on_release=lambda b: self.call(b.key))
            self.ids.reasons.add_widget(button)

    def prepare(self, **_kwargs) -> None:
        self.phone = self.app.settings.get("terminal", "help_phone")
        self.app.terminal.open_flow("help", came_from=self.app.sm.current or "")

    def call(self, reason: str) -> None:
        """A reason was tapped: staff are called at once (the receipt screen follows)."""
        flow = self.app.terminal.current_flow("help") or self.app.terminal.open_flow("help")
        flow.state.reason = reason
        self.app.submit_flow(flow)

    @classmethod
    def tour_states(cls, app):
        return [("", {})]
