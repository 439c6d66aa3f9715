"""Identify: put the ID card on the reader or push the social security card in — or show the 居民码.

The picture shows where the card goes. While it is shown, the card readers' events reach it from the
terminal core's event stream on the UI thread (KioskApp hands "device_detail" to the screen on show); the citizen is
greeted with a masked name (您好，张*三), the session is fed, and the flow goes on to the screen it
was asked for (`app.go("identify", next="apply")`).
"""
from __future__ import annotations

import logging

from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from devices.states import DeviceState
from kiosk.identity_sources import identity_from_card
from screens import SCREENS
from screens.widgets.base import load_kv
from screens.widgets.identify_step import IdentifyStep

log = logging.getLogger(__name__)


class CardPlacement(Widget):
    """The picture of where the card goes (drawn in identify.kv, inside a centred square)."""

    bg_color = ColorProperty((1, 1, 1, 0))
    side = NumericProperty(0)
    ox = NumericProperty(0)
    oy = NumericProperty(0)


load_kv(__file__)

READERS = ("idcard", "sscard")
_UNUSABLE = {DeviceState.NO_DEVICE, DeviceState.POWER_OFF, DeviceState.HARDWARE_ERROR, DeviceState.OFFLINE}


class IdentifyScreen(IdentifyStep):
    """Lay the ID card or insert the social security card (or switch to the 居民码); greets and goes on."""
    message = StringProperty("")         # what went wrong, in plain words
    idcard_ready = BooleanProperty(True)
    sscard_ready = BooleanProperty(True)
    idcard_fitted = BooleanProperty(True)   # False: this terminal has no such reader (driver = none)
    sscard_fitted = BooleanProperty(True)
    can_scan_code = BooleanProperty(False)

    def prepare(self, next: str = "home", next_kwargs: dict | None = None, **_kwargs) -> None:  # noqa: A002
        """`next`: the screen to continue to once identified (with `next_kwargs`)."""
        self._next = next or "home"
        self._next_kwargs = dict(next_kwargs or {})
        self.greeting = ""
        self.message = ""
        self.can_scan_code = "scan_code" in SCREENS
        self._cancel_continue()
        self._show_readers()

    def on_leave(self, *_args) -> None:
        self._cancel_continue()

    def clear_personal(self) -> None:
        self.greeting = ""
        self.message = ""
        self._cancel_continue()

    # -- devices ----------------------------------------------------------------------------
    def _show_readers(self) -> None:
        hub = getattr(self.app, "hub", None)
        if hub is not None:
            for section in READERS:
                self._show_state(section, hub.get(section).status().state)

    def on_device_event(self, section: str, event: str, payload, _at: float) -> None:
        """A device's event from the terminal core, on the UI thread, while this screen is shown."""
        if section in READERS:
            self._on_event(section, event, payload)

    def _show_state(self, section: str, state: DeviceState) -> None:
        setattr(self, f"{section}_ready", state not in _UNUSABLE)
        setattr(self, f"{section}_fitted", state != DeviceState.NO_DEVICE)

    def _on_event(self, section: str, event: str, payload) -> None:
        if self.manager is None or self.manager.current != self.name:
            return  # the citizen has moved on; a late event must not pull them back
        if event == "card_presented":
            self.card_read(payload)
        elif event == "error":
            if not self.greeting:
                self.message = payload.message
        elif event == "state":
            self._show_state(section, payload.state)

    def card_read(self, record) -> None:
        """Greet, feed the session and go on (also used by the tour to show the greeted state)."""
        if self.greeting:
            return  # one card is enough; a second event while greeting changes nothing
        self.message = ""
        self.greet_and_continue(identity_from_card(record))

    def scan_code(self) -> None:
        """出示居民码: hand over to the QR screen, which continues to the same place."""
        if "scan_code" in SCREENS:
            self.app.go("scan_code", next=self._next, next_kwargs=self._next_kwargs)

    # -- tour -------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        def greeted(app):
            from devices.idcard.sam_simulator import demo_cards
            app.go("identify", next="home")
            screen = app.screen("identify")
            screen.card_read(demo_cards()["resident"])
            screen._cancel_continue()   # the photo shows the moment itself, however slow the machine

        def error(app):
            from devices.idcard.reader import MSG_HOLD_STILL
            app.go("identify", next="home")
            app.screen("identify").message = MSG_HOLD_STILL
        return [("", {"next": "home"}), ("-greeted", greeted), ("-error", error)]
