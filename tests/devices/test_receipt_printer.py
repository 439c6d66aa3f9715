"""The receipt printer driver against a virtual ESC/POS printer that parses the bytes on its own:
over TCP (network printers) and a pty (serial printers), with paper end, cover open, an offline
printer and one that never answers — each a plain reason within a few seconds."""
import time

import pytest

from devices.receipt.driver import EscposReceiptPrinter
from devices.receipt.layout import Receipt, check_receipt
from devices.receipt.transport import NetworkTransport, SerialTransport
from devices.receipt.virtual_printer import VirtualEscposPrinter
from devices.states import DeviceError, DeviceState
from tests.devices.conftest import Events

RECEIPT = Receipt("提交成功", "菏泽市政务服务中心 自助终端 1 号", [("本机编号", "HZ-DEMO-0001-000042")],
                  "工作人员会在 3 个工作日内联系您。", "HZ-DEMO-0001-000042", "扫码查询办理进度")


@pytest.fixture
def net_printer(virtual_receipt_printer):
    driver = EscposReceiptPrinter(NetworkTransport(*virtual_receipt_printer.address), status_timeout=0.5)
    yield virtual_receipt_printer, driver
    driver.stop()


def test_a_receipt_comes_out_whole_and_cut_after_two_status_checks(net_printer):
    virtual, driver = net_printer
    events = Events(driver)
    driver.print_receipt(RECEIPT)
    printed = virtual.wait_receipts(1)[0]
    assert printed.image().size == (576, printed.image().height) and printed.image().height > 300
    assert virtual.queries == [1, 2, 4, 1, 2, 4]     # asked before and after the job
    assert driver.status().state is DeviceState.ONLINE
    events.wait_state(DeviceState.ONLINE)


def test_the_picture_the_printer_got_is_the_receipt_the_driver_drew(net_printer):
    from devices.receipt.layout import render
    virtual, driver = net_printer
    driver.print_receipt(check_receipt("终端", "2026-11-30 15:00"))
    assert virtual.wait_receipts(1)[0].image().tobytes() == render(check_receipt("终端", "2026-11-30 15:00")).tobytes()


@pytest.mark.parametrize("condition, reason, state", [
    ("paper_out", "paper_out", DeviceState.HARDWARE_ERROR),
    ("cover_open", "cover_open", DeviceState.USER_ERROR),
    ("offline", "offline", DeviceState.OFFLINE),
    ("silent", "offline", DeviceState.POWER_OFF),
])
def test_a_printer_that_cannot_print_is_a_plain_reason_within_seconds(net_printer, condition, reason, state):
    virtual, driver = net_printer
    virtual.set(condition)
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        driver.print_receipt(RECEIPT)
    assert time.monotonic() - started < 3.0
    assert err.value.code == reason and err.value.message and "：" not in err.value.message[:2]
    assert driver.status().state is state
    assert virtual.receipts == []


def test_paper_near_end_still_prints_and_tells_staff(net_printer):
    virtual, driver = net_printer
    virtual.set("paper_near_end")
    driver.print_receipt(RECEIPT)
    assert len(virtual.wait_receipts(1)) == 1
    assert driver.status().state is DeviceState.ONLINE and "near end" in driver.status().detail
    assert driver.paper_near_end                  # the answer's bits, not the words of the detail
    virtual.set("ok")
    driver.refresh_status()
    assert not driver.paper_near_end


def test_paper_running_out_in_the_middle_of_a_receipt_is_paper_out(net_printer):
    virtual, driver = net_printer
    virtual.change_after("paper_out", bytes_in=20_000)     # the receipt is ~47 kB of raster
    with pytest.raises(DeviceError) as err:
        driver.print_receipt(RECEIPT)
    assert err.value.code == "paper_out"                    # the second status check saw it
    assert virtual.receipts == [] and virtual.bytes_seen > 20_000
    assert driver.status().state is DeviceState.HARDWARE_ERROR


def test_the_cover_opened_right_after_the_cut_is_reported(net_printer):
    virtual, driver = net_printer
    virtual.change_after("cover_open")
    with pytest.raises(DeviceError) as err:
        driver.print_receipt(RECEIPT)
    assert err.value.code == "cover_open" and len(virtual.receipts) == 1
    assert driver.status().state is DeviceState.USER_ERROR


def test_the_printer_recovers_when_paper_is_loaded(net_printer):
    virtual, driver = net_printer
    virtual.set("paper_out")
    assert driver.refresh_status().state is DeviceState.HARDWARE_ERROR
    virtual.set("ok")
    assert driver.refresh_status().state is DeviceState.ONLINE
    driver.print_receipt(RECEIPT)
    assert len(virtual.wait_receipts(1)) == 1


def test_nothing_listening_is_offline_at_once():
    driver = EscposReceiptPrinter(NetworkTransport("127.0.0.1", 1, connect_timeout=1.0))
    started = time.monotonic()
    with pytest.raises(DeviceError) as err:
        driver.print_receipt(RECEIPT)
    assert err.value.code == "offline" and time.monotonic() - started < 2
    assert driver.status().state is DeviceState.POWER_OFF


def test_a_serial_printer_on_a_pty(tmp_path):
    virtual = VirtualEscposPrinter().serve_pty(tmp_path / "receipt.tty")
    driver = EscposReceiptPrinter(SerialTransport(str(tmp_path / "receipt.tty"), 115200), status_timeout=0.5)
    try:
        driver.print_receipt(RECEIPT)
        assert virtual.wait_receipts(1)[0].image().width == 576
        virtual.set("cover_open")
        with pytest.raises(DeviceError) as err:
            driver.print_receipt(RECEIPT)
        assert err.value.code == "cover_open"
        virtual.set("ok")
        virtual.change_after("paper_out", bytes_in=10_000)     # the roll ends on the serial line too
        with pytest.raises(DeviceError) as err:
            driver.print_receipt(RECEIPT)
        assert err.value.code == "paper_out" and len(virtual.receipts) == 1
        assert driver.status().state is DeviceState.HARDWARE_ERROR
        virtual.set("silent")
        started = time.monotonic()
        assert driver.refresh_status().state is DeviceState.POWER_OFF
        assert time.monotonic() - started < 2
    finally:
        driver.stop()
        virtual.stop()


def test_the_simulator_twin_saves_the_receipt_as_a_png(data_dir):
    from PIL import Image

    from devices.receipt.simulator import SimulatedReceiptPrinter
    sim = SimulatedReceiptPrinter(data_dir / "run" / "receipt-sim")
    try:
        sim.start()
        sim.print_receipt(RECEIPT)
        deadline = time.monotonic() + 5
        while not sim.last_png.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert Image.open(sim.last_png).width == 576
        sim.simulate("paper_out")
        assert sim.status().state is DeviceState.HARDWARE_ERROR
        with pytest.raises(DeviceError):
            sim.print_receipt(RECEIPT)
    finally:
        sim.stop()
