"""The receipt printer family: what every 80/58 mm ESC/POS printer, real or simulated, can do."""
from __future__ import annotations

import abc

from devices.base import Device
from devices.receipt.layout import Receipt
from devices.states import DeviceStatus


class ReceiptPrinterDevice(Device):
    """A thermal receipt printer (ESC/POS).

    Events: "state" (DeviceStatus), "error" (DeviceError).

    Operations (`can(...)`):
      print_receipt   every printer: ask its status, print one receipt as a raster image, cut, ask
                      again; raises DeviceError with code paper_out | cover_open | offline | timeout
      refresh_status  every printer: ask the printer now (DLE EOT) and return the DeviceStatus

    `paper_near_end` (every printer): True while the printer's last answer said the roll is running
    low (it still prints; staff should load a new one soon).
      simulate        simulator only: make the simulated printer ok | paper_near_end | paper_out |
                      cover_open | offline | silent
    """

    name = "receipt"
    operations = frozenset({"print_receipt", "refresh_status"})
    paper_width_mm = 80
    paper_near_end = False

    @abc.abstractmethod
    def print_receipt(self, receipt: Receipt) -> None:
        """Print and cut one receipt; returns when the printer has taken it and reported ready."""

    @abc.abstractmethod
    def refresh_status(self) -> DeviceStatus:
        """Ask the printer for its real-time status (bounded by a few seconds) and report it."""
