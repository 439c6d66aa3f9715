"""The attract screen: what this terminal is, what can be done here, and how to begin."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.services import SERVICES
from screens.widgets.base import KioskScreen, load_chrome, load_kv

load_kv(__file__, chrome=False)   # no top bar: the first frame needs only widgets.kv and this


class AttractScreen(KioskScreen):
    """What a passer-by sees: how to start (card, 居民码 or a tap); a card laid here starts a visit.
    After a visit in which a card was read, it first says 请取走您的身份证 / 社保卡 (and reads it aloud)."""
    clock_text = StringProperty("")
    card_reminder = StringProperty("")   # "请取走您的身份证" for a while after such a visit
    REMIND_SECONDS = 20

    def remind_card(self, card: str) -> None:
        """After a wipe: remind the citizen to take the card that was read ("idcard", "sscard"; "" none)."""
        words = {"idcard": "请取走您的身份证", "sscard": "请取走您的社保卡"}.get(card, "")
        if getattr(self, "_remind_event", None) is not None:
            self._remind_event.cancel()
            self._remind_event = None
        self.card_reminder = words
        if words:
            self.app.say(words + "。")   # in every mode: a card left behind is a real loss
            self._remind_event = Clock.schedule_once(lambda _dt: self.remind_card(""), self.REMIND_SECONDS)

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
        if self.card_reminder:
            return self.card_reminder + "。"
        return "您好！请把身份证放在下方的感应区上，或者把居民码对准摄像头，或者点屏幕下方的点这里开始。要人帮忙，请点呼叫帮办。"

    @classmethod
    def tour_states(cls, app):
        """Waiting; and right after a visit in which an ID card was read."""
        return [("", {}), ("-take-card", lambda app: app.screen("attract").remind_card("idcard"))]

    def begin(self) -> None:
        """点这里开始: a visit starts at the home screen."""
        self.app.home()

    # -- a card placed on the attract screen starts the session right away ----------------------
    CARD_READERS = ("idcard", "sscard")

    def on_enter(self, *args):
        # the rules of the other screens' frame load in the frame after the first, so the home screen opens as
        # fast; the card readers' events come from the terminal core (on_device_event) once they are started
        self.app.after_first_frame(lambda: Clock.schedule_once(lambda _dt: load_chrome(), 0))

    def on_device_event(self, section: str, event: str, payload, _at: float) -> None:
        """A device's event from the terminal core, on the UI thread, while this screen is shown."""
        if section in self.CARD_READERS:
            self._card_event(event, payload)

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
