"""QR scanners: serial (line-terminated codes over pyserial) and USB HID keyboard wedges.

A keyboard-wedge scanner types the code as keystrokes and presses Enter. `HidWedgeDetector` tells
such a burst from a person typing by timing alone: every gap must be shorter than any person types
(`hid_max_interval_ms`, 35 ms by default; fast typists leave 80-200 ms) for at least `min_length`
characters, ended by Enter. It never swallows keys: the Kivy side passes every key on as usual and
only acts on a returned code, so typing into a form field is never lost or taken for a scan.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from devices.base import Device
from devices.states import Completion, DeviceError, DeviceState

log = logging.getLogger(__name__)
MAX_CODE_BYTES = 4096          # longer "lines" are noise (wrong baud rate, a stuck trigger)
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


class HidScanner(Device):
    """The HID wedge as a device: the UI feeds it key presses, it emits "code" events."""

    name = "scanner"

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


def decode_line(raw: bytes) -> str:
    """Scanner bytes to text: UTF-8, else GB18030 (Chinese scanners' other setting)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


class SerialScanner(Device):
    """A scanner on a serial port that sends each code followed by CR and/or LF."""

    name = "scanner"

    def __init__(self, port: str, baudrate: int = 9600, reopen_after: float = 2.0) -> None:
        super().__init__()
        self.port = port
        self.baudrate = baudrate
        self.reopen_after = reopen_after

    def _run(self) -> None:
        import serial

        told_missing = False
        while not self._stop.is_set():
            try:
                conn = serial.Serial(self.port, self.baudrate, timeout=0.2)
            except (serial.SerialException, OSError):
                if not told_missing:  # tell once per outage, not at every retry
                    told_missing = True
                    self.report_error(DeviceError(Completion.DEVICE_NOT_READY, "scanner_missing",
                                                  "扫码器暂时不能使用，请使用身份证办理。"))
                self.set_state(DeviceState.POWER_OFF, "serial port not available")
                self._stop.wait(self.reopen_after)
                continue
            told_missing = False
            self.set_state(DeviceState.ONLINE)
            try:
                self._read_lines(conn)
            except (serial.SerialException, OSError):
                self.set_state(DeviceState.POWER_OFF, "serial port went away")
            finally:
                conn.close()

    def _read_lines(self, conn) -> None:
        buffer = bytearray()
        discarding = False   # inside an over-long line: drop everything up to its end
        while not self._stop.is_set():
            chunk = conn.read(conn.in_waiting or 1)
            if not chunk:
                continue
            buffer += chunk
            while True:
                ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
                if not ends:
                    break
                end = min(ends)
                line, buffer = bytes(buffer[:end]), buffer[end + 1:]
                if discarding:
                    discarding = False
                    continue
                if len(line) > MAX_CODE_BYTES:
                    self._garbage()
                    continue
                text = decode_line(line).strip()
                if text:
                    self.events.emit("code", text)
            if len(buffer) > MAX_CODE_BYTES:
                buffer.clear()
                if not discarding:
                    discarding = True
                    self._garbage()

    def _garbage(self) -> None:
        self.report_error(DeviceError(Completion.HARDWARE_ERROR, "scanner_garbage", "没有读到完整的码，请再扫一次。",
                                      "line longer than 4096 bytes"))


def serial_from_settings(settings) -> SerialScanner:
    """[scanner] driver = serial."""
    return SerialScanner(settings.get("scanner", "port"), settings.getint("scanner", "baudrate"))


def hid_from_settings(settings) -> HidScanner:
    """[scanner] driver = hid."""
    return HidScanner(settings.getfloat("scanner", "hid_max_interval_ms"))
