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
    assert not screen.unlocked
    screen.ids.pin_pad.clear()
    ui.type_digits("2580", root=screen.ids.pin_pad)  # the demo PIN (the UI app runs in demo mode)
    assert screen.unlocked
    screen.refresh(background=False)
    ui.frames(3)
    checks = [row[0] for row in screen.rows]
    assert "outbox" in checks and "platform" in checks and any(c.startswith("device:") for c in checks)
    platform_row = next(row for row in screen.rows if row[0] == "platform")
    assert platform_row[3] == "ok", "the UI tests' platform is up"
    ui.tap(ui.button("退出维护"))
    assert app.sm.current == "attract" and not screen.unlocked
