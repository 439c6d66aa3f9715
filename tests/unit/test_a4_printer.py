"""The A4 printer without cupsd: how a job is followed (soon after it ends, without asking all the time),
what CUPS printer-state-reasons mean (RFC 8011 suffixes), and the simulator's state after a job."""
from __future__ import annotations

import time

import pytest

from devices.printer.base import JobState, poll_delay
from devices.printer.cups_printer import CupsPrinter, reason_keyword, stopping_reason
from devices.printer.simulator import SimulatedDocumentPrinter
from devices.states import DeviceError, DeviceState


def _pdf(tmp_path, pages: int = 1):
    from PIL import Image
    path = tmp_path / "doc.pdf"
    images = [Image.new("L", (210, 297), 255) for _ in range(pages)]
    images[0].save(path, "PDF", resolution=25.4, save_all=True, append_images=images[1:])
    return path


class CountingPrinter(SimulatedDocumentPrinter):
    """The simulator, noting when it was asked about a job."""

    def __init__(self, seconds_per_page: float) -> None:
        super().__init__(seconds_per_page)
        self.asked: list[float] = []

    def job_status(self, job_id):
        self.asked.append(time.monotonic())
        return super().job_status(job_id)


def test_the_poll_starts_short_and_backs_off_to_a_second():
    assert poll_delay(0.0) == 0.02 and poll_delay(0.1) == 0.02
    assert poll_delay(2.0) == pytest.approx(0.2)           # a tenth of the time waited so far
    assert poll_delay(30.0) == 1.0 and poll_delay(600.0) == 1.0
    asked, t = 0, 0.0
    while t < 60:
        t += poll_delay(t)
        asked += 1
    assert asked < 110                                      # a fixed 0.2 s poll: 300 requests a minute


def test_a_short_job_is_seen_ending_within_a_tenth_of_its_time(tmp_path):
    printer = CountingPrinter(seconds_per_page=0.25)       # ends 0.35 s after it was sent
    job = printer.print_file(str(_pdf(tmp_path)), "HZTEST")
    sent = time.monotonic()
    assert printer.follow(job, timeout=10) is JobState.COMPLETED
    took = time.monotonic() - sent
    early = [t for t in printer.asked if t - sent < 0.3]
    assert len(early) >= 5, "asked again only every 0.2 s"  # a fixed 0.2 s poll asks twice in 0.3 s
    assert took < 0.35 + 0.1 * 0.35 + 0.1                  # (0.1 s of slack for a loaded machine)


def test_a_long_job_is_not_asked_about_all_the_time(tmp_path):
    printer = CountingPrinter(seconds_per_page=1.0)
    job = printer.print_file(str(_pdf(tmp_path, pages=3)), "HZTEST")   # 3.1 s
    printer.follow(job, timeout=10)
    assert 20 <= len(printer.asked) <= 45                   # 20 ms all along: 155; 0.2 s: 16


def test_a_wipe_cancels_a_long_job_at_once(tmp_path):
    import threading
    printer = SimulatedDocumentPrinter(seconds_per_page=10.0)
    job = printer.print_file(str(_pdf(tmp_path)), "HZTEST")
    cancel = threading.Event()
    threading.Timer(3.0, cancel.set).start()                # the poll is near its longest by then
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        printer.follow(job, timeout=60, cancel=cancel)
    assert err.value.code == "canceled" and time.monotonic() - started < 3.2


@pytest.mark.parametrize("reason, expected", [
    ("media-empty", ("media-empty", "error")),
    ("media-empty-error", ("media-empty", "error")),
    ("media-empty-warning", ("media-empty", "warning")),
    ("toner-low-report", ("toner-low", "report")),
    ("cups-waiting-for-job-completed", ("cups-waiting-for-job-completed", "error")),
])
def test_a_reason_is_a_keyword_and_a_severity(reason, expected):
    assert reason_keyword(reason) == expected


@pytest.mark.parametrize("reasons, verdict", [
    (["media-empty-error"], ("paper_out", DeviceState.HARDWARE_ERROR)),
    (["media-empty"], ("paper_out", DeviceState.HARDWARE_ERROR)),         # no suffix: an error
    (["media-needed-error"], ("paper_out", DeviceState.HARDWARE_ERROR)),
    (["door-open-error"], ("cover_open", DeviceState.USER_ERROR)),
    (["cover-open"], ("cover_open", DeviceState.USER_ERROR)),
    (["media-empty-error", "door-open-error"], ("cover_open", DeviceState.USER_ERROR)),  # close it first
    (["media-jam-error"], ("offline", DeviceState.HARDWARE_ERROR)),
    (["toner-empty-error"], ("offline", DeviceState.HARDWARE_ERROR)),
    (["media-empty-warning"], None),        # the tray is running low: print on
    (["media-empty-report"], None),
    (["door-open-report", "toner-low-warning"], None),
    (["media-jammed-ish"], None),           # a keyword we do not know stops nothing (no prefix match)
    (["none"], None),
    ([], None),
])
def test_only_an_error_stops_the_printer(reasons, verdict):
    assert stopping_reason(reasons) == verdict


@pytest.mark.parametrize("attrs, state, reason, low", [
    ({"printer-state": 3, "printer-state-reasons": ["none"]}, DeviceState.ONLINE, "", False),
    ({"printer-state": 3, "printer-state-reasons": ["media-empty-warning"]}, DeviceState.ONLINE, "", True),
    ({"printer-state": 3, "printer-state-reasons": ["media-low-report"]}, DeviceState.ONLINE, "", True),
    ({"printer-state": 4, "printer-state-reasons": ["media-empty-error"]}, DeviceState.HARDWARE_ERROR, "paper_out",
     False),
    ({"printer-state": 4, "printer-state-reasons": ["door-open-error"]}, DeviceState.USER_ERROR, "cover_open", False),
    ({"printer-state": 5, "printer-state-reasons": ["paused"]}, DeviceState.OFFLINE, "offline", False),
    ({"printer-state": 3, "printer-state-reasons": ["none"], "printer-is-accepting-jobs": False},
     DeviceState.OFFLINE, "offline", False),
])
def test_the_printer_attributes_become_a_state_and_a_reason(attrs, state, reason, low):
    printer = CupsPrinter("q")
    got_state, detail, got_reason = printer._assess("q", attrs)
    assert (got_state, got_reason, printer.paper_near_end) == (state, reason, low)
    assert detail.startswith("queue q: ")


@pytest.mark.parametrize("condition, state", [("paper_out", DeviceState.HARDWARE_ERROR),
                                              ("cover_open", DeviceState.USER_ERROR),
                                              ("offline", DeviceState.OFFLINE)])
def test_the_simulator_refuses_with_the_reason(tmp_path, condition, state):
    printer = SimulatedDocumentPrinter()
    printer.simulate(condition)
    with pytest.raises(DeviceError) as err:
        printer.print_file(str(_pdf(tmp_path)), "HZTEST")
    assert err.value.code == condition and printer.status().state is state


def test_paper_running_out_during_a_job_ends_it_as_paper_out(tmp_path):
    printer = SimulatedDocumentPrinter(seconds_per_page=5.0)
    job = printer.print_file(str(_pdf(tmp_path)), "HZTEST")
    printer.simulate("paper_out")
    with pytest.raises(DeviceError) as err:
        printer.follow(job, timeout=30, stalled_after=0.3)
    assert err.value.code == "paper_out"


def test_the_simulator_that_was_never_started_reports_its_real_state(tmp_path):
    printer = SimulatedDocumentPrinter(seconds_per_page=0.05)
    assert printer.status().state is DeviceState.POWER_OFF        # nothing asked yet
    job = printer.print_file(str(_pdf(tmp_path)), "HZTEST")
    printer.follow(job, timeout=5)
    assert printer.status().state is DeviceState.ONLINE
