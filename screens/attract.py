"""The attract screen: what this terminal is, what can be done here, and how to begin."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.services import SERVICES
from screens.widgets.base import KioskScreen, load_chrome, load_kv

load_kv(__file__, chrome=False)   # no top bar: the first frame needs only widgets.kv and this


class AttractScreen(KioskScreen):
    """What a passer-by sees: how to start (card, 居民码 or a tap); a card laid here starts a visit."""
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

    def spoken_text(self) -> str:
        """How to begin, for a person who cannot read the screen."""
        return "您好！请把身份证放在下方的感应区上，或者把居民码对准摄像头，或者点屏幕下方的点这里开始。要人帮忙，请点呼叫帮办。"

    def begin(self) -> None:
        """点这里开始: a visit starts at the home screen."""
        self.app.home()

    # -- a card placed on the attract screen starts the session right away ----------------------
    CARD_READERS = ("idcard", "sscard")

    def on_enter(self, *args):
        # the readers are built and started once the first frame is on the display (KioskApp); the
        # rules of the other screens' frame load in the frame after it, so the home screen opens as fast
        self.app.after_first_frame(self._follow_card_readers)
        self.app.after_first_frame(lambda: Clock.schedule_once(lambda _dt: load_chrome(), 0))

    def _follow_card_readers(self) -> None:
        if self.manager is None or self.manager.current != self.name:
            return    # left before the first frame was shown
        self.on_leave()
        for section in self.CARD_READERS:
            device = self.app.hub.get(section)
            self._unsubscribe.append(device.events.subscribe(
                lambda event, payload: Clock.schedule_once(lambda _dt: self._card_event(event, payload), 0)))

    def on_leave(self, *args):
        for unsubscribe in getattr(self, "_unsubscribe", []):
            unsubscribe()
        self._unsubscribe = []

    def _card_event(self, event: str, payload) -> None:
        if event != "card_presented" or self.manager is None or self.manager.current != self.name:
            return
        from screens import SCREENS
        if "identify" not in SCREENS:
            self.app.home()
            return
        self.app.go("identify", next="home")
        self.app.screen("identify").card_read(payload)

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
