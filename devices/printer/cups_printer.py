"""`[printer] driver = cups`: the A4 printer as a CUPS queue, through pycups (libcups).

Each call opens its own connection to cupsd (a pycups Connection is not for sharing between
threads, and a local one costs well under a millisecond). A queue that is stopped (`cupsdisable`)
or refuses jobs is OFFLINE, a printer that reports media-empty or door-open (as an error, RFC 8011
suffixes) is paper_out / cover_open: `print_file` refuses at once with the plain failure instead of
leaving a job waiting for staff, and `follow` gives up on a job that got stuck behind a queue stopped
after it was sent. A4 documents print at true size; only other page sizes are fitted (job_options).
"""
from __future__ import annotations

import logging

from devices.printer.base import (COVER_OPEN, JOB_FAILED, NO_PRINTER, OFFLINE, PAPER_OUT, DocumentPrinterDevice,
                                  JobState, JobStatus, print_error)
from devices.states import DeviceError, DeviceState, DeviceStatus

log = logging.getLogger("devices.printer")

IPP_JOB_STATES = {3: JobState.PENDING, 4: JobState.HELD, 5: JobState.PROCESSING, 6: JobState.STOPPED,
                  7: JobState.CANCELED, 8: JobState.ABORTED, 9: JobState.COMPLETED}
IPP_PRINTER_STOPPED = 5
# printer-state-reasons keywords (RFC 8011 5.4.12, PWG 5100.9) that stop printing, most actionable
# first: the reason word the kiosk uses and the shared device state
STOPPING = {"door-open": (COVER_OPEN, DeviceState.USER_ERROR),     # a person opened it and must close it
            "cover-open": (COVER_OPEN, DeviceState.USER_ERROR),
            "interlock-open": (COVER_OPEN, DeviceState.USER_ERROR),
            "media-empty": (PAPER_OUT, DeviceState.HARDWARE_ERROR),  # staff must load paper
            "media-needed": (PAPER_OUT, DeviceState.HARDWARE_ERROR),
            "input-tray-missing": (OFFLINE, DeviceState.USER_ERROR),
            "media-jam": (OFFLINE, DeviceState.HARDWARE_ERROR),
            "toner-empty": (OFFLINE, DeviceState.HARDWARE_ERROR),
            "marker-supply-empty": (OFFLINE, DeviceState.HARDWARE_ERROR),
            "fuser-over-temp": (OFFLINE, DeviceState.HARDWARE_ERROR)}
SEVERITIES = ("-error", "-warning", "-report")
A4_PT = (595.28, 841.89)   # 210 × 297 mm
A4_TOLERANCE_PT = 6.0      # ~2 mm: PDF writers round A4 differently


def reason_keyword(reason: str) -> tuple[str, str]:
    """(keyword, severity) of one printer-state-reasons value: "media-empty-warning" → ("media-empty",
    "warning"). No suffix means error (RFC 8011 5.4.12)."""
    for suffix in SEVERITIES:
        if reason.endswith(suffix):
            return reason[: -len(suffix)], suffix[1:]
    return reason, "error"


def stopping_reason(reasons: list[str]) -> tuple[str, DeviceState] | None:
    """The condition among printer-state-reasons that stops printing (a known keyword reported as an
    error, or with no suffix), most actionable first; None when the printer can print (a -warning or
    -report is news for staff, not a stop)."""
    found = {keyword for keyword, severity in map(reason_keyword, reasons) if severity == "error"}
    for keyword, verdict in STOPPING.items():
        if keyword in found:
            return verdict
    return None


def is_a4(path: str) -> bool:
    """Whether every page of the PDF is A4 portrait (or landscape) within ~2 mm."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return False     # CUPS will say what it thinks of the file
    try:
        for i in range(len(pdf)):
            w, h = sorted(pdf.get_page_size(i))
            if abs(w - A4_PT[0]) > A4_TOLERANCE_PT or abs(h - A4_PT[1]) > A4_TOLERANCE_PT:
                return False
        return len(pdf) > 0
    finally:
        pdf.close()


def job_options(path: str) -> dict[str, str]:
    """An A4 document (the ID copy at true size, a certificate, the test page with its ruler) is
    printed as it is: no fit-to-page, which on a printer with 4 mm margins would shrink it to ~97 %.
    Only a page of another size is fitted onto A4."""
    if is_a4(path):
        return {"media": "A4", "print-scaling": "none"}
    return {"media": "A4", "fit-to-page": "true", "print-scaling": "fit"}


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

    def _assess(self, queue: str, attrs: dict) -> tuple[DeviceState, str, str]:
        """(state, detail for staff, reason word or "" when it can print) from the printer's attributes;
        notes whether the paper is running low (media-low, or media-empty as a warning or report)."""
        reasons = attrs.get("printer-state-reasons", [])
        reasons = [r for r in ([reasons] if isinstance(reasons, str) else reasons) if r != "none"]
        detail = f"queue {queue}: " + (", ".join(reasons) or "ready")
        stopping = stopping_reason(reasons)
        self.paper_near_end = any(keyword in ("media-low", "media-empty") and severity != "error"
                                  for keyword, severity in map(reason_keyword, reasons))
        if stopping is not None:
            reason, state = stopping
            return state, detail, reason
        if attrs.get("printer-state") == IPP_PRINTER_STOPPED or not attrs.get("printer-is-accepting-jobs", True):
            return DeviceState.OFFLINE, detail + " (stopped)", OFFLINE
        return DeviceState.ONLINE, detail, ""

    def refresh_status(self) -> DeviceStatus:
        try:
            conn = self._connect()
            queue, attrs = self._printer(conn)
        except DeviceError as exc:
            state = DeviceState.POWER_OFF if exc.code == OFFLINE else DeviceState.HARDWARE_ERROR
            self.set_state(state, exc.detail)
            return self.status()
        self.set_state(*self._assess(queue, attrs)[:2])
        return self.status()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.refresh_status()
            self._stop.wait(self.poll_interval)

    def print_file(self, path: str, title: str) -> int:
        import cups
        conn = self._connect()
        queue, attrs = self._printer(conn)
        state, detail, reason = self._assess(queue, attrs)
        self.set_state(state, detail)
        if reason:
            raise print_error(reason, detail)
        try:
            job_id = conn.printFile(queue, str(path), title, job_options(path))
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
        ready, why = True, ""
        if not state.final:
            try:
                queue, attrs = self._printer(conn)
                printer_state, detail, why = self._assess(queue, attrs)
                ready = not why
                self.set_state(printer_state, detail)
            except DeviceError:
                ready, why = False, OFFLINE
        return JobStatus(state, reasons, ready, why)

    def cancel_job(self, job_id: int) -> None:
        import cups
        try:
            self._connect().cancelJob(job_id)
        except (cups.IPPError, DeviceError):
            pass   # already ended, or cupsd went away: nothing left to cancel


def from_settings(settings) -> CupsPrinter:
    """[printer] queue."""
    return CupsPrinter(settings.get("printer", "queue"))
