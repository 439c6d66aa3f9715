"""The QR scanner family: what every code scanner, real or simulated, can do."""
from __future__ import annotations

from devices.base import Device


class ScannerDevice(Device):
    """A scanner that reads codes by itself and reports each one as a "code" event.

    Events: "state", "code" (str), "error".

    A scanner needs nothing from the application but `start()` and `stop()`, so the family has no
    operation every backend shares. Operations a backend adds (`can(...)`):
      feed_key   HID keyboard wedge only: the UI passes every key press on; a fast burst ending in
                 Enter is a code (devices/scanner/hid.py)
      scan       simulator only: behave as if the scanner read this text
    """

    name = "scanner"
    operations: frozenset[str] = frozenset()
