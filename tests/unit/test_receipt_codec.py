"""The receipt printer's codec and layout: status bytes mean what the ESC/POS reference says, a
receipt is a raster as wide as the print head, and the test receipt reads as it should."""
import pytest

from devices.receipt import escpos_codec as codec
from devices.receipt.layout import DOTS, Receipt, render
from devices.receipt.virtual_printer import CONDITIONS, EscPosParser, PrinterCondition, VirtualEscposPrinter
from devices.states import DeviceState


@pytest.mark.parametrize("name, reason, state", [
    ("ok", None, DeviceState.ONLINE),
    ("paper_near_end", None, DeviceState.ONLINE),
    ("paper_out", "paper_out", DeviceState.HARDWARE_ERROR),
    ("cover_open", "cover_open", DeviceState.USER_ERROR),
    ("offline", "offline", DeviceState.OFFLINE),
])
def test_the_virtual_printers_answers_mean_to_the_driver_what_it_is(name, reason, state):
    """The virtual printer composes its answers from the Epson bit table on its own; the driver's codec
    reads them back: a cross-check of two independent readings of the reference."""
    condition = CONDITIONS[name]
    parsed = codec.parse_condition(condition.answer(1), condition.answer(2), condition.answer(4))
    assert parsed.reason == reason and parsed.state is state
    assert parsed.paper_near_end == condition.paper_near_end


@pytest.mark.parametrize("condition, answers", [
    (PrinterCondition(), {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}),
    (PrinterCondition(paper_near_end=True), {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}),
    (PrinterCondition(paper_end=True), {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}),
    (PrinterCondition(cover_open=True), {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}),
    (PrinterCondition(error=True), {1: 0x1A, 2: 0x52, 3: 0x32, 4: 0x12}),
])
def test_the_virtual_printer_answers_as_the_reference_table_says(condition, answers):
    assert {n: condition.answer(n) for n in (1, 2, 3, 4)} == answers


def test_known_answers_from_the_reference():
    # 0x12: online, nothing wrong; 0x16 offline cause: cover open; 0x72 paper sensor: near end + end
    c = codec.parse_condition(0x1A, 0x16, 0x7E)
    assert (c.online, c.cover_open, c.paper_end, c.paper_near_end) == (False, True, True, True)
    assert c.reason == "cover_open"     # the cover first: closing it is what the person can do


def test_noise_is_not_a_status_byte():
    with pytest.raises(ValueError):
        codec.parse_condition(0x12, 0xFF, 0x12)


@pytest.mark.parametrize("mm", [80, 58])
def test_a_receipt_is_a_raster_as_wide_as_the_print_head(mm):
    image = render(Receipt("提交成功", "菏泽市政务服务中心 自助终端 1 号", [("事项", "城乡居民养老保险参保登记")],
                           "工作人员会在 3 个工作日内联系您。", "HZ-0001", "扫码查询"), mm)
    assert image.mode == "1" and image.width == DOTS[mm]
    assert 200 < image.height < 1600


def test_the_encoded_receipt_parses_back_to_the_same_picture():
    image = render(Receipt("打印测试", lines=[("时间", "2026-11-30 15:00")], qr="X"))
    data = codec.encode_receipt(image)
    printer = VirtualEscposPrinter()
    parser = EscPosParser(printer)
    for start in range(0, len(data), 777):      # any chunking gives the same result
        parser.feed(data[start:start + 777])
    assert len(printer.receipts) == 1 and not parser.unknown
    printed = printer.receipts[0].image()
    assert printed.size == image.size and printed.tobytes() == image.tobytes()


def test_the_parser_answers_status_queries_in_the_stream():
    printer = VirtualEscposPrinter()
    printer.set("paper_out")
    parser = EscPosParser(printer)
    assert parser.feed(b"\x1b@" + codec.QUERY_PRINTER + codec.QUERY_PAPER[:2]) == b"\x1a"
    assert parser.feed(codec.QUERY_PAPER[2:]) == bytes([0x72])
