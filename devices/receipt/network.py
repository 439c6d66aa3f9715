"""`[receipt] driver = network`: a receipt printer on TCP (port 9100)."""
from __future__ import annotations

from devices.receipt.driver import EscposReceiptPrinter
from devices.receipt.transport import NetworkTransport


def from_settings(settings) -> EscposReceiptPrinter:
    """[receipt] host, port, paper_width_mm."""
    transport = NetworkTransport(settings.get("receipt", "host"), settings.getint("receipt", "port"))
    return EscposReceiptPrinter(transport, settings.getint("receipt", "paper_width_mm"))
