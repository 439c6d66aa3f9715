"""The attract screen: what this terminal is, what can be done here, and how to begin."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.services import SERVICES
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class AttractScreen(KioskScreen):
    clock_text = StringProperty("")

    def on_kv_post(self, base_widget):
        grid = self.ids.services
        from kivy.factory import Factory
        for service in SERVICES:
            item = Factory.AttractService()
            item.text, item.picto = service.title, service.picto
            grid.add_widget(item)
        self._tick(0)
        Clock.schedule_interval(self._tick, 10)

    def _tick(self, _dt):
        import time
        self.clock_text = time.strftime("%Y年%m月%d日 %H:%M")

    def begin(self) -> None:
        self.app.home()
