"""暂停服务 on the terminal's other displays while staff work: the front end's side of
kiosk/maintenance/other_displays.py.

`follow(app)` (called when maintenance mode or 暂停服务 is first shown) watches which screen is current:
on the maintenance screen (PIN pad or report) and on 暂停服务 (the self-check after leaving) every
display listed in `[ui] other_displays` shows the same picture and words in a process of its own
(`run_kiosk.py out-of-service-display`); any other screen (the attract screen after the check, or a
wipe) stops them. Nothing here ever blocks staff mode: a display that fails is an event-log line.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from kiosk.maintenance.other_displays import OtherDisplay, OtherDisplays, parse
from screens.kivy_env import find_font

log = logging.getLogger(__name__)

RUN_KIOSK = Path(__file__).resolve().parent.parent / "run_kiosk.py"
SHOWN_ON = ("maintenance", "out_of_service")


def child_argv(settings, display: OtherDisplay) -> list[str]:
    """The command line of the process that shows 暂停服务 on `display`."""
    argv = [sys.executable, str(RUN_KIOSK), "--data-dir", str(settings.data_dir / "other-display"),
            "out-of-service-display", "--display", display.name, "--parent", str(os.getpid())]
    if display.geometry is not None:
        w, h, x, y = display.geometry
        argv += ["--geometry", f"{w}x{h}+{x}+{y}"]
    font = find_font(settings.get("ui", "font"), Path(settings.data_dir) / "kivy" / "fonts")[0]
    return argv + ["--font", font]


class Follower:
    """Starts and stops the other displays' processes as the app's current screen changes."""

    def __init__(self, app):
        self.app = app
        self.raw = None
        self.manager = OtherDisplays([], lambda d: child_argv(app.settings, d), note=self._note)
        app.sm.bind(current=lambda *_: self.update())
        app.bind(on_stop=lambda *_: self.manager.hide())

    def _note(self, text: str, level: str) -> None:
        self.app.terminal.eventlog.add("staff", text, "other_display", level)

    def _displays(self) -> list[OtherDisplay]:
        raw = self.app.settings.get("ui", "other_displays")
        if raw != self.raw:              # read again when it changed (tests, a reload)
            self.manager.hide()
            self.raw = raw
            try:
                self.manager.displays = parse(raw)
            except ValueError as exc:
                log.warning("%s", exc)
                self._note(f"另一块显示屏的设置有误，没有显示“暂停服务”：{exc}", "warn")
                self.manager.displays = []
        return self.manager.displays

    def update(self) -> None:
        """Show or stop 暂停服务 on the other displays for the screen now current."""
        current = self.app.sm.current
        if current not in SHOWN_ON:
            self.manager.hide()
            return
        if not self._displays():
            return
        from screens.out_of_service import STAFF_AT_WORK
        status = self.app.sm.get_screen(current).status if current == "out_of_service" else STAFF_AT_WORK
        self.manager.show({"status": status, "help_phone": self.app.settings.get("terminal", "help_phone")})


def follow(app) -> Follower:
    """Start following `app`'s screens (once) and bring the other displays up to date now."""
    follower = getattr(app, "other_displays", None)
    if follower is None:
        follower = app.other_displays = Follower(app)
    follower.update()
    return follower
