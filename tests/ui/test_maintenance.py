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
    ui.tap(ui.button("退出维护"))
    assert app.sm.current == "attract" and not screen.unlocked


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
