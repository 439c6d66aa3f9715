"""An unexpected error in a screen resets the session and keeps the terminal serving; a storm of
errors is passed on so that the supervisor restarts the app."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity

pytestmark = pytest.mark.ui


def test_unexpected_error_wipes_and_returns_to_attract(kiosk_app, caplog):
    from kivy.base import ExceptionManager
    app, ui = kiosk_app
    app._error_times = []
    person = demo_identity()
    number = person.number
    app.identified(person)
    app.home()
    ui.frames()
    try:
        raise RuntimeError(f"boom while showing {number}")
    except RuntimeError as exc:
        verdict = ExceptionManager.handle_exception(exc)
    assert verdict == ExceptionManager.PASS
    ui.frames(3)
    assert app.sm.current == "attract" and app.session.is_empty()
    assert "boom while showing" in caplog.text and number not in caplog.text, "the log line is redacted"
    for _ in range(5):
        verdict = ExceptionManager.handle_exception(RuntimeError("again"))
    assert verdict == ExceptionManager.RAISE, "a storm of errors goes to the supervisor"
    app._error_times = []
    ui.frames(3)
