"""The QR scanner's simulator twin (demo mode and the tour)."""
from __future__ import annotations

from devices.scanner.base import ScannerDevice
from devices.states import DeviceState


class SimulatedScanner(ScannerDevice):
    """Demo and tour: `scan(text)` behaves as if a scanner read that text."""

    operations = ScannerDevice.operations | {"scan"}

    def start(self) -> None:
        self.set_state(DeviceState.ONLINE, "simulator")

    def stop(self, timeout: float = 3.0) -> None:
        return

    def scan(self, text: str) -> None:
        """Emit one code as a scanner would."""
        self.events.emit("code", text)


def from_settings(settings) -> SimulatedScanner:
    """[scanner] driver = simulator."""
    return SimulatedScanner()
