"""Printing for the terminal core, without Kivy: a receipt after every submission, A4 jobs followed to
their end, and nothing left behind when the session is wiped.

    printing = PrintService(terminal)        # the Terminal owns one; start() follows its events
    printing.receipt_status(local_id)        # {"state": printing|printed|failed|none, "message"}
    job = printing.print_document(pdf, "HZ2026...", pages=2)   # off the UI thread, returns at once
    job.state                                # waiting | printing | done | failed | canceled

Events on `terminal.events` (no personal data in them):
  "printed"        {"printer": "receipt"|"a4", "local_id"? , "job"?}
  "print_failed"   {"printer", "local_id"?, "job"?, "reason", "message"}   message: a plain sentence
A receipt carries the terminal's name, the matter, the numbers, the time, what happens next and a QR
for 办件查询 — never a name, an ID number or a phone. When the receipt printer cannot print, the
citizen keeps the on-screen receipt and its QR, staff get an alert, and nothing waits long.
A4 PDFs live in data_dir/print/ (0600) only while their job runs; the session wipe cancels every job
not yet printed and deletes its file.
"""
from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.kinds import KIND_NAMES
from devices.receipt.layout import Receipt
from kiosk.flows.tracking import receipt_qr_text
from devices.states import DeviceError

log = logging.getLogger(__name__)

RECEIPT_FAILED = "凭条没有打印出来，请用手机拍下屏幕上的二维码，或记下本机编号。工作人员已经知道了。"
A4_WORDS = {"offline": "打印机暂时不能用，工作人员已经知道了。请稍后再来，或到窗口打印。",
            "no_printer": "这台机器不能打印 A4 纸，请到窗口打印。",
            "job_failed": "没有打印出来，请到窗口请工作人员帮忙。",
            "timeout": "打印机太久没有反应，请到窗口请工作人员帮忙。",
            "canceled": "打印已取消。",
            "paper_out": "打印机没有纸了，工作人员已经知道了。",
            "cover_open": "打印机的盖子没有关好，工作人员已经知道了。"}
A4_TIMEOUT = 120.0
# a phone (whole or masked, 139****1234) or an ID number (whole or masked) never goes on paper
_PHONE = re.compile(r"(?<![\d*])1[3-9]\d[\d*]{4}\d{4}(?![\d*Xx])")
_ID = re.compile(r"\d{6}[\d*]{8,11}[\dXx*]|\d{1,6}\*{4,}[\dXx]{1,4}")


def paper_safe(text: str, personal: list[str] = ()) -> str:
    """`text` with phones, ID numbers and the citizen's own values taken out (a receipt left on the
    counter must not identify anyone)."""
    text = _ID.sub("", _PHONE.sub("您留的手机", text))
    for value in personal:
        if value and len(value) >= 2:
            text = text.replace(value, "")
    return text


@dataclass
class PrintJob:
    """One A4 job as the citizen sees it (no document contents: the file lives only while it prints)."""
    id: str
    title: str                 # the document number: CUPS shows job titles to anyone who asks
    pages: int
    state: str = "waiting"     # waiting | printing | done | failed | canceled
    reason: str = ""
    message: str = ""
    path: Path | None = None
    device_job: int = 0        # the printer's own job id (CUPS), for staff and tests

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "canceled")


class PrintService:
    """The receipt after each submission and the A4 jobs of the current session."""

    def __init__(self, terminal, delivery_wait: float | None = None) -> None:
        self.terminal = terminal
        settings = terminal.settings
        self.delivery_wait = (settings.getfloat("receipt", "wait_for_number")
                              if delivery_wait is None else delivery_wait)
        self.spool = Path(settings.data_dir) / "print"
        self._tracking: dict[str, str] = {}
        self._receipts: dict[str, dict[str, str]] = {}
        self._jobs: dict[str, tuple[PrintJob, threading.Event]] = {}
        self._cond = threading.Condition()
        self._queue: queue.Queue = queue.Queue()
        self._alerted: set[str] = set()
        self._unsubscribe = None
        self._worker: threading.Thread | None = None
        self._sweep()

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> "PrintService":
        """Follow the terminal's events and print receipts on a worker thread of our own."""
        if self._unsubscribe is None:
            self._unsubscribe = self.terminal.events.subscribe(self._on_event)
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._receipt_loop, name="receipt-printing", daemon=True)
            self._worker.start()
        return self

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.cancel_all()
        self._queue.put(None)

    def _sweep(self) -> None:
        """A crash may have left a spooled PDF: it holds personal data, so it goes at start."""
        if self.spool.is_dir():
            for leftover in self.spool.glob("*.pdf"):
                leftover.unlink(missing_ok=True)

    def _on_event(self, event: str, data: dict[str, Any]) -> None:
        if event == "submitted":
            with self._cond:
                self._receipts[data["local_id"]] = {"state": "printing", "message": ""}
            identity = self.terminal.session.identity
            personal = identity.personal_values() if identity is not None else []
            self._queue.put((data["local_id"], data.get("kind", ""), paper_safe(data.get("note", ""), personal),
                             paper_safe(self._matter(), personal)))
        elif event == "outbox" and data.get("event") == "delivered" and data.get("local_id"):
            with self._cond:
                self._tracking[data["local_id"]] = data.get("tracking_no") or ""
                self._cond.notify_all()
        elif event == "session_wiped":
            self.cancel_all()

    def _matter(self) -> str:
        flow = self.terminal.flow
        return flow.receipt_matter() if flow is not None else ""

    def _device(self, section: str):
        return self.terminal.hub.get(section)

    def _alert(self, code: str, message: str) -> None:
        """Tell staff once per trouble (until a job succeeds again)."""
        if code in self._alerted:
            return
        self._alerted.add(code)
        outbox = self.terminal.outbox
        if outbox is not None:
            outbox.alert(code, message)
        else:
            log.error("staff alert %s: %s", code, message)

    def _printed_fine(self, prefix: str, printer) -> None:
        """A job came out: its printer's troubles are over (a new one alerts again); paper running low
        is news for staff only (one alert until a roll or a ream is loaded), never for the citizen."""
        near_end = f"{prefix}_paper_near_end"
        low = bool(printer.paper_near_end)      # declared by both printer families
        self._alerted = {a for a in self._alerted if not a.startswith(prefix + "_") or (low and a == near_end)}
        if low:
            what = "receipt printer: paper roll near its end" if prefix == "receipt" else "A4 printer: paper low"
            self._alert(near_end, f"{what}; load paper soon (still printing)")

    # -- receipts ------------------------------------------------------------------------------------
    def receipt_status(self, local_id: str) -> dict[str, str]:
        """What the receipt screen says about the paper: state printing | printed | failed | none."""
        with self._cond:
            return dict(self._receipts.get(local_id, {"state": "none", "message": ""}))

    def mark_printed(self, local_id: str) -> None:
        """Record a receipt printed outside the automatic path (the tour's demo receipt)."""
        with self._cond:
            self._receipts[local_id] = {"state": "printed", "message": ""}

    def build_receipt(self, local_id: str, kind: str, note: str, matter: str = "",
                      tracking_no: str = "", check_code: str = "") -> Receipt:
        """The slip for one submission (nothing on it identifies the citizen)."""
        lines = [("事项", matter or KIND_NAMES.get(kind, "办事"))]
        lines.append(("本机编号", local_id))
        lines.append(("办件编号", tracking_no or "联网后生成，可凭本机编号查询"))
        if tracking_no and check_code:
            lines.append(("查询码", check_code))
        lines.append(("时间", time.strftime("%Y-%m-%d %H:%M")))
        return Receipt(title="办事凭条", header=self.terminal.settings.get("terminal", "name"), lines=lines,
                       note=note, qr=receipt_qr_text(tracking_no or local_id, check_code if tracking_no else ""),
                       qr_caption="扫码或在「办件查询」输入编号，查办理进度", footer="本凭条不含个人信息，可放心保管")

    def _wait_for_number(self, local_id: str) -> tuple[str, str]:
        """(办件编号, 查询码) once delivered within `delivery_wait` seconds, else ("", "")."""
        deadline = time.monotonic() + self.delivery_wait
        with self._cond:
            while local_id not in self._tracking:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._tracking.pop(local_id, "")
        try:
            info = self.terminal.receipt_state(local_id)
        except Exception:
            return "", ""
        return info.get("tracking_no") or "", info.get("check_code") or ""

    def _receipt_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            local_id, kind, note, matter = item
            printer = self._device("receipt")
            if not printer.configured:
                self._receipt_done(local_id, "none", "")
                continue
            receipt = self.build_receipt(local_id, kind, note, matter, *self._wait_for_number(local_id))
            try:
                printer.print_receipt(receipt)
            except DeviceError as exc:
                self._receipt_failed(local_id, exc.code, exc.detail or exc.message)
            except Exception as exc:  # a driver bug must not stop the next receipt
                log.exception("receipt printing failed")
                self._receipt_failed(local_id, "job_failed", type(exc).__name__)
            else:
                self._printed_fine("receipt", printer)
                self._receipt_done(local_id, "printed", "")
                self.terminal.events.emit("printed", {"printer": "receipt", "local_id": local_id})

    def _receipt_done(self, local_id: str, state: str, message: str) -> None:
        with self._cond:
            if local_id in self._receipts:
                self._receipts[local_id] = {"state": state, "message": message}

    def _receipt_failed(self, local_id: str, reason: str, detail: str) -> None:
        log.warning("receipt not printed: %s", reason)
        self._receipt_done(local_id, "failed", RECEIPT_FAILED)
        self._alert(f"receipt_{reason}", f"receipt printer: {reason} ({detail}); citizens get on-screen receipts")
        self.terminal.events.emit("print_failed", {"printer": "receipt", "local_id": local_id, "reason": reason,
                                                   "message": RECEIPT_FAILED})

    # -- A4 ------------------------------------------------------------------------------------------
    def print_document(self, pdf: bytes, title: str, pages: int = 1) -> PrintJob:
        """Print a PDF on the A4 printer and follow it to its end on a thread of its own."""
        job = PrintJob(uuid.uuid4().hex, title, pages)
        cancel = threading.Event()
        with self._cond:
            self._jobs[job.id] = (job, cancel)
        printer = self._device("printer")
        if not printer.configured:
            self._a4_end(job, "failed", "no_printer")
            return job
        self.spool.mkdir(parents=True, exist_ok=True, mode=0o700)
        job.path = self.spool / f"{job.id}.pdf"
        fd = os.open(job.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        threading.Thread(target=self._a4_run, args=(printer, job, cancel), name="a4-job", daemon=True).start()
        return job

    def _a4_run(self, printer, job: PrintJob, cancel: threading.Event) -> None:
        try:
            if cancel.is_set():
                raise DeviceError(*_canceled())
            job_id = printer.print_file(str(job.path), job.title)
            job.device_job, job.state = job_id, "printing"
            printer.follow(job_id, timeout=A4_TIMEOUT + 10 * job.pages, cancel=cancel)
        except DeviceError as exc:
            self._a4_end(job, "canceled" if exc.code == "canceled" else "failed", exc.code)
        except Exception as exc:   # a driver bug: the citizen still gets an answer
            log.exception("A4 job failed")
            self._a4_end(job, "failed", "job_failed", type(exc).__name__)
        else:
            self._a4_end(job, "done", "")

    def _a4_end(self, job: PrintJob, state: str, reason: str, detail: str = "") -> None:
        if job.path is not None:
            job.path.unlink(missing_ok=True)
            job.path = None
        with self._cond:
            job.state, job.reason, job.message = state, reason, A4_WORDS.get(reason, "")
            self._jobs.pop(job.id, None)
            self._cond.notify_all()
        if state == "done":
            self._printed_fine("printer", self._device("printer"))
            self.terminal.events.emit("printed", {"printer": "a4", "job": job.id})
            return
        if state == "failed" and reason not in ("no_printer",):
            self._alert(f"printer_{reason}", f"A4 printer: {reason} {detail}".strip())
        self.terminal.events.emit("print_failed", {"printer": "a4", "job": job.id, "reason": reason,
                                                   "message": job.message})

    def test_page(self, which: str, timeout: float = 60.0) -> dict[str, Any]:
        """Staff's test print (maintenance screen; blocking): {"printer", "ok", "state", "reason"}."""
        section = "receipt" if which == "receipt" else "printer"
        device = self._device(section)
        reason = None
        if not device.configured:
            reason = "no_printer"
        elif section == "receipt":
            from devices.receipt.layout import check_receipt
            try:
                device.print_receipt(check_receipt(self.terminal.settings.get("terminal", "name"),
                                                   time.strftime("%Y-%m-%d %H:%M:%S")))
            except DeviceError as exc:
                reason = exc.code
        else:
            from devices.printer.testpage import check_page_pdf
            pdf, number = check_page_pdf(self.terminal.settings.get("terminal", "name"))
            job = self.wait(self.print_document(pdf, number), timeout)
            reason = None if job.state == "done" else (job.reason or "timeout")
        return {"printer": which, "ok": reason is None, "state": device.status().state.value, "reason": reason}

    def wait(self, job: PrintJob, timeout: float) -> PrintJob:
        """Block until `job` ended or `timeout` passed (tests and the CLI; screens follow events)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not job.finished and time.monotonic() < deadline:
                self._cond.wait(max(0.01, deadline - time.monotonic()))
        return job

    def cancel_all(self) -> None:
        """Cancel every A4 job not yet printed and delete its file (the session wipe calls this)."""
        with self._cond:
            pending = list(self._jobs.values())
        for _job, cancel in pending:
            cancel.set()           # the job's thread cancels it in CUPS and deletes its file
        deadline = time.monotonic() + 1.0
        with self._cond:
            while any(not job.finished for job, _ in pending) and time.monotonic() < deadline:
                self._cond.wait(0.1)
        for job, _ in pending:   # a stuck driver: the file still goes
            if job.path is not None:
                job.path.unlink(missing_ok=True)


def _canceled() -> tuple:
    from devices.printer.base import COMPLETION, MESSAGES
    return COMPLETION["canceled"], "canceled", MESSAGES["canceled"]


def preview_pages(pdf: bytes, width: int = 900) -> list:
    """Every page of a PDF as a PIL image `width` pixels wide (pypdfium2, in memory only)."""
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            scale = width / page.get_width()
            images.append(page.render(scale=scale).to_pil())
            page.close()
        return images
    finally:
        document.close()
