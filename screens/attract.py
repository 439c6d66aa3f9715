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

    # -- maintenance entry: hold a finger on the clock (staff know; citizens never hold it that long) --
    def on_touch_down(self, touch):
        if self.ids.clock.collide_point(*touch.pos):
            hold = self.app.settings.getfloat("staff", "hold_seconds")
            self._hold = Clock.schedule_once(lambda _dt: self.app.go("maintenance"), hold)
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        if getattr(self, "_hold", None) is not None:
            self._hold.cancel()
            self._hold = None
        return super().on_touch_up(touch)
