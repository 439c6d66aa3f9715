"""The error guard: an unexpected error in a screen must not leave a citizen in front of a dead or
frozen terminal. It is logged (redacted), the session wiped (its state is unknown now) and the
attract screen shown. Errors that keep coming (more than `limit` in `window` seconds) are passed on,
so that the supervisor (systemd, deploy/heze-kiosk.service) restarts the app."""
from __future__ import annotations

import logging
import time

from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock

log = logging.getLogger("screens.app")


def install(app) -> ExceptionHandler:
    """Add the guard to Kivy's exception manager; `uninstall(app)` takes it away again."""

    class KeepServing(ExceptionHandler):
        def handle_exception(self, inst):
            if isinstance(inst, (KeyboardInterrupt, SystemExit)) or not budget_ok(app):
                return ExceptionManager.RAISE
            log.error("unexpected error in the UI; the session is reset", exc_info=inst)
            Clock.schedule_once(lambda _dt: recover(app), 0)
            return ExceptionManager.PASS

    app._error_guard = KeepServing()
    ExceptionManager.add_handler(app._error_guard)
    return app._error_guard


def uninstall(app) -> None:
    """Remove the guard (the app stops)."""
    if getattr(app, "_error_guard", None) in ExceptionManager.handlers:
        ExceptionManager.remove_handler(app._error_guard)


def budget_ok(app, limit: int = 5, window: float = 60.0) -> bool:
    """At most `limit` recoveries per `window` seconds."""
    now = time.monotonic()
    app._error_times = [t for t in getattr(app, "_error_times", []) if now - t < window] + [now]
    return len(app._error_times) <= limit


def recover(app) -> None:
    """After an unexpected error: wipe the session and show the attract screen, whatever a screen's clear does."""
    try:
        app.end_session()
    except Exception:  # the wipe itself must happen even if a screen's clear fails
        log.exception("recovery: a screen failed to clear; wiping the session directly")
        app.session.wipe()
        app._pending.clear()
        app.sm.current = "attract"
