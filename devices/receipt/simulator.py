"""The receipt printer's simulator twin: the real driver talking to a virtual printer on a local port.

What `[receipt] driver = simulator` builds (demo mode, the tour, the UI tests). Everything from the
socket up is the real driver (devices/receipt/driver.py); the virtual printer
(devices/receipt/virtual_printer.py) parses the bytes, answers status queries and saves each cut
receipt as a PNG in data_dir/run/receipt-sim/ (a receipt carries no personal data).
"""
from __future__ import annotations

from pathlib import Path

from devices.receipt.driver import EscposReceiptPrinter
from devices.receipt.transport import NetworkTransport
from devices.receipt.virtual_printer import Printed, VirtualEscposPrinter
from devices.states import DeviceState

LAST = "last-receipt.png"


class SimulatedReceiptPrinter(EscposReceiptPrinter):
    """The real driver on 127.0.0.1 with its own virtual printer; `simulate(...)` makes trouble."""

    operations = EscposReceiptPrinter.operations | {"simulate"}

    def __init__(self, out_dir: str | Path, paper_width_mm: int = 80) -> None:
        self.out_dir = Path(out_dir)
        self.virtual: VirtualEscposPrinter | None = None
        self._condition = "ok"
        super().__init__(NetworkTransport("127.0.0.1", 0, connect_timeout=1.0), paper_width_mm,
                         status_timeout=0.5, poll_interval=10.0)

    def _ensure_virtual(self) -> None:
        """The virtual printer runs while the device is used; stop() takes it down."""
        if self.virtual is None:
            self.virtual = VirtualEscposPrinter(on_receipt=self._save).serve_tcp()
            self.virtual.set(self._condition)
            self.transport.host, self.transport.port = self.virtual.address

    def _save(self, printed: Printed) -> None:
        image = printed.image()
        if image is None:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        image.save(self.out_dir / LAST)

    @property
    def last_png(self) -> Path:
        """Where the last receipt's picture is."""
        return self.out_dir / LAST

    def simulate(self, condition: str) -> None:
        """ok | paper_near_end | paper_out | cover_open | offline | silent (then asks the printer)."""
        self._ensure_virtual()
        self.virtual.set(condition)
        self._condition = condition
        self.refresh_status()

    def start(self) -> None:
        self._ensure_virtual()
        super().start()

    def refresh_status(self):
        self._ensure_virtual()
        return super().refresh_status()

    def print_receipt(self, receipt) -> None:
        self._ensure_virtual()
        super().print_receipt(receipt)

    def stop(self, timeout: float = 3.0) -> None:
        super().stop(timeout)
        if self.virtual is not None:
            self.virtual.stop()
            self.virtual = None


def from_settings(settings) -> SimulatedReceiptPrinter:
    """`[receipt] driver = simulator`: receipts as PNGs under data_dir/run/receipt-sim/."""
    return SimulatedReceiptPrinter(Path(settings.data_dir) / "run" / "receipt-sim",
                                   settings.getint("receipt", "paper_width_mm"))
