"""The A4 printer family: what every document printer, real (CUPS) or simulated, can do."""
from __future__ import annotations

import abc
import enum
import threading
import time
from dataclasses import dataclass

from devices.base import Device
from devices.states import Completion, DeviceError

# what went wrong, as the CLI and the kiosk name it
OFFLINE, NO_PRINTER, JOB_FAILED, TIMEOUT, CANCELED = "offline", "no_printer", "job_failed", "timeout", "canceled"
PAPER_OUT, COVER_OPEN = "paper_out", "cover_open"
MESSAGES = {
    PAPER_OUT: "打印机没有纸了。",
    COVER_OPEN: "打印机的盖子没有关好。",
    OFFLINE: "打印机暂时不能用。",
    NO_PRINTER: "这台机器没有连接打印机。",
    JOB_FAILED: "没有打印出来。",
    TIMEOUT: "打印机太久没有反应。",
    CANCELED: "打印已取消。",
}
COMPLETION = {PAPER_OUT: Completion.DEVICE_NOT_READY, COVER_OPEN: Completion.USER_ERROR,
              OFFLINE: Completion.DEVICE_NOT_READY, NO_PRINTER: Completion.DEVICE_NOT_READY,
              JOB_FAILED: Completion.HARDWARE_ERROR, TIMEOUT: Completion.TIME_OUT, CANCELED: Completion.CANCELED}


# following a job: ask again after a tenth of the time waited so far, never sooner than 20 ms nor later
# than 1 s. The end of a job is seen at most ~10 % (or 20 ms) after it happened, and a job of a
# minute costs ~100 status requests rather than the 300 of a fixed 0.2 s poll.
POLL = (0.02, 1.0, 0.1)


def poll_delay(elapsed: float, poll: tuple[float, float, float] = POLL) -> float:
    """How long to wait before asking about a job again, `elapsed` seconds after it was sent."""
    shortest, longest, share = poll
    return min(longest, max(shortest, elapsed * share))


def print_error(reason: str, detail: str = "") -> DeviceError:
    """A DeviceError whose code is the reason word (paper_out, cover_open, offline, no_printer, job_failed,
    timeout, canceled)."""
    return DeviceError(COMPLETION[reason], reason, MESSAGES[reason], detail)


class JobState(str, enum.Enum):
    """IPP job-state (RFC 8011 5.3.7) by name."""
    PENDING = "pending"          # 3
    HELD = "held"                # 4
    PROCESSING = "processing"    # 5
    STOPPED = "stopped"          # 6
    CANCELED = "canceled"        # 7
    ABORTED = "aborted"          # 8
    COMPLETED = "completed"      # 9

    @property
    def final(self) -> bool:
        return self in (JobState.CANCELED, JobState.ABORTED, JobState.COMPLETED)


@dataclass(frozen=True)
class JobStatus:
    """Where one job is; `printer_ready` False when the queue is stopped/disabled or the printer
    reports a condition that stops it (`printer_reason`: paper_out | cover_open | offline)."""
    state: JobState
    detail: str = ""
    printer_ready: bool = True
    printer_reason: str = ""


class DocumentPrinterDevice(Device):
    """An A4 printer that takes PDF files as jobs.

    Events: "state" (DeviceStatus), "error" (DeviceError).

    Operations (`can(...)`):
      print_file      every printer: send a PDF as one job, return its job id; raises DeviceError
                      (paper_out | cover_open | offline | no_printer | job_failed). An A4 document
                      goes at true size (no scaling), any other page size is fitted to A4
      job_status      every printer: where a job is now (JobStatus)
      cancel_job      every printer: cancel a job not yet printed
      refresh_status  every printer: ask the printer now and return the DeviceStatus
      simulate        simulator only: make the simulated printer ok | offline | fail
    """

    name = "printer"
    operations = frozenset({"print_file", "job_status", "cancel_job", "refresh_status"})
    paper_near_end = False     # True while the printer says its paper is running low (it still prints)

    @abc.abstractmethod
    def print_file(self, path: str, title: str) -> int:
        """Queue the PDF at `path` as one job titled `title`; returns the job id."""

    @abc.abstractmethod
    def job_status(self, job_id: int) -> JobStatus:
        """The job's state now (never blocks for long)."""

    @abc.abstractmethod
    def cancel_job(self, job_id: int) -> None:
        """Cancel the job if it has not printed yet (no error when it already ended)."""

    @abc.abstractmethod
    def refresh_status(self):
        """Ask the printer for its state now and report it (DeviceStatus)."""

    def follow(self, job_id: int, timeout: float, cancel: threading.Event | None = None,
               stalled_after: float = 5.0, poll: tuple[float, float, float] = POLL) -> JobState:
        """Wait until the job ends: COMPLETED returns; anything else raises DeviceError.

        A job held on a stopped queue for `stalled_after` seconds is cancelled and reported offline
        (a citizen should not wait for staff who may not come); `cancel` set: cancelled.
        `poll` = (shortest, longest, share): the status is asked again after `share` of the time
        followed so far, within [shortest, longest] seconds (see POLL)."""
        started = time.monotonic()
        deadline = started + timeout
        stalled_since = None
        while True:
            status = self.job_status(job_id)
            if status.state is JobState.COMPLETED:
                return status.state
            if status.state.final:
                reason = CANCELED if status.state is JobState.CANCELED else JOB_FAILED
                raise print_error(reason, f"job {job_id} {status.state.value}: {status.detail}")
            if cancel is not None and cancel.is_set():
                self.cancel_job(job_id)
                raise print_error(CANCELED, f"job {job_id} cancelled")
            now = time.monotonic()
            if not status.printer_ready or status.state is JobState.STOPPED:
                stalled_since = stalled_since or now
                if now - stalled_since >= stalled_after:
                    self.cancel_job(job_id)
                    raise print_error(status.printer_reason or OFFLINE,
                                      f"job {job_id} waits on a stopped printer: {status.detail}")
            else:
                stalled_since = None
            if now >= deadline:
                self.cancel_job(job_id)
                raise print_error(TIMEOUT, f"job {job_id} not done in {timeout:.0f} s ({status.state.value})")
            delay = poll_delay(now - started, poll)
            if cancel is not None:
                cancel.wait(delay)       # a wipe cancels at once, not after the next poll
            else:
                time.sleep(delay)
