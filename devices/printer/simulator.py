"""The A4 printer's simulator twin: jobs that take a moment per page and end as completed.

What `[printer] driver = simulator` builds (demo mode, the tour, UI tests). It reads the page
count of each PDF (pypdfium2) and keeps nothing of the document: the file is the caller's and a
certificate carries personal data. `simulate("offline")` stops it as `cupsdisable` stops a queue,
`simulate("fail")` makes the next job abort.
"""
from __future__ import annotations

import itertools
import threading
import time

from devices.printer.base import JOB_FAILED, OFFLINE, DocumentPrinterDevice, JobState, JobStatus, print_error
from devices.states import DeviceState, DeviceStatus


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
        """ok | offline | fail."""
        if condition not in ("ok", "offline", "fail"):
            raise ValueError(condition)
        self.condition = condition
        self.refresh_status()

    def refresh_status(self) -> DeviceStatus:
        if self.condition == "offline":
            self.set_state(DeviceState.OFFLINE, "simulator: queue stopped")
        else:
            self.set_state(DeviceState.ONLINE, "simulator")
        return self.status()

    def print_file(self, path: str, title: str) -> int:
        if self.condition == "offline":
            raise print_error(OFFLINE, "simulator: queue stopped")
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
        if job["canceled"]:
            return JobStatus(JobState.CANCELED)
        elapsed = time.monotonic() - job["start"]
        if elapsed < 0.1:
            return JobStatus(JobState.PENDING)
        if elapsed < 0.1 + self.seconds_per_page * job["pages"]:
            return JobStatus(JobState.PROCESSING)
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
