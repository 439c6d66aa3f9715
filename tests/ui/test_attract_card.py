"""A card laid on the reader while the attract screen shows starts the session: greeted, then home."""
from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.ui


def _pump_until(ui, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        ui.frames(1)
        time.sleep(0.01)


def test_card_on_the_attract_screen_identifies_and_goes_home(kiosk_app):
    app, ui = kiosk_app
    idcard = app.hub.get("idcard")
    _pump_until(ui, lambda: idcard.status().state.value == "online")
    assert app.sm.current == "attract" and not app.session.identified
    try:
        idcard.present("resident")
        _pump_until(ui, lambda: app.session.identified)
        assert app.sm.current == "identify" and app.greeting.startswith("您好，")
        _pump_until(ui, lambda: app.sm.current == "home")
    finally:
        idcard.remove()
        ui.frames(2)
