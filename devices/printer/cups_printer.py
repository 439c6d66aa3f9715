"""`[printer] driver = cups`: the A4 printer as a CUPS queue, through pycups (libcups).

Each call opens its own connection to cupsd (a pycups Connection is not for sharing between
threads, and a local one costs well under a millisecond). A queue that is stopped (`cupsdisable`)
or refuses jobs is OFFLINE: `print_file` refuses at once with the plain failure instead of leaving
a job waiting for staff, and `follow` gives up on a job that got stuck behind a queue stopped
after it was sent.
"""
from __future__ import annotations

import logging

from devices.printer.base import (JOB_FAILED, NO_PRINTER, OFFLINE, DocumentPrinterDevice, JobState, JobStatus,
                                  print_error)
from devices.states import DeviceError, DeviceState, DeviceStatus

log = logging.getLogger("devices.printer")

IPP_JOB_STATES = {3: JobState.PENDING, 4: JobState.HELD, 5: JobState.PROCESSING, 6: JobState.STOPPED,
                  7: JobState.CANCELED, 8: JobState.ABORTED, 9: JobState.COMPLETED}
IPP_PRINTER_STOPPED = 5
# printer-state-reasons that a person must fix at the printer, and those that need staff
USER_REASONS = ("door-open", "cover-open", "media-needed", "media-empty", "input-tray-missing")
HARDWARE_REASONS = ("media-jam", "toner-empty", "marker-supply-empty", "fuser-over-temp")


class CupsPrinter(DocumentPrinterDevice):
    """A CUPS queue (`queue` empty: the server's default destination)."""

    def __init__(self, queue: str = "", poll_interval: float = 30.0) -> None:
        super().__init__()
        self.queue_setting = queue
        self.poll_interval = poll_interval

    def _connect(self):
        import cups
        try:
            return cups.Connection()
        except (RuntimeError, cups.IPPError) as exc:
            raise print_error(OFFLINE, f"cupsd not reachable: {exc}") from None

    def _queue(self, conn) -> str:
        queue = self.queue_setting or conn.getDefault()
        if not queue:
            raise print_error(NO_PRINTER, "no [printer] queue and no CUPS default destination")
        return queue

    def _printer(self, conn) -> tuple[str, dict]:
        import cups
        queue = self._queue(conn)
        try:
            attrs = conn.getPrinterAttributes(queue, requested_attributes=[
                "printer-state", "printer-state-reasons", "printer-is-accepting-jobs"])
        except cups.IPPError:
            raise print_error(NO_PRINTER, f"CUPS has no queue {queue!r}") from None
        return queue, attrs

    @staticmethod
    def _assess(queue: str, attrs: dict) -> tuple[DeviceState, str]:
        reasons = [r for r in attrs.get("printer-state-reasons", []) if r != "none"]
        detail = f"queue {queue}: " + (", ".join(reasons) or "ready")
        if attrs.get("printer-state") == IPP_PRINTER_STOPPED or not attrs.get("printer-is-accepting-jobs", True):
            return DeviceState.OFFLINE, detail + " (stopped)"
        if any(r.startswith(HARDWARE_REASONS) for r in reasons):
            return DeviceState.HARDWARE_ERROR, detail
        if any(r.startswith(USER_REASONS) for r in reasons):
            return DeviceState.USER_ERROR, detail
        return DeviceState.ONLINE, detail

    def refresh_status(self) -> DeviceStatus:
        try:
            conn = self._connect()
            queue, attrs = self._printer(conn)
        except DeviceError as exc:
            state = DeviceState.POWER_OFF if exc.code == OFFLINE else DeviceState.HARDWARE_ERROR
            self.set_state(state, exc.detail)
            return self.status()
        self.set_state(*self._assess(queue, attrs))
        return self.status()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.refresh_status()
            self._stop.wait(self.poll_interval)

    def print_file(self, path: str, title: str) -> int:
        import cups
        conn = self._connect()
        queue, attrs = self._printer(conn)
        state, detail = self._assess(queue, attrs)
        self.set_state(state, detail)
        if state is not DeviceState.ONLINE:
            raise print_error(OFFLINE, detail)
        try:
            job_id = conn.printFile(queue, str(path), title, {"media": "A4", "fit-to-page": "true"})
        except cups.IPPError as exc:
            raise print_error(JOB_FAILED, f"CUPS refused the job: {exc}") from None
        log.info("A4 job %s sent to %s", job_id, queue)
        return job_id

    def job_status(self, job_id: int) -> JobStatus:
        import cups
        conn = self._connect()
        try:
            job = conn.getJobAttributes(job_id, requested_attributes=["job-state", "job-state-reasons",
                                                                        "job-printer-uri"])
        except cups.IPPError as exc:
            raise print_error(JOB_FAILED, f"job {job_id} unknown to CUPS: {exc}") from None
        state = IPP_JOB_STATES.get(job.get("job-state"), JobState.PENDING)
        reasons = job.get("job-state-reasons", [])
        reasons = ", ".join(reasons) if isinstance(reasons, list) else str(reasons)
        ready = True
        if not state.final:
            try:
                queue, attrs = self._printer(conn)
                printer_state, detail = self._assess(queue, attrs)
                ready = printer_state is DeviceState.ONLINE
                self.set_state(printer_state, detail)
            except DeviceError:
                ready = False
        return JobStatus(state, reasons, ready)

    def cancel_job(self, job_id: int) -> None:
        import cups
        try:
            self._connect().cancelJob(job_id)
        except (cups.IPPError, DeviceError):
            pass   # already ended, or cupsd went away: nothing left to cancel


def from_settings(settings) -> CupsPrinter:
    """[printer] queue."""
    return CupsPrinter(settings.get("printer", "queue"))
