"""暂停服务: what the public sees while staff work on the terminal or it checks itself.

Shown when staff leave maintenance mode (退出维护 or its timeout): the self-check runs again off the UI
thread and the attract screen returns when it is done, so a terminal left with a broken part says so
in the event log and the heartbeat before the next citizen comes. No button: a citizen cannot start
anything here; the screen says where else to go.

The picture and words are one widget, OutOfServiceView (out_of_service.kv), which the terminal's other
displays show too (screens/out_of_service_display.py, started by screens/other_displays.py)."""
from __future__ import annotations

import logging
import threading

from kivy.clock import Clock
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.maintenance.results import LEVEL_WORDS
from screens import other_displays
from screens.widgets.base import KioskScreen, load_kv

log = logging.getLogger(__name__)

STAFF_AT_WORK = "工作人员正在维护"          # while staff work (maintenance mode)
CHECKING = "终端正在自检，马上就好"         # while the self-check runs after they leave


class OutOfServiceView(BoxLayout):
    """The 暂停服务 pictogram and words; `status` says why, `help_phone` where to call."""
    status = StringProperty(STAFF_AT_WORK)
    help_phone = StringProperty("")


load_kv(__file__, chrome=False)   # no top bar here, and the other displays' windows need none


class OutOfServiceScreen(KioskScreen):
    """暂停服务, then (with `then_attract`) the self-check and back to the attract screen."""
    status = StringProperty("")
    help_phone = StringProperty("")

    def prepare(self, then_attract: bool = False, background: bool = True, **_kwargs) -> None:
        self.help_phone = self.app.settings.get("terminal", "help_phone")
        self.status = STAFF_AT_WORK if not then_attract else CHECKING
        other_displays.follow(self.app)   # the other displays show 暂停服务 until the attract screen
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
