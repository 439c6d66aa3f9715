"""The USB HID keyboard-wedge QR scanner.

A keyboard-wedge scanner types the code as keystrokes and presses Enter. `HidWedgeDetector` tells
such a burst from a person typing by timing alone: every gap must be shorter than any person types
(`hid_max_interval_ms`, 35 ms by default; fast typists leave 80-200 ms) for at least `min_length`
characters, ended by Enter. It never swallows keys: the Kivy side passes every key on as usual and
only acts on a returned code, so typing into a form field is never lost or taken for a scan.
"""
from __future__ import annotations

import time
from typing import Callable

from devices.scanner.base import ScannerDevice
from devices.states import DeviceState

ENTER_KEYS = {"\r", "\n", "enter", "numpadenter"}
# a scanner presses shift for capitals like a person does; these keys neither end nor time a burst
MODIFIER_KEYS = {"shift", "lshift", "rshift", "capslock", "ctrl", "lctrl", "rctrl", "alt", "lalt", "ralt"}


class HidWedgeDetector:
    """A pure state machine fed (key, timestamp) pairs; returns a code when a scanner burst ends."""

    def __init__(self, max_interval_ms: float = 35.0, min_length: int = 6, max_length: int = 2048) -> None:
        self.max_interval = max_interval_ms / 1000.0
        self.min_length = min_length
        self.max_length = max_length
        self._buffer: list[str] = []
        self._last: float | None = None

    def reset(self) -> None:
        """Forget a partial burst."""
        self._buffer.clear()
        self._last = None

    def feed(self, key: str, timestamp: float) -> str | None:
        """One key press. `key` is the typed character, or "enter"; other named keys end a burst.

        Returns the scanned text when this key completes a scanner burst, else None.
        """
        if key in MODIFIER_KEYS:
            return None
        fast = self._last is not None and (timestamp - self._last) <= self.max_interval
        self._last = timestamp
        if key in ENTER_KEYS:
            code = "".join(self._buffer) if fast and len(self._buffer) >= self.min_length else None
            self.reset()
            return code
        if len(key) != 1 or not key.isprintable():
            self.reset()          # arrows, backspace, shift alone: a person is at the keyboard
            return None
        if not fast:
            self._buffer = []     # too slow: whatever came before was typing; this may start a burst
        if len(self._buffer) >= self.max_length:
            self.reset()
            return None
        self._buffer.append(key)
        return None


class HidScanner(ScannerDevice):
    """The HID wedge as a device: the UI feeds it key presses, it emits "code" events."""

    operations = ScannerDevice.operations | {"feed_key"}

    def __init__(self, max_interval_ms: float = 35.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.detector = HidWedgeDetector(max_interval_ms)
        self._clock = clock

    def start(self) -> None:
        # no thread: keystrokes arrive from the window's keyboard events
        self.set_state(DeviceState.ONLINE, "keyboard wedge")

    def stop(self, timeout: float = 3.0) -> None:
        self.detector.reset()

    def feed_key(self, key: str, timestamp: float | None = None) -> str | None:
        """Called for every key down; emits and returns the code when a scan completes."""
        code = self.detector.feed(key, self._clock() if timestamp is None else timestamp)
        if code:
            self.events.emit("code", code)
        return code


def from_settings(settings) -> HidScanner:
    """[scanner] driver = hid."""
    return HidScanner(settings.getfloat("scanner", "hid_max_interval_ms"))
