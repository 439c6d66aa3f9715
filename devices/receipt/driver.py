"""The receipt printer driver: python-escpos over a transport, with the printer asked before and after.

Every job (and every status poll) opens the wire, asks DLE EOT 1, 2 and 4, and maps the answers onto
the shared device states (devices/receipt/escpos_codec.py). A job that finds the printer not ready
raises DeviceError at once; so does one whose printer ran out of paper or opened its cover while
printing (the second status check). Every wait is bounded: connect, each status byte, each chunk.
"""
from __future__ import annotations

import logging
import threading

from devices.receipt import escpos_codec as codec
from devices.receipt.base import ReceiptPrinterDevice
from devices.receipt.layout import Receipt, render
from devices.receipt.transport import Transport, TransportError
from devices.states import Completion, DeviceError, DeviceState, DeviceStatus

log = logging.getLogger("devices.receipt")

MESSAGES = {
    codec.PAPER_OUT: "凭条打印机没有纸了。",
    codec.COVER_OPEN: "凭条打印机的盖子没有关好。",
    codec.OFFLINE: "凭条打印机暂时不能用。",
    codec.TIMEOUT: "凭条打印机没有反应。",
    codec.JOB_FAILED: "凭条没有打印完。",
}
COMPLETION = {codec.PAPER_OUT: Completion.DEVICE_NOT_READY, codec.COVER_OPEN: Completion.USER_ERROR,
              codec.OFFLINE: Completion.DEVICE_NOT_READY, codec.TIMEOUT: Completion.TIME_OUT,
              codec.JOB_FAILED: Completion.HARDWARE_ERROR}


def receipt_error(reason: str, detail: str = "") -> DeviceError:
    """A DeviceError whose code is the reason word (paper_out, cover_open, offline, timeout, job_failed)."""
    return DeviceError(COMPLETION[reason], reason, MESSAGES[reason], detail)


class EscposReceiptPrinter(ReceiptPrinterDevice):
    """A receipt printer on any transport (network, serial, usb)."""

    def __init__(self, transport: Transport, paper_width_mm: int = 80, status_timeout: float = 1.5,
                 write_timeout: float = 4.0, poll_interval: float = 30.0) -> None:
        super().__init__()
        self.transport = transport
        self.paper_width_mm = paper_width_mm if paper_width_mm in (58, 80) else 80
        self.status_timeout = status_timeout
        self.write_timeout = write_timeout
        self.poll_interval = poll_interval
        self._io = threading.Lock()   # one conversation with the printer at a time

    # -- the background poll keeps diagnose and the heartbeat honest between receipts ---------------
    def _run(self) -> None:
        while not self._stop.is_set():
            self.refresh_status()
            self._stop.wait(self.poll_interval)

    # -- status ---------------------------------------------------------------------------------------
    def _ask(self, first_timeout: float | None = None) -> codec.Condition:
        """The three DLE EOT answers on an open transport; TransportError("read") when one is missing.

        `first_timeout`: the first answer may wait behind a receipt still streaming into the printer."""
        self.transport.drain()
        answers = []
        for query in codec.QUERIES:
            self.transport.send(query, self.status_timeout)
            value = self.transport.read_byte(first_timeout if first_timeout and not answers else self.status_timeout)
            if value is None:
                raise TransportError("read", "no answer to DLE EOT")
            answers.append(value)
        try:
            return codec.parse_condition(*answers)
        except ValueError as exc:
            raise TransportError("read", str(exc)) from None

    def _report(self, condition: codec.Condition) -> None:
        self.paper_near_end = condition.paper_near_end
        self.set_state(condition.state, condition.detail)

    def _lost(self, exc: TransportError) -> str:
        """Map a wire failure onto a state; returns the reason word."""
        if exc.kind == "open":
            self.set_state(DeviceState.POWER_OFF, f"{self.transport.description}: not reachable ({exc.detail})")
            return codec.OFFLINE
        if exc.kind == "read":
            self.set_state(DeviceState.POWER_OFF, f"{self.transport.description}: no status answer")
            return codec.OFFLINE
        self.set_state(DeviceState.HARDWARE_ERROR, f"{self.transport.description}: stopped taking data")
        return codec.TIMEOUT

    def refresh_status(self) -> DeviceStatus:
        with self._io:
            try:
                self.transport.open()
                try:
                    self._report(self._ask())
                finally:
                    self.transport.close()
            except TransportError as exc:
                self._lost(exc)
        return self.status()

    # -- printing -------------------------------------------------------------------------------------
    def encode(self, receipt: Receipt) -> bytes:
        """The bytes of one receipt (a raster image and a cut), as they go on the wire."""
        return codec.encode_receipt(render(receipt, self.paper_width_mm))

    def print_receipt(self, receipt: Receipt) -> None:
        data = self.encode(receipt)   # render before touching the printer: the wire is the slow part
        with self._io:
            try:
                self.transport.open()
            except TransportError as exc:
                raise receipt_error(self._lost(exc), exc.detail) from None
            try:
                before = self._ask()
                self._report(before)
                if before.reason:
                    raise receipt_error(before.reason, before.detail)
                self.transport.send(data, self.write_timeout)
                # the answer queues behind the receipt's bytes: allow their wire time at the slowest rate
                after = self._ask(self.status_timeout + len(data) / self.transport.min_rate)
                self._report(after)
                if after.reason:   # ran out or was opened while printing: the slip is not whole
                    raise receipt_error(after.reason, after.detail)
            except TransportError as exc:
                raise receipt_error(self._lost(exc), exc.detail) from None
            finally:
                self.transport.close()
        log.info("receipt printed (%d bytes) on %s", len(data), self.transport.description)
