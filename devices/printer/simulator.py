"""The A4 printer's simulator twin: jobs that take a moment per page and end as completed.

What `[printer] driver = simulator` builds (demo mode, the tour, UI tests). It reads the page
count of each PDF (pypdfium2) and keeps nothing of the document: the file is the caller's and a
certificate carries personal data. `simulate("offline")` stops it as `cupsdisable` stops a queue,
`simulate("paper_out")` / `simulate("cover_open")` as a printer reporting media-empty / door-open,
`simulate("fail")` makes the next job abort. Like the CUPS driver it reports its state on every job
and status request, so a caller that never started it (the print-test CLI) still sees the real one.
"""
from __future__ import annotations

import itertools
import threading
import time

from devices.printer.base import (COVER_OPEN, JOB_FAILED, OFFLINE, PAPER_OUT, DocumentPrinterDevice, JobState,
                                  JobStatus, print_error)
from devices.states import DeviceState, DeviceStatus


STOPPED = {OFFLINE: (DeviceState.OFFLINE, "simulator: queue stopped"),
           PAPER_OUT: (DeviceState.HARDWARE_ERROR, "simulator: media-empty-error"),
           COVER_OPEN: (DeviceState.USER_ERROR, "simulator: door-open-error")}


class SimulatedDocumentPrinter(DocumentPrinterDevice):
    """Prints nothing, but goes through pending → processing → completed like a queue."""

    operations = DocumentPrinterDevice.operations | {"simulate"}

    def __init__(self, seconds_per_page: float = 0.3) -> None:
        super().__init__()
        self.seconds_per_page = seconds_per_page
        self.condition = "ok"
        self.pages_printed = 0
        self._ids = itertools.count(1)
        self._jobs: dict[int, dict] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self.refresh_status()

    def stop(self, timeout: float = 3.0) -> None:
        return

    def simulate(self, condition: str) -> None:
        """ok | offline | paper_out | cover_open | fail."""
        if condition not in ("ok", "fail", *STOPPED):
            raise ValueError(condition)
        self.condition = condition
        self.refresh_status()

    def refresh_status(self) -> DeviceStatus:
        state, detail = STOPPED.get(self.condition, (DeviceState.ONLINE, "simulator"))
        self.set_state(state, detail)
        return self.status()

    def print_file(self, path: str, title: str) -> int:
        self.refresh_status()
        if self.condition in STOPPED:
            raise print_error(self.condition, STOPPED[self.condition][1])
        import pypdfium2 as pdfium
        try:
            pdf = pdfium.PdfDocument(str(path))
            pages = len(pdf)
            pdf.close()
        except Exception as exc:
            raise print_error(JOB_FAILED, f"not a PDF: {type(exc).__name__}") from None
        with self._lock:
            job_id = next(self._ids)
            self._jobs[job_id] = {"start": time.monotonic(), "pages": pages, "canceled": False,
                                  "fail": self.condition == "fail"}
        return job_id

    def job_status(self, job_id: int) -> JobStatus:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise print_error(JOB_FAILED, f"job {job_id} unknown")
        self.refresh_status()
        if job["canceled"]:
            return JobStatus(JobState.CANCELED)
        elapsed = time.monotonic() - job["start"]
        why = self.condition if self.condition in STOPPED else ""
        if elapsed < 0.1:
            return JobStatus(JobState.PENDING, "", not why, why)
        if elapsed < 0.1 + self.seconds_per_page * job["pages"]:
            return JobStatus(JobState.PROCESSING, "", not why, why)
        if job["fail"]:
            return JobStatus(JobState.ABORTED, "simulator: job aborted")
        if not job.get("counted"):
            job["counted"] = True
            self.pages_printed += job["pages"]
        return JobStatus(JobState.COMPLETED)

    def cancel_job(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and self.job_status_final(job) is False:
                job["canceled"] = True

    def job_status_final(self, job: dict) -> bool:
        """Whether a job has already come out (then cancelling changes nothing)."""
        return time.monotonic() - job["start"] >= 0.1 + self.seconds_per_page * job["pages"]


def from_settings(settings) -> SimulatedDocumentPrinter:
    """`[printer] driver = simulator`."""
    return SimulatedDocumentPrinter()
