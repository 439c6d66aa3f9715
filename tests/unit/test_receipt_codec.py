"""The receipt printer's codec and layout: status bytes mean what the ESC/POS reference says, a
receipt is a raster as wide as the print head, and the test receipt reads as it should."""
import pytest

from devices.receipt import escpos_codec as codec
from devices.receipt.layout import DOTS, Receipt, render
from devices.receipt.virtual_printer import EscPosParser, VirtualEscposPrinter
from devices.states import DeviceState


@pytest.mark.parametrize("condition, reason, state", [
    (codec.Condition(), None, DeviceState.ONLINE),
    (codec.Condition(paper_near_end=True), None, DeviceState.ONLINE),
    (codec.Condition(paper_end=True), "paper_out", DeviceState.HARDWARE_ERROR),
    (codec.Condition(cover_open=True), "cover_open", DeviceState.USER_ERROR),
    (codec.Condition(online=False), "offline", DeviceState.OFFLINE),
])
def test_status_bytes_round_trip_to_the_same_condition_reason_and_state(condition, reason, state):
    answers = codec.status_bytes(condition)
    parsed = codec.parse_condition(answers[1], answers[2], answers[4])
    assert parsed.reason == reason and parsed.state is state
    assert parsed.paper_near_end == condition.paper_near_end


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
