"""A card laid on the reader while the attract screen shows starts the session: greeted, then home."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_card_on_the_attract_screen_identifies_and_goes_home(kiosk_app):
    app, ui = kiosk_app
    idcard = app.hub.get("idcard")
    ui.wait_until(lambda: idcard.status().state.value == "online")
    assert app.sm.current == "attract" and not app.session.identified
    try:
        idcard.present("resident")
        ui.wait_until(lambda: app.session.identified)
        assert app.sm.current == "identify" and app.greeting.startswith("您好，")
        ui.wait_until(lambda: app.sm.current == "home")
    finally:
        idcard.remove()
        ui.frames(2)
