"""The maintenance self-tests on the real device test rigs: the SAM reader driver on a pty, pcscd with a
virtual 社保卡 (vpcd), a cups-pdf queue, a virtual ESC/POS printer on TCP."""
from __future__ import annotations

import pytest

from devices.base import NoDevice
from devices.states import DeviceState
from kiosk.maintenance.results import Context
from kiosk.maintenance.selftests import run_test
from kiosk.settings import load_settings


def _ctx(data_dir, devices: dict, demo: bool = False, person: bool = True) -> Context:
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir),
                                                ("terminal", "demo"): "true" if demo else "false"})
    return Context(settings=settings, device=lambda s: devices.get(s) or NoDevice(s), person=person)


def test_idcard_self_test_on_the_real_driver_over_a_pty(id_reader, sam_sim, data_dir):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    ctx = _ctx(data_dir, {"idcard": reader})
    import threading
    threading.Timer(0.5, sam_sim.present, args=("resident",)).start()    # staff lay the card
    result = run_test("idcard", ctx)
    sam_sim.remove()
    record = sam_sim.cards["resident"]
    assert result.ok, result.summary
    assert 0 <= result.figures["read_ms"] < 5000 and "读卡用时" in result.summary   # a pty has no baud timing
    shown = " ".join(result.lines)
    assert record.id_number not in shown and record.id_number[-4:] in shown and "SAM 编号" in shown
    quiet = run_test("idcard", _ctx(data_dir, {"idcard": reader}, person=False))
    assert quiet.ok and quiet.state == "online"


def test_idcard_self_test_without_a_card_says_so(id_reader, data_dir):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    ctx = _ctx(data_dir, {"idcard": reader})
    import threading
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()      # staff left the screen
    import dataclasses
    result = run_test("idcard", dataclasses.replace(ctx, cancel=cancel))
    assert result.level == "warn" and "没有等到身份证" in result.summary


def test_sscard_self_test_reads_the_atr_through_pcscd(pcscd, data_dir):
    import threading

    from devices.sscard.reader import SsCardReader
    from devices.sscard.vpcd_card import DEFAULT_ATR, SocialSecurityApplet, VpcdCard, demo_cards
    from tests.devices.conftest import Events
    reader = SsCardReader(pcscd, wait_ms=100, retry_interval=0.2)
    events = Events(reader)
    reader.start()
    card = VpcdCard(SocialSecurityApplet(demo_cards()["default"]))
    try:
        events.wait_state(DeviceState.ONLINE)
        threading.Timer(0.3, card.insert).start()
        result = run_test("sscard", _ctx(data_dir, {"sscard": reader}))
    finally:
        card.remove()
        reader.stop()
    assert result.ok, result.summary
    assert f"ATR {DEFAULT_ATR.hex(' ').upper()}" in result.lines
    assert demo_cards()["default"].ssn not in " ".join(result.lines)
    assert 0 <= result.figures["read_ms"] < 5000


def test_a4_self_test_prints_through_cups(cups_queue, data_dir):
    from devices.printer.cups_printer import CupsPrinter
    from tests.devices.conftest import cups_pdf_output  # noqa: F401  (cups-pdf writes the page)
    printer = CupsPrinter(cups_queue, poll_interval=0.5)
    result = run_test("a4", _ctx(data_dir, {"printer": printer}))
    assert result.ok, result.summary
    quiet = run_test("a4", _ctx(data_dir, {"printer": printer}, person=False))
    assert quiet.ok and "只查状态" in " ".join(quiet.lines), "no test page on a real printer without a person"


def test_receipt_self_test_on_a_virtual_escpos_printer(virtual_receipt_printer, data_dir):
    from devices.receipt.driver import EscposReceiptPrinter
    from devices.receipt.transport import NetworkTransport
    driver = EscposReceiptPrinter(NetworkTransport(*virtual_receipt_printer.address), status_timeout=0.5)
    try:
        result = run_test("receipt", _ctx(data_dir, {"receipt": driver}))
        assert result.ok, result.summary
        assert virtual_receipt_printer.wait_receipts(1)[0].image().height > 300
        virtual_receipt_printer.set("cover_open")
        result = run_test("receipt", _ctx(data_dir, {"receipt": driver}))
        assert result.level == "fail" and "盖子" in result.summary
    finally:
        driver.stop()


@pytest.mark.parametrize("section", ["idcard", "sscard", "scanner", "receipt", "printer"])
def test_a_device_the_terminal_does_not_have(section, data_dir):
    key = "a4" if section == "printer" else section
    result = run_test(key, _ctx(data_dir, {}))
    assert result.level == "warn" and result.state == "noDevice" and "没有配置" in result.summary
