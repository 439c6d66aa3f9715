"""办件查询 with taps against the real platform process: this visit's receipt, a typed 办件编号 (with the
查询码 when it is not this terminal's own), a local receipt still waiting in the outbox, an unknown number,
no network (closed port) and a silent server."""
from __future__ import annotations

import socket
import time
from contextlib import contextmanager

import pytest

from platform_server.demo_data import DEMO_TRACKING_CHECK, DEMO_TRACKING_NO
from tests.ui.flow_helpers import complain, open_tile, shown_text, type_digits, wait_delivered

pytestmark = pytest.mark.ui


def _open(app, ui):
    return open_tile(app, ui, "办件查询", "tracking")


def _enter(screen, digits: str) -> None:
    """Key in a number through the keypad's own handler (typing by taps is tested once, below)."""
    for d in digits:
        screen.keypad.press(d)


def _wait_answer(ui, screen, timeout: float = 30.0, step: str = "result") -> None:
    deadline = time.monotonic() + timeout
    while screen.step_key == "loading" and time.monotonic() < deadline:
        ui.frames(2)
        time.sleep(0.02)
    assert screen.step_key == step, screen.step_key


def _ask_demo(ui, screen) -> None:
    """The demo 办件编号 (no terminal's own): the number, 查询, then its 查询码 on the same keypad, 查询."""
    _enter(screen, DEMO_TRACKING_NO.replace("-", ""))
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen, step="check")
    _enter(screen, DEMO_TRACKING_CHECK)
    ui.tap(ui.button("查询"))


@contextmanager
def _platform_setting(app, key: str, value: str):
    parser = app.settings._p
    old = parser.get("platform", key)
    parser.set("platform", key, value)
    try:
        yield
    finally:
        parser.set("platform", key, old)


def test_this_visits_complaint_is_tracked_on_the_platform(kiosk_app):
    app, ui = kiosk_app
    local_id = complain(app, ui)
    tracking_no = wait_delivered(app, ui, local_id)["tracking_no"]
    screen = _open(app, ui)
    assert screen.step_key == "pick", "this visit's receipts are offered first"
    ui.tap([w for w in ui.find(cls_name="BigButton") if local_id in w.text][0])
    assert screen.step_key in ("loading", "result")
    _wait_answer(ui, screen)
    assert screen.result.found and screen.result.number == tracking_no and screen.result.local_id == local_id
    text = shown_text(ui)
    assert tracking_no in text and "已收到申请（现在）" in text and "吐槽找茬" in text


def test_typed_tracking_number_gets_dashes_and_shows_the_timeline(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    assert screen.step_key == "input"
    digits = DEMO_TRACKING_NO.replace("-", "")
    type_digits(ui, digits[:10])
    assert screen.keypad.shown == "371700-2026", "dashes added while typing"
    type_digits(ui, digits[10:])
    assert screen.keypad.shown == DEMO_TRACKING_NO
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen, step="check")     # not this terminal's number: the receipt's 查询码 first
    text = shown_text(ui)
    assert "请输入查询码" in text and DEMO_TRACKING_NO in text and "4位数字" in text
    assert screen.keypad.value == "" and screen.keypad.max_len == 4
    type_digits(ui, DEMO_TRACKING_CHECK)
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen)
    # plain words first, the official term small beside them
    assert [s.words for s in screen.result.steps] == ["已收到申请", "开始办理", "材料没问题", "办好了"]
    assert [s.official for s in screen.result.steps] == ["已收到", "已受理", "审核通过", "已办结"]
    text = shown_text(ui)
    assert "现在：办好了" in text and "办好了（现在）" in text and "11月20日 09:12" in text
    assert "正式说法：已办结" in text


def test_elderly_mode_shows_the_latest_steps_only(kiosk_app):
    app, ui = kiosk_app
    app.elderly = True
    screen = _open(app, ui)
    _ask_demo(ui, screen)
    _wait_answer(ui, screen)
    rows = ui.find(cls_name="TrackingStep")
    assert len(rows) == 3 and "前面还有1步" in shown_text(ui)


def test_unknown_number_says_so_and_keeps_the_digits(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    _enter(screen, "37170020991231999999")
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen, step="check")
    _enter(screen, "0000")
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen)
    assert screen.result.outcome == "check_not_found" and "办件编号和4位查询码" in shown_text(ui)
    ui.tap(ui.button("再查一个"))
    assert screen.step_key == "input" and screen.keypad.value == "37170020991231999999"


def test_a_wrong_check_code_says_not_found_like_an_unknown_number(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    _enter(screen, DEMO_TRACKING_NO.replace("-", ""))
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen, step="check")
    type_digits(ui, "123")
    ui.tap(ui.button("查询"))
    assert screen.step_key == "check" and "4位数字" in screen.error     # too short: said at once
    type_digits(ui, "4")
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen)
    assert screen.result.outcome == "check_not_found" and not screen.result.steps
    ui.tap(ui.button("再查一个"))
    assert screen.keypad.value == DEMO_TRACKING_NO.replace("-", "")


def test_the_receipt_shows_its_check_code_and_the_own_number_needs_none(kiosk_app):
    app, ui = kiosk_app
    local_id = complain(app, ui)
    row = wait_delivered(app, ui, local_id)
    tracking_no, check = row["tracking_no"], row["check_code"]
    assert len(check) == 4 and check.isdigit()
    receipt = app.sm.current_screen
    receipt.refresh()
    ui.frames(2)
    assert f"查询码：{check}" in shown_text(ui) and f"办件编号：{tracking_no}" in shown_text(ui)
    assert receipt.qr_text == f"菏心意回执 {tracking_no} 查询码 {check}"
    app.end_session()            # a later visit types the 办件编号 at the same terminal
    ui.frames()
    screen = _open(app, ui)
    _enter(screen, tracking_no.replace("-", ""))
    ui.tap(ui.button("查询"))
    _wait_answer(ui, screen)
    assert screen.result.found and screen.result.number == tracking_no


def test_incomplete_number_is_explained_without_asking_anyone(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    type_digits(ui, "37170")
    ui.tap(ui.button("查询"))
    assert screen.step_key == "input" and "20位数字" in screen.error


def test_local_receipt_still_waiting_on_this_machine(kiosk_app):
    app, ui = kiosk_app
    worker = app.sync.worker
    worker.stop()
    try:
        local_id = complain(app, ui)
        assert app.sync.outbox.receipt(local_id)["state"] == "pending"
        app.end_session()            # a later visitor types the number from the paper receipt
        ui.frames()
        screen = _open(app, ui)
        assert screen.step_key == "input"
        _enter(screen, local_id.split("-", 1)[0][-4:] + local_id.split("-", 1)[1].replace("-", ""))
        ui.tap(ui.button("查询"))
        _wait_answer(ui, screen)
        assert screen.result.outcome == "local_pending" and screen.result.local_id == local_id
        assert "还在本机等待发送" in shown_text(ui)
    finally:
        worker.start()
    wait_delivered(app, ui, local_id)


def test_no_network_has_its_own_words(kiosk_app):
    app, ui = kiosk_app
    with socket.socket() as s:           # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with _platform_setting(app, "url", f"http://127.0.0.1:{port}"):
        screen = _open(app, ui)
        _ask_demo(ui, screen)
        _wait_answer(ui, screen)
    assert screen.result.outcome == "offline"
    assert "现在连不上网络，查不到进度" in shown_text(ui) and app.settings.get("terminal", "help_phone") in shown_text(ui)


def test_a_silent_platform_times_out_with_its_own_words(kiosk_app):
    app, ui = kiosk_app
    with socket.socket() as silent:      # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with _platform_setting(app, "url", url), _platform_setting(app, "read_timeout", "0.5"):
            screen = _open(app, ui)
            _ask_demo(ui, screen)
            _wait_answer(ui, screen)
    assert screen.result.outcome == "timeout" and "网络太慢" in shown_text(ui)


def test_the_screen_waits_without_freezing_and_the_idle_timeout_pauses(kiosk_app):
    app, ui = kiosk_app
    silent = socket.socket()             # holds the question until the test lets go
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    try:
        with _platform_setting(app, "url", f"http://127.0.0.1:{silent.getsockname()[1]}"), \
                _platform_setting(app, "read_timeout", "60"):
            screen = _open(app, ui)
            _ask_demo(ui, screen)
            ui.frames(5)                 # the UI keeps drawing while the question is out
            assert screen.step_key == "loading" and "正在查询" in shown_text(ui)
            assert app.idle.paused, "the citizen is waiting, not idle"
    finally:
        silent.close()                   # the connection drops: the answer is "no network"
    _wait_answer(ui, screen)
    assert screen.result.outcome == "offline" and not app.idle.paused


def test_session_wipe_drops_the_number_and_the_answer(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    _ask_demo(ui, screen)
    _wait_answer(ui, screen)
    app.end_session()
    ui.frames()
    assert screen.keypad is None and screen.result is None and screen.flow is None
    assert not app.session.forms, "the typed number and the answer were in the session, and are gone"
    from screens.widgets.audit import walk
    assert not any(DEMO_TRACKING_NO in str(getattr(w, "text", "")) for w in walk(screen))


def test_scanning_the_receipt_qr_looks_it_up(kiosk_app):
    from devices.scanner.simulator import SimulatedScanner
    app, ui = kiosk_app
    local_id = complain(app, ui)
    tracking_no = wait_delivered(app, ui, local_id)["tracking_no"]
    receipt_qr = app.sm.current_screen.qr_text            # what the citizen carries away on the phone
    app.end_session()
    ui.frames()
    scanner = SimulatedScanner()
    original = app.terminal.replace_device("scanner", scanner)     # a scanner plugged in while running
    try:
        screen = _open(app, ui)
        ui.frames(2)
        assert "二维码" in shown_text(ui), "the screen says a receipt QR can be scanned"
        scanner.scan("HZRC:DEMO-RESIDENT-0001")           # a 居民码 is not a receipt
        ui.frames(3)
        assert screen.step_key == "input" and "不是回执上的号码" in screen.error
        scanner.scan(receipt_qr)                          # from the scanner's own thread in real life
        ui.frames(3)
        _wait_answer(ui, screen)
        assert screen.result.found and screen.result.number == tracking_no
        screen.again()
        scanner.scan(f"菏心意回执 {DEMO_TRACKING_NO} 查询码 {DEMO_TRACKING_CHECK}")   # another terminal's receipt
        ui.frames(3)
        _wait_answer(ui, screen)
        assert screen.result.found and screen.result.number == DEMO_TRACKING_NO
        screen.again()
        scanner.scan(f"菏心意回执 {DEMO_TRACKING_NO}")      # printed before receipts had a 查询码
        ui.frames(3)
        _wait_answer(ui, screen, step="check")
        app.home()
        ui.frames(2)
        scanner.scan(receipt_qr)                          # the screen no longer answers once it is left
        ui.frames(3)
        assert app.sm.current == "home"
    finally:
        app.terminal.replace_device("scanner", original)
