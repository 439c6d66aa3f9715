"""暂停服务: what the public sees while staff work on the terminal or it checks itself.

Shown when staff leave maintenance mode (退出维护 or its timeout): the self-check runs again off the UI
thread and the attract screen returns when it is done, so a terminal left with a broken part says so
in the event log and the heartbeat before the next citizen comes. No button: a citizen cannot start
anything here; the screen says where else to go."""
from __future__ import annotations

import logging
import threading

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.maintenance.results import LEVEL_WORDS
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)
log = logging.getLogger(__name__)


class OutOfServiceScreen(KioskScreen):
    """暂停服务, then (with `then_attract`) the self-check and back to the attract screen."""
    status = StringProperty("")
    help_phone = StringProperty("")

    def prepare(self, then_attract: bool = False, background: bool = True, **_kwargs) -> None:
        self.help_phone = self.app.settings.get("terminal", "help_phone")
        self.status = "工作人员正在维护" if not then_attract else "终端正在自检，马上就好"
        if then_attract:
            self.app.busy(True)   # the citizen's idle timer must not cut the check short
            (threading.Thread(target=self._check, name="leave-check", daemon=True).start
             if background else self._check)()

    def _check(self) -> None:
        terminal = self.app.terminal
        try:
            result = terminal.diagnose()
            level = result["overall"]
            bad = [c["check"] for c in result["checks"] if c["level"] == "fail"]
        except Exception:  # the check itself failing must not keep the terminal closed
            log.exception("self-check after maintenance failed")
            level, bad = "fail", ["selfcheck"]
        terminal.eventlog.add("selftest", f"退出维护后的自检：{LEVEL_WORDS[level]}" +
                              (f"（故障：{'、'.join(bad)}）" if bad else ""), "leave", level)
        Clock.schedule_once(lambda _dt: self._done(), 0)

    def _done(self) -> None:
        self.app.busy(False)
        if self.manager is not None and self.manager.current == self.name:
            self.app.end_session()      # the attract screen

    @classmethod
    def tour_states(cls, app):
        return [("", {})]
