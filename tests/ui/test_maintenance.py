"""Maintenance mode: hold the clock, PIN, self-check, leave — and a citizen cannot stumble into it."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_hold_the_clock_enter_the_pin_see_the_check(kiosk_app):
    from kivy.tests.common import UnitTestTouch
    app, ui = kiosk_app
    clock = app.sm.current_screen.ids.clock
    x, y = clock.to_window(*clock.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    ui.frames(2)
    touch.touch_up()
    ui.frames(2)
    assert app.sm.current == "attract", "a short tap does nothing"
    held = app.settings.get("staff", "hold_seconds")
    app.settings._p.set("staff", "hold_seconds", "0.05")  # the same hold, shorter
    try:
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        import time
        time.sleep(0.1)
        ui.frames(3)
        touch.touch_up()
        ui.frames(2)
    finally:
        app.settings._p.set("staff", "hold_seconds", held)
    assert app.sm.current == "maintenance"
    screen = app.sm.current_screen
    assert not screen.unlocked
    ui.type_digits("1111", root=screen.ids.pin_pad)
    _confirm(ui, screen)
    assert not screen.unlocked and screen.message == "密码不对，请重新输入"
    ui.type_digits("2580", root=screen.ids.pin_pad)  # the demo PIN (the UI app runs in demo mode)
    _confirm(ui, screen)
    assert screen.unlocked
    screen.refresh(background=False)
    ui.frames(3)
    checks = [row[0] for row in screen.rows]
    assert "outbox" in checks and "platform" in checks and any(c.startswith("device:") for c in checks)
    platform_row = next(row for row in screen.rows if row[0] == "platform")
    assert platform_row[3] == "ok", "the UI tests' platform is up"
    shown = []                     # the check may end within the tap's frames: record what was shown
    record = lambda _sm, name: shown.append(name)   # noqa: E731
    app.sm.bind(current=record)
    try:
        ui.tap(ui.button("退出维护"))
        assert not screen.unlocked
        ui.wait_until(lambda: app.sm.current == "attract", timeout=20)
    finally:
        app.sm.unbind(current=record)
    assert shown[:1] == ["out_of_service"] and shown[-1] == "attract", "暂停服务 while the check runs again"


def _confirm(ui, screen):
    """Press 确定 and wait for the check (it runs off the UI thread)."""
    ui.tap(ui.button("确定"))
    ui.wait_until(lambda: not screen.checking)
    ui.frames(2)


def _open_maintenance(app, ui):
    app.go("maintenance")
    ui.frames(3)
    return app.sm.current_screen


def test_maintenance_left_alone_returns_to_the_attract_screen(kiosk_app):
    app, ui = kiosk_app
    timeout = app.settings.getfloat("staff", "maintenance_timeout")
    screen = _open_maintenance(app, ui)
    ui.type_digits("2580", root=screen.ids.pin_pad)
    _confirm(ui, screen)
    assert screen.unlocked
    app.idle.clock.t += timeout / 2
    ui.tap(ui.button("重新检查"))  # staff still at work: the count starts again
    app.idle.clock.t += timeout / 2 + 1
    import time
    time.sleep(0.6)  # the screen checks its timer twice a second
    ui.frames(2)
    assert app.sm.current == "maintenance", "a touch keeps maintenance open"
    app.idle.clock.t += timeout + 1
    ui.wait_until(lambda: app.sm.current == "attract", timeout=5)
    assert not screen.unlocked
    # the PIN pad alone, too (someone held the clock and walked away)
    _open_maintenance(app, ui)
    app.idle.clock.t += timeout + 1
    ui.wait_until(lambda: app.sm.current == "attract", timeout=5)


def test_guessing_the_pin_locks_the_pad_and_alerts_staff(kiosk_app):
    import json
    from kiosk import staff_pin
    app, ui = kiosk_app
    data = app.settings.data_dir
    alerts = data / "staff-alerts.log"
    seen = len(alerts.read_text().splitlines()) if alerts.exists() else 0
    screen = _open_maintenance(app, ui)
    try:
        for guess in ("1111", "1112", "1113"):
            ui.type_digits(guess, root=screen.ids.pin_pad)
            _confirm(ui, screen)
        assert "后再试" in screen.message and not screen.unlocked
        ui.type_digits("2580", root=screen.ids.pin_pad)  # right, but the pad is locked
        _confirm(ui, screen)
        assert not screen.unlocked and "后再试" in screen.message
        codes = [json.loads(line)["code"] for line in alerts.read_text().splitlines()[seen:]]
        assert staff_pin.ALERT_CODE in codes
        assert "2580" not in alerts.read_text() and "1113" not in alerts.read_text()
    finally:
        (data / staff_pin.LOCKOUT_FILE).unlink(missing_ok=True)


def test_a_wrong_pin_clears_the_pad_shows_masked_digits_only_and_opens_nothing(kiosk_app):
    """What the other tests do not look at on the wrong-PIN path: the digits are shown as dots only,
    the pad is empty again after 确定, no self-check is run or shown, and the PIN reaches no log."""
    from kiosk import staff_pin
    app, ui = kiosk_app
    data = app.settings.data_dir
    screen = _open_maintenance(app, ui)
    try:
        pad = screen.ids.pin_pad
        ui.type_digits("7391", root=pad)
        assert pad.shown == "●●●●" and "7391" not in " ".join(
            str(getattr(w, "text", "")) for w in ui.find())
        _confirm(ui, screen)
        assert screen.message == "密码不对，请重新输入" and not screen.unlocked
        assert pad.value == "" and pad.shown == "", "the pad is empty for the next try"
        assert not screen.rows, "no self-check behind a wrong PIN"
        logged = " ".join(p.read_text(errors="replace") for p in data.rglob("*.log"))
        assert "7391" not in logged
    finally:
        (data / staff_pin.LOCKOUT_FILE).unlink(missing_ok=True)


def _unlocked(app, ui, pane="tests"):
    screen = _open_maintenance(app, ui)
    ui.type_digits("2580", root=screen.ids.pin_pad)
    _confirm(ui, screen)
    assert screen.unlocked and screen.pane == "checks", "the self-check comes first"
    if pane != "checks":
        ui.tap(ui.button({"tests": "逐项测试", "events": "事件记录", "export": "导出诊断包"}[pane]))
    return screen


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_checks_and_events_come_in_pages_that_fit(kiosk_app, elderly):
    """No hidden scroll on the staff screen either: every check and every event line is on a page that fits
    its box (长辈模式's bigger words make more pages), reached with 下一页."""
    app, ui = kiosk_app
    app.elderly = elderly
    try:
        screen = _unlocked(app, ui, pane="checks")
        screen.refresh(background=False)
        for _ in range(30):
            app.terminal.eventlog.add("staff", "一行很长的事件记录，" * 4, "test")
        ui.frames(3)
        for pane, paged in (("checks", screen.ids.check_list), ("events", screen.ids.event_list)):
            if pane != "checks":
                ui.tap(ui.button("事件记录"))
            ui.frames(3)
            expected = [r[0] for r in screen.rows] if pane == "checks" else list(screen.event_lines)
            assert paged.pages > 1, f"{pane}: more than one page here"
            seen = []
            for page in range(paged.pages):
                assert paged.page == page
                box = paged.ids.rows
                rows = [w for w in box.children if w is not paged._filler]
                assert rows and all(w.y >= box.y - 2 and w.top <= box.top + 2 for w in rows), \
                    (pane, page, box.y, box.top, paged.height, [(w.y, w.top, w.width) for w in rows], paged.width)
                seen += [getattr(w, "small", "").split(" ")[0] or w.text for w in reversed(rows)]
                if page < paged.pages - 1:
                    ui.tap(ui.button("下一页", root=paged))
            if pane == "checks":
                assert seen == expected
            else:
                assert seen == expected and len(seen) > 30
            assert ui.button("下一页", root=paged).opacity == 0, "the last page has no 下一页"
    finally:
        app.elderly = False


def _run(ui, screen, title):
    ui.tap(ui.button(title, root=screen.ids.test_buttons))
    ui.wait_until(lambda: not screen.running, timeout=30)
    ui.frames(2)


def _screen_text(ui, root=None):
    return " ".join(str(getattr(w, "text", "")) for w in ui.find(root=root))


def test_self_tests_show_plain_results_and_never_a_card_unmasked(kiosk_app):
    app, ui = kiosk_app
    screen = _unlocked(app, ui)
    record = app.hub.get("idcard").sim.cards["resident"]
    _run(ui, screen, "身份证读卡器")
    assert screen.result_words == "正常" and "读卡成功" in screen.result_summary, screen.result_summary
    assert "居民身份证" in screen.result_lines and record.id_number[-4:] in screen.result_lines
    shown = _screen_text(ui)
    assert record.id_number not in shown and record.name not in shown
    assert "idcard · online" in shown, "the standard state in small print"
    _run(ui, screen, "社保卡读卡器")
    assert "ATR 3B 80 80 01 01" in screen.result_lines
    _run(ui, screen, "扫码摄像头")
    assert screen.ids.picture.texture is not None and "清晰度" in screen.result_summary
    _run(ui, screen, "凭条打印机")
    assert screen.result_words == "正常" and "测试页已打印" in screen.result_summary
    _run(ui, screen, "网络与平台")
    assert screen.result_words == "正常" and "平台可以连通" in screen.result_summary
    _run(ui, screen, "存储")
    assert "剩余空间" in screen.result_summary
    app.settings._p.set("terminal", "demo", "false")     # nobody lays a card now: the test waits ...
    try:
        ui.tap(ui.button("身份证读卡器", root=screen.ids.test_buttons))
        assert screen.running == "idcard" and "请把一张身份证" in screen.result_summary
        ui.tap(ui.button("存储", root=screen.ids.test_buttons))      # ... until staff press another button
        ui.wait_until(lambda: not screen.running, timeout=5)
    finally:
        app.settings._p.set("terminal", "demo", "true")
    assert "没有等到身份证" in screen.result_summary
    ui.tap(ui.button("事件记录"))
    lines = " ".join(screen.event_lines)
    assert "进入维护模式" in lines and "[自检]" in lines and "身份证读卡器：正常" in lines
    assert record.id_number not in lines and record.name not in lines
    ui.tap(ui.button("退出维护"))
    ui.wait_until(lambda: app.sm.current == "attract", timeout=20)
    assert screen.result_lines == "", "the masked card fields go with the wipe"
    assert any("退出维护后的自检" in e["text"] for e in app.terminal.eventlog.entries(5))


def test_touch_grid_counts_every_target_corners_included(kiosk_app):
    from kivy.tests.common import UnitTestTouch
    app, ui = kiosk_app
    screen = _unlocked(app, ui)
    ui.tap(ui.button("触摸屏", root=screen.ids.test_buttons))
    view = screen._touch_view
    assert view.parent is screen and len(view.grid.targets) == 12
    for x, y in view.grid.targets:
        wx, wy = view.to_window(x, y)
        touch = UnitTestTouch(wx + 3, wy - 3)
        touch.touch_down()
        touch.touch_up()
        ui.frames(1)
    ui.wait_until(lambda: not screen.running, timeout=5)
    assert view.parent is None and screen.result_words == "正常" and "12 个点都点中了" in screen.result_summary
    ui.tap(ui.button("触摸屏", root=screen.ids.test_buttons))
    ui.tap(ui.button("结束测试"))
    assert screen.result_words == "故障" and "左上角" in screen.result_summary


def test_touch_grid_words_and_stop_button_cover_no_target(kiosk_app):
    """The grid's targets are drawn on its canvas (the audit does not see them): its words and 结束测试 sit
    between the rows of targets, in landscape and in portrait, in both modes."""
    from kivy.factory import Factory
    app, ui = kiosk_app
    _open_maintenance(app, ui)
    for elderly in (False, True):
        app.elderly = elderly
        for size in ((1920, 1080), (1080, 1920)):
            view = Factory.TouchGridView(size_hint=(None, None), size=size, pos=(0, 0))
            view.start(*size)
            view.do_layout()
            for child in view.children:       # the words' height now, then their place
                if hasattr(child, "texture_update"):
                    child.texture_update()
            view.do_layout()
            r = view.grid.radius
            for child in view.children:
                for x, y in view.grid.targets:
                    near_x = min(max(x, child.x), child.right)
                    near_y = min(max(y, child.y), child.top)
                    assert (near_x - x) ** 2 + (near_y - y) ** 2 > r ** 2, (elderly, size, child, (x, y))
    app.elderly = False


def test_export_writes_a_redacted_zip_to_the_chosen_folder(kiosk_app, tmp_path):
    import zipfile
    app, ui = kiosk_app
    app.settings._p.set("staff", "export_dir", str(tmp_path / "stick"))
    try:
        screen = _unlocked(app, ui)
        _run(ui, screen, "身份证读卡器")
        ui.tap(ui.button("导出诊断包"))
        ui.tap(ui.button("导出到本机文件夹"))
        ui.wait_until(lambda: screen.export_message.startswith(("已导出", "导出失败")), timeout=30)
        assert screen.export_message.startswith("已导出"), screen.export_message
    finally:
        app.settings._p.set("staff", "export_dir", "")
    (zipped,) = (tmp_path / "stick").glob("heze-diag-*.zip")
    record = app.hub.get("idcard").sim.cards["resident"]
    with zipfile.ZipFile(zipped) as zf:
        blob = "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
        selfcheck = zf.read("selfcheck.json").decode()
    assert "selftest" in blob and '"idcard"' in selfcheck
    for value in (record.id_number, record.name, record.address, app.settings.get("platform", "token")):
        assert value not in blob


def test_the_running_app_pings_the_systemd_watchdog_from_its_main_loop(kiosk_app, tmp_path):
    """READY=1 and WATCHDOG=1 reach a real unix datagram socket given as NOTIFY_SOCKET, sent by Kivy's
    clock (the main loop): while frames are not pumped, no ping comes."""
    import socket
    import time

    from kiosk.watchdog import Watchdog
    from screens import supervision
    app, ui = kiosk_app
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.05)
    got: list[str] = []

    def drain():
        while True:
            try:
                got.append(sock.recv(256).decode())
            except (socket.timeout, BlockingIOError):
                return
    try:
        supervision.install(app, environ={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"})
        assert app.watchdog.enabled and app.watchdog.interval == 0.1
        ui.wait_until(lambda: (drain(), got.count("WATCHDOG=1") >= 3)[1], timeout=5)
        assert got[0].startswith("READY=1")
        time.sleep(0.5)        # the main loop does not turn: nothing is sent
        got.clear()
        drain()
        assert got == []
        ui.frames(3)
        drain()
        assert "WATCHDOG=1" in got
    finally:
        supervision.stopping(app)
        drain()
        sock.close()
        app.watchdog = Watchdog(None)
    assert got[-1] == "STOPPING=1"


def test_switching_elderly_mode_on_the_staff_screen_pages_the_checks_again(kiosk_app):
    """长辈模式 switched on while the self-check is shown: bigger words, more pages, every row still inside."""
    app, ui = kiosk_app
    screen = _unlocked(app, ui, pane="checks")
    screen.refresh(background=False)
    ui.frames(3)
    paged = screen.ids.check_list
    normal_pages = paged.pages
    try:
        app.elderly = True
        ui.frames(4)
        box = paged.ids.rows
        rows = [w for w in box.children if w is not paged._filler]
        assert paged.pages > normal_pages and rows
        assert all(w.y >= box.y - 2 and w.top <= box.top + 2 for w in rows)
    finally:
        app.elderly = False
