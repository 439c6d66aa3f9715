"""The social security card reader's simulator twin for the demo: no pcscd needed.

It runs the same reading code as the PC/SC driver (devices/sscard/data.read_card) against the same
virtual card (devices/sscard/vpcd_card.SocialSecurityApplet), called in-process instead of through
pcscd. `present("default")` inserts a demo card, `remove()` takes it out.
"""
from __future__ import annotations

import threading
import time

from devices.sscard.base import SsCardDevice
from devices.sscard.data import CardDataError, SsCardRecord, read_card
from devices.sscard.reader import MSG_INSERT, error_for
from devices.sscard.vpcd_card import DEFAULT_ATR, SocialSecurityApplet, demo_cards
from devices.states import Completion, DeviceError, DeviceState


class SimulatedSsCardReader(SsCardDevice):
    """A 社保卡 reader that exists only in this process. Events as SsCardReader's."""

    operations = SsCardDevice.operations | {"present", "remove"}

    def __init__(self) -> None:
        super().__init__()
        self.cards = demo_cards()
        self._lock = threading.Lock()
        self._applet: SocialSecurityApplet | None = None
        self._changed = threading.Event()

    def present(self, card: str | SsCardRecord = "default") -> SsCardRecord:
        """Insert a demo card by name (default, elder) or any record."""
        record = self.cards[card] if isinstance(card, str) else card
        with self._lock:
            self._applet = SocialSecurityApplet(record)
        self._changed.set()
        return record

    def remove(self) -> None:
        """Take the card out."""
        with self._lock:
            self._applet = None
        self._changed.set()

    def _read(self) -> SsCardRecord:
        with self._lock:
            applet = self._applet
        if applet is None:
            raise DeviceError(Completion.USER_ERROR, "sscard.no_card", MSG_INSERT, "no card in the reader")

        def transmit(apdu: list[int]) -> tuple[list[int], int, int]:
            answer = applet.process(bytes(apdu))
            return list(answer[:-2]), answer[-2], answer[-1]
        try:
            started = time.monotonic()
            record = read_card(transmit)
            self.last_read_ms = (time.monotonic() - started) * 1000
            return record
        except CardDataError as exc:
            raise error_for(exc) from None

    def read_one(self, timeout: float) -> SsCardRecord:
        """Wait up to `timeout` seconds for a card and read it (as SsCardReader.read_one)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._read()
            except DeviceError as exc:
                if exc.code != "sscard.no_card" or time.monotonic() + 0.1 >= deadline:
                    if exc.code == "sscard.no_card":
                        raise DeviceError(Completion.TIME_OUT, exc.code, MSG_INSERT, "no card within the time limit") from None
                    raise
            self._changed.wait(min(0.1, max(0.0, deadline - time.monotonic())))
            self._changed.clear()

    def read_atr(self, timeout: float) -> bytes:
        """The ATR the virtual card (devices/sscard/vpcd_card.py) gives through pcscd."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._applet is not None:
                    return DEFAULT_ATR
            if time.monotonic() + 0.1 >= deadline:
                raise DeviceError(Completion.TIME_OUT, "sscard.no_card", MSG_INSERT, "no card within the time limit")
            time.sleep(0.05)

    def _run(self) -> None:
        self.set_state(DeviceState.ONLINE)
        announced = False
        while not self._stop.is_set():
            with self._lock:
                inserted = self._applet is not None
            if inserted and not announced:
                announced = True
                try:
                    self.events.emit("card_presented", self._read())
                except DeviceError as exc:
                    self.report_error(exc)
            elif not inserted and announced:
                announced = False
                self.events.emit("card_removed", None)
            self._changed.wait(0.1)
            self._changed.clear()
        self.set_state(DeviceState.POWER_OFF)


def from_settings(settings) -> SimulatedSsCardReader:
    """`[sscard] driver = simulator`."""
    return SimulatedSsCardReader()
