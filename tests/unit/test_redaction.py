"""No ID number, credit code, phone number or name reaches a log file."""
import logging

from kiosk.identity import Identity, IdentitySource
from kiosk.logs import redact, setup_logging
from kiosk.redact import mask_name
from kiosk.session import Session

ID_NUMBER = "371702195803010021"
USCC = "91371700MA3C4XYZ1K"
PHONE = "13905301234"


def test_patterns_are_masked():
    text = f"id={ID_NUMBER} uscc {USCC} tel:{PHONE} landline 0530-5551234 card 6217001234567890123"
    out = redact(text)
    for secret in (ID_NUMBER, USCC, PHONE, "0530-5551234", "6217001234567890123"):
        assert secret not in out
    assert out.count("***") == 5


def test_grouped_fullwidth_and_spaced_forms_are_masked():
    cases = {"372901 19900101 1234": "id with spaces", "372901-19900101-123X": "id with dashes",
             "139.0530.1234": "phone with dots", "１３９０５３０１２３４": "full-width phone",
             "０５３０－５５５１２３４": "full-width landline", "0530 1234567": "landline with a space",
             "(0530)1234567": "landline in brackets", "6222 0212 3456 7890 123": "grouped card number",
             "0530-123-4567": "landline grouped with dashes", "0530 555 1234": "landline grouped with spaces"}
    for secret, what in cases.items():
        out = redact(f"caller gave {secret} at the desk")
        assert out == "caller gave *** at the desk", what
    out = redact("姓名 张三 住址 菏泽市牡丹区中华路8号 已登记")
    assert "张三" not in out and "中华路" not in out and out.endswith("已登记")
    out = redact("address 菏泽市牡丹区中华路8号 full_name 李四 checked")
    assert "中华路" not in out and "李四" not in out and out.endswith("checked")
    assert redact("device name idcard state online") == "device name idcard state online"   # a word, not a label


def test_local_numbers_stay_readable():
    """A local submission number is ours, not the citizen's: staff must be able to find it in the log."""
    for text in ("queued HZ0001-20261127-0007", "item HZ0001-20261127-0007 delivered as 3717002026112700042",
                 "/api/v1/submissions/HZ0001-20261127-0007/attachments/1"):
        assert "HZ0001-20261127-0007" in redact(text)


def test_labelled_names_and_json_are_masked():
    out = redact('{"name": "李建国", "姓名：王小红", address=菏泽市牡丹区中华路8号}')
    assert "李建国" not in out and "王小红" not in out and "中华路" not in out


def test_ordinary_text_is_kept():
    text = "device idcard online, outbox pending=3, took 112 ms, version 0.1.0, 2026-11-27"
    assert redact(text) == text


def test_mask_name():
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳小明") == "欧**明"


def test_nothing_personal_reaches_the_log_file(tmp_path):
    log_file = setup_logging(tmp_path, console=False)
    session = Session()
    person = Identity(IdentitySource.ID_CARD, "赵铁柱", ID_NUMBER, details={"address": "菏泽市定陶区幸福街3号"})
    session.identify(person)
    log = logging.getLogger("kiosk.test")
    log.info("card read for %s (%s) living at %s", person.name, person.number, person.details["address"])
    log.warning("enterprise %s phone %s", USCC, PHONE)
    try:
        raise ValueError(f"bad record for {person.name} {ID_NUMBER}")
    except ValueError:
        log.exception("submission failed")
    log.info("identity is %r", person)
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    for secret in ("赵铁柱", ID_NUMBER, "幸福街", USCC, PHONE):
        assert secret not in written, secret
    assert "card read for ***" in written and "submission failed" in written and "ValueError" in written
    session.wipe()
    assert session.is_empty()


def test_receipt_printer_polls_do_not_fill_the_log(tmp_path):
    """python-escpos logs two INFO lines on the root logger for every connection (a status poll every 10 s);
    they are dropped, the terminal's own lines and the library's warnings are kept."""
    import socket
    import sys

    from escpos.printer import Network
    log_file = setup_logging(tmp_path, console=False)
    with socket.create_server(("127.0.0.1", 0)) as server:
        printer = Network("127.0.0.1", port=server.getsockname()[1], timeout=2)
        printer.open()
        printer.close()
    logging.getLogger("devices.receipt").info("receipt printed")
    escpos_file = sys.modules[Network.__module__].__file__
    warning = logging.LogRecord("root", logging.WARNING, escpos_file, 1, "printer answers slowly", None, None)
    logging.getLogger().handle(warning)
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    assert "Network printer enabled" not in written and "Closing Network connection" not in written
    assert "receipt printed" in written and "printer answers slowly" in written
