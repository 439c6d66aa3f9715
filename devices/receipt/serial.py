"""`[receipt] driver = serial`: a receipt printer on a serial port (or USB-serial)."""
from __future__ import annotations

from devices.receipt.driver import EscposReceiptPrinter
from devices.receipt.transport import SerialTransport


def from_settings(settings) -> EscposReceiptPrinter:
    """[receipt] device, baudrate, paper_width_mm."""
    transport = SerialTransport(settings.get("receipt", "device"), settings.getint("receipt", "baudrate"))
    return EscposReceiptPrinter(transport, settings.getint("receipt", "paper_width_mm"))
