"""The ID card reader's simulator twin: the real driver talking to its own SAM simulator over a pty.

What `[idcard] driver = simulator` builds (demo mode, the tour, the UI tests). Everything from the
serial port up is the real driver (devices/idcard/reader.py); `present("resident")` and `remove()`
place and lift a demo card on the simulated reader (devices/idcard/sam_simulator.py).
"""
from __future__ import annotations

import os
from pathlib import Path

from devices.idcard.reader import IdCardReader
from devices.idcard.sam_simulator import SamSimulator
from devices.idcard.text import IdCardRecord


class SimulatedIdCardReader(IdCardReader):
    """The real driver talking to its own simulator over a pty (`[idcard] driver = simulator`)."""

    operations = IdCardReader.operations | {"present", "remove"}

    def __init__(self, link_path: str | os.PathLike, poll_interval: float = 0.3, **kwargs) -> None:
        self.sim = SamSimulator(link_path)
        super().__init__(str(link_path), poll_interval=poll_interval, **kwargs)

    def _ensure_sim(self) -> None:
        if self.sim._thread is None or not self.sim._thread.is_alive():
            self.sim.start()

    def start(self) -> None:
        self._ensure_sim()
        super().start()

    def stop(self, timeout: float = 3.0) -> None:
        super().stop(timeout)
        self.sim.stop()

    def present(self, card: str = "resident") -> IdCardRecord:
        """Place a demo card (resident, resident_elder, hmt, foreign, foreign2023)."""
        return self.sim.present(card)

    def remove(self) -> None:
        """Lift the card."""
        self.sim.remove()

    def read_one(self, timeout: float) -> IdCardRecord:
        self._ensure_sim()
        return super().read_one(timeout)


def from_settings(settings) -> SimulatedIdCardReader:
    """`[idcard] driver = simulator`: the pty lives under data_dir (the only place the terminal writes)."""
    link = Path(settings.data_dir) / "run" / "idcard-sim.tty"
    return SimulatedIdCardReader(link, poll_interval=settings.getfloat("idcard", "poll_interval"))
