"""`[receipt] driver = usb`: a USB receipt printer (python-escpos Usb; needs pyusb, the `usb` extra)."""
from __future__ import annotations

from devices.receipt.driver import EscposReceiptPrinter
from devices.receipt.transport import UsbTransport


def from_settings(settings) -> EscposReceiptPrinter:
    """[receipt] usb_vendor, usb_product (hex, e.g. 0x0416), paper_width_mm."""
    transport = UsbTransport(int(settings.get("receipt", "usb_vendor"), 16),
                             int(settings.get("receipt", "usb_product"), 16))
    return EscposReceiptPrinter(transport, settings.getint("receipt", "paper_width_mm"))
