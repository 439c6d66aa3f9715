"""The A4 printer through the real cupsd onto a cups-pdf queue: the PDF that comes out has the pages
and the document number; a disabled queue is the plain failure at once, and a job that got stuck
behind a queue stopped later is cancelled, not waited for."""
import os
import subprocess
import time
import uuid

import pypdfium2 as pdfium
import pytest

from devices.printer.base import JobState
from devices.printer.cups_printer import CupsPrinter
from devices.printer.testpage import check_page_pdf
from devices.states import DeviceError, DeviceState
from tests.devices.conftest import cups_pdf_output


def _text(path) -> tuple[int, str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf), "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _difference(a, b) -> float:
    """Share of differing pixels between page 1 of two PDFs rendered at 50 dpi, in black and white."""
    from PIL import ImageChops
    images = []
    for path in (a, b):
        pdf = pdfium.PdfDocument(path)
        images.append(pdf[0].render(scale=50 / 72).to_pil().convert("L").point(lambda v: 255 if v > 160 else 0))
        pdf.close()
    if images[0].size != images[1].size:
        images[1] = images[1].resize(images[0].size)
    diff = ImageChops.difference(*images)
    return sum(1 for v in diff.getdata() if v) / (diff.width * diff.height)


def _certificate(tmp_path):
    """A two-page 社保参保证明 as the reference platform issues it."""
    from flask import Flask  # noqa: F401  (the platform's own app builds the PDF)
    from platform_server.app import create_app
    app = create_app(tmp_path / "platform.db", {"t": "T1"})
    response = app.test_client().post(
        "/api/v1/documents/issue", json={"type": "social_insurance",
                                         "holder": {"id_number": "371702199001011234", "name": "张三"}},
        headers={"Authorization": "Bearer t", "X-Terminal-Id": "T1", "Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 200
    path = tmp_path / "doc.pdf"
    path.write_bytes(response.data)
    return path, response.headers["X-Document-No"], int(response.headers["X-Page-Count"])


def test_a_certificate_goes_through_cupsd_and_comes_out_with_its_pages_and_number(cups_queue, tmp_path):
    path, number, pages = _certificate(tmp_path)
    printer = CupsPrinter(cups_queue)
    assert printer.refresh_status().state is DeviceState.ONLINE
    job = printer.print_file(str(path), number)
    assert printer.follow(job, timeout=60) is JobState.COMPLETED
    out = cups_pdf_output(job)
    try:
        count, text = _text(out)
        assert count == pages == 2
        assert number in text
        # Ghostscript (cups-pdf) drops the CJK text's Unicode map, so look at the paper instead: the page
        # that came out looks like the page that went in (a missing font would draw boxes or nothing)
        assert _difference(path, out) < 0.02
    finally:
        os.unlink(out)


def test_only_a_page_that_is_not_a4_is_fitted(cups_queue, tmp_path):
    """A certificate (A4) goes at true size; a US Letter page is fitted onto A4."""
    import cups
    from PIL import Image
    path, number, _ = _certificate(tmp_path)
    letter = tmp_path / "letter.pdf"
    Image.new("L", (850, 1100), 255).save(letter, "PDF", resolution=100)    # 8.5 × 11 in
    printer = CupsPrinter(cups_queue)
    conn = cups.Connection()
    sent = {}
    for name, pdf in (("a4", path), ("letter", letter)):
        job = printer.print_file(str(pdf), f"{number}-{name}")
        printer.follow(job, timeout=60)
        sent[name] = conn.getJobAttributes(job)
        os.unlink(cups_pdf_output(job))
    assert "fit-to-page" not in sent["a4"] and sent["a4"]["print-scaling"] == "none"
    assert sent["letter"]["fit-to-page"] is True and sent["letter"]["print-scaling"] == "fit"


def test_the_test_page_prints(cups_queue):
    pdf, number = check_page_pdf("菏泽市政务服务中心 自助终端 1 号")
    printer = CupsPrinter(cups_queue)
    path = f"/tmp/kiosk-testpage-{uuid.uuid4().hex}.pdf"
    with open(path, "wb") as fh:
        fh.write(pdf)
    try:
        job = printer.print_file(path, number)
        printer.follow(job, timeout=60)
        out = cups_pdf_output(job)
        assert _text(out) == (1, _text(out)[1]) and number in _text(out)[1]
        os.unlink(out)
    finally:
        os.unlink(path)


def test_a_disabled_queue_is_the_plain_failure_at_once(cups_queue, tmp_path):
    subprocess.run(["cupsdisable", cups_queue], check=True)
    printer = CupsPrinter(cups_queue)
    assert printer.refresh_status().state is DeviceState.OFFLINE
    path, number, _ = _certificate(tmp_path)
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        printer.print_file(str(path), number)
    assert err.value.code == "offline" and err.value.message == "打印机暂时不能用。"
    assert time.monotonic() - started < 2


def test_a_queue_stopped_after_the_job_was_sent_cancels_the_job(cups_queue, tmp_path):
    import cups
    path, number, _ = _certificate(tmp_path)
    printer = CupsPrinter(cups_queue)
    subprocess.run(["cupsreject", cups_queue], check=True)     # not accepting: refused at once too
    with pytest.raises(DeviceError) as err:
        printer.print_file(str(path), number)
    assert err.value.code == "offline"
    subprocess.run(["cupsaccept", cups_queue], check=True)
    # a job held on arrival, the queue stopped, then the job released: it now waits on a stopped queue
    conn = cups.Connection()
    job = conn.printFile(cups_queue, str(path), number, {"job-hold-until": "indefinite"})
    subprocess.run(["cupsdisable", cups_queue], check=True)
    conn.setJobHoldUntil(job, "no-hold")
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        printer.follow(job, timeout=30, stalled_after=1.0)
    assert err.value.code == "offline" and time.monotonic() - started < 5
    assert printer.job_status(job).state is JobState.CANCELED


def test_an_unknown_queue_is_no_printer(cupsd):
    with pytest.raises(DeviceError) as err:
        CupsPrinter("no-such-queue-here").print_file("/dev/null", "x")
    assert err.value.code == "no_printer"


def test_the_terminal_prints_a_certificate_through_cupsd(cups_queue, data_dir):
    """证明打印 end to end: the platform process issues the PDF, the kiosk prints it on the cups-pdf queue."""
    from kiosk.demo import demo_identity
    from kiosk.settings import load_settings
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    from platform_server.process import PlatformProcess
    with PlatformProcess(data_dir.parent / "platform" / "platform.db") as server:
        settings = load_settings(env={}, overrides={
            ("storage", "data_dir"): str(data_dir), ("terminal", "id"): server.terminal_id,
            ("platform", "url"): server.url, ("platform", "token"): server.token, ("printer", "driver"): "cups", ("printer", "queue"): cups_queue})
        terminal = Terminal(settings, voice=Voice(enabled=False))
        terminal.start(services=False, devices=False)
        try:
            terminal.identify(demo_identity())
            flow = terminal.open_flow("certificates")
            flow.load()
            assert flow.choose("social_insurance")
            number = flow.state.document.number
            flow.submit()
            job = terminal.printing.wait(flow.state.job, 60)
            assert job.state == "done", job.message
            out = cups_pdf_output(job.device_job)
            try:
                assert _text(out)[0] == 2 and number in _text(out)[1]
            finally:
                os.unlink(out)
            assert not list((data_dir / "print").glob("*"))
        finally:
            terminal.stop()
