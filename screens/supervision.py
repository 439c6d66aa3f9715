"""The app under systemd (deploy/heze-kiosk.service, Type=notify with WatchdogSec): READY=1 once the
first frame is on the display, WATCHDOG=1 from Kivy's clock, i.e. from the main loop itself, so a
frozen UI stops the pings and systemd restarts the app. Outside systemd nothing is sent (kiosk/watchdog.py)."""
from __future__ import annotations

from kivy.clock import Clock

from kiosk.watchdog import Watchdog


def install(app, environ=None) -> Watchdog:
    """Start notifying systemd for `app` (a KioskApp); the Watchdog is kept as `app.watchdog`."""
    import os
    dog = Watchdog.from_environment(environ if environ is not None else os.environ)
    app.watchdog = dog
    if dog.enabled:
        app.after_first_frame(lambda: dog.ready("serving"))
        app._watchdog_event = Clock.schedule_interval(lambda _dt: dog.ping(), dog.interval)
    return dog


def stopping(app) -> None:
    """Tell systemd the app is stopping on purpose, and stop the pings."""
    event = getattr(app, "_watchdog_event", None)
    if event is not None:
        event.cancel()
    dog = getattr(app, "watchdog", None)
    if dog is not None:
        dog.stopping()
