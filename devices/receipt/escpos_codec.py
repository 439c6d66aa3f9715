"""ESC/POS bytes for a receipt, and the printer's real-time status answers (DLE EOT n): no I/O here.

Status bytes (Epson ESC/POS "DLE EOT", the same on most Chinese 80 mm printers): every answer has
bit 1 and bit 4 set and bits 0 and 7 clear, which tells a status byte from noise.
  n=1 printer:       bit 3  offline
  n=2 offline cause: bit 2  cover open, bit 3 paper fed by the button, bit 5 stopped at paper end,
                     bit 6  an error occurred
  n=4 paper sensor:  bits 2+3 paper near end, bits 5+6 paper end
"""
from __future__ import annotations

from dataclasses import dataclass

from devices.states import DeviceState

DLE_EOT = b"\x10\x04"
QUERY_PRINTER = DLE_EOT + b"\x01"
QUERY_OFFLINE_CAUSE = DLE_EOT + b"\x02"
QUERY_PAPER = DLE_EOT + b"\x04"
QUERIES = (QUERY_PRINTER, QUERY_OFFLINE_CAUSE, QUERY_PAPER)

# what went wrong, as the CLI and the kiosk name it
PAPER_OUT, COVER_OPEN, OFFLINE, NO_PRINTER, JOB_FAILED, TIMEOUT = (
    "paper_out", "cover_open", "offline", "no_printer", "job_failed", "timeout")


def is_status_byte(value: int) -> bool:
    """Fixed bits of every DLE EOT answer: 0xx1xx10 (bits 1, 4 set; 0, 7 clear)."""
    return value & 0x93 == 0x12


@dataclass(frozen=True)
class Condition:
    """What the printer said about itself."""
    online: bool = True
    cover_open: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    error: bool = False

    @property
    def reason(self) -> str | None:
        """None when a receipt can print; else paper_out | cover_open | offline (most actionable first)."""
        if self.cover_open:
            return COVER_OPEN
        if self.paper_end:
            return PAPER_OUT
        if not self.online or self.error:
            return OFFLINE
        return None

    @property
    def state(self) -> DeviceState:
        """The shared device state (shared/specs/devices.md) this condition maps onto."""
        reason = self.reason
        if reason == COVER_OPEN:
            return DeviceState.USER_ERROR        # a person opened it and must close it
        if reason == PAPER_OUT:
            return DeviceState.HARDWARE_ERROR    # staff must load a roll
        if reason == OFFLINE:
            return DeviceState.OFFLINE
        return DeviceState.ONLINE

    @property
    def detail(self) -> str:
        """For staff: what the printer reported, without guessing."""
        words = [w for w, on in (("cover open", self.cover_open), ("paper end", self.paper_end),
                                 ("paper near end", self.paper_near_end), ("offline", not self.online),
                                 ("error", self.error)) if on]
        return ", ".join(words) or "ready"


def parse_condition(printer: int, offline_cause: int, paper: int) -> Condition:
    """The three answers to QUERIES, in order; ValueError when one is not a status byte."""
    for value in (printer, offline_cause, paper):
        if not is_status_byte(value):
            raise ValueError(f"not a DLE EOT answer: 0x{value:02x}")
    return Condition(online=not printer & 0x08, cover_open=bool(offline_cause & 0x04),
                     paper_end=bool(paper & 0x60) or bool(offline_cause & 0x20),
                     paper_near_end=bool(paper & 0x0C), error=bool(offline_cause & 0x40))


def encode_receipt(image, cut: bool = True) -> bytes:
    """Initialise, the 1-bit image as raster (GS v 0, python-escpos), feed and cut."""
    import contextlib
    import io

    from escpos.printer import Dummy
    out = Dummy()
    out.hw("INIT")
    with contextlib.redirect_stdout(io.StringIO()):   # python-escpos prints a profile warning to stdout
        out.image(image, impl="bitImageRaster", fragment_height=256)
    if cut:
        out.cut()
    return out.output
