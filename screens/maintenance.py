"""维护模式 for staff: a PIN, then the self-check (devices, outbox, platform, storage, content) in
Chinese with the standard states in small print, a self-test per device (screens/maintenance_panes.py),
the event log and the export of the diagnostics bundle. Entered from the attract screen only (hold the clock), so a citizen's
transaction is never interrupted — the XFS "request, then acknowledge when idle" rule.

The PIN is checked by kiosk.staff_pin (salted hash, growing lockout, staff alert) when 确定 is pressed.
The citizen's idle timer is paused here, but maintenance mode has its own: [staff] maintenance_timeout
seconds without a touch and the screen goes back to the attract screen, so a terminal left open by staff
does not stay open. Leaving (退出维护 or the timeout) shows 暂停服务 while the self-check runs again
(screens/out_of_service.py); then the attract screen returns. From the PIN pad until then, the
terminal's other displays ([ui] other_displays) show 暂停服务 too (screens/other_displays.py)."""
from __future__ import annotations

import logging
import threading

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from kiosk import diagnostics_words as staff_words
from kiosk.idle import IdlePhase, IdleTimer
from kiosk.staff_pin import StaffPin, staff_alert
from screens import other_displays
from screens.maintenance_panes import SelfTestPanes, TouchGridView  # noqa: F401  (TouchGridView: the .kv)
from screens.widgets import keypad, paged_list  # noqa: F401  (Keypad and PagedList for the .kv)
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)
log = logging.getLogger(__name__)

LEVEL_WORDS = {"ok": "正常", "warn": "注意", "fail": "故障"}


class MaintenanceScreen(SelfTestPanes, KioskScreen):
    """Staff only, behind the PIN: the self-check and its actions."""
    unlocked = BooleanProperty(False)
    checking = BooleanProperty(False)     # the PIN is being checked (off the UI thread)
    pin = StringProperty("")
    message = StringProperty("")
    overall = StringProperty("")
    rows = ListProperty([])
    device_log = ListProperty([])

    def on_kv_post(self, base_widget):
        # only one pane is in the tree at a time: a hidden pane must not catch the other's touches
        self._panes = {True: self.ids.report_pane.__self__, False: self.ids.pin_pane.__self__}  # strong refs
        self.ids.stage.remove_widget(self._panes[True])
        self._side_panes = {name: self.ids[f"{name}_pane"].__self__
                            for name in ("checks", "tests", "events", "export")}
        for name in ("tests", "events", "export"):
            self.ids.side.remove_widget(self._side_panes[name])
        self.build_test_buttons()

    def on_unlocked(self, _instance, unlocked: bool) -> None:
        stage = self.ids.stage
        stage.remove_widget(self._panes[not unlocked])
        if self._panes[unlocked].parent is None:
            stage.add_widget(self._panes[unlocked])

    def prepare(self, unlocked: bool = False, **_kwargs) -> None:
        self.unlocked = unlocked
        self.pin = ""
        wait = StaffPin.from_settings(self.app.settings).wait_left()
        self.message = "请输入维护密码" if not wait else StaffPin.locked_message(wait)
        self.rows = []
        self.device_log = []
        self.export_message = ""
        self.stop_test()                 # a touch grid or a waiting test of an earlier visit goes
        self.result_title, self.result_words, self.result_summary = "", "", "请点上面的一项开始测试"
        self.result_lines = self.result_state = ""
        self.show_pane("checks")
        if unlocked:
            self.refresh()

    def on_enter(self, *args):
        self.app.busy(True)  # staff at work: no citizen's idle warning under their hands ...
        app = self.app
        other_displays.follow(app)   # ... and 暂停服务 on the terminal's other displays (none by default)
        # ... but a maintenance screen left alone goes back to the public screens by itself
        self._idle = IdleTimer(app.settings.getfloat("staff", "maintenance_timeout"), 0,
                               clock=lambda: app.idle.clock())
        from kivy.core.window import Window
        Window.bind(on_touch_down=self._touched, on_key_down=self._touched)
        self._idle_event = Clock.schedule_interval(self._check_idle, 0.5)
        self._unsubscribe = [d.events.subscribe(lambda e, p, n=name: self._device_event(e, p, n))
                             for name, d in self.app.hub.devices.items()]

    def _touched(self, *_args):
        self._idle.touch()
        return False

    def _check_idle(self, _dt) -> None:
        if self.manager is not None and self.manager.current == self.name \
                and self._idle.check()[0] is IdlePhase.EXPIRED:
            log.info("maintenance mode ended by its idle timeout")
            self.leave()

    def on_leave(self, *args):
        from kivy.core.window import Window
        Window.unbind(on_touch_down=self._touched, on_key_down=self._touched)
        if getattr(self, "_idle_event", None) is not None:
            self._idle_event.cancel()
            self._idle_event = None
        self.app.busy(False)
        self.stop_test()
        for unsubscribe in getattr(self, "_unsubscribe", []):
            unsubscribe()
        self._unsubscribe = []

    def clear_personal(self) -> None:
        self.unlocked = False
        self.pin = ""
        self.device_log = []
        self.ids.pin_pad.clear()
        self.result_lines = ""          # a test card's masked fields
        self.stop_test()
        self.last_results = {}

    # -- PIN ---------------------------------------------------------------------------------
    def pin_changed(self, value: str) -> None:
        """A PIN digit was pressed."""
        self.pin = value

    def submit_pin(self) -> None:
        """确定: one try, counted by kiosk.staff_pin (a wrong one may lock the pad for a while). The slow
        hash (~0.2 s on a terminal) runs off the UI thread."""
        if self.checking:
            return
        app = self.app
        outbox = app.sync.outbox if app.sync else None
        checker = StaffPin.from_settings(
            app.settings, alert=lambda code, message: staff_alert(app.settings.data_dir, outbox, code, message))
        pin = self.pin
        self.ids.pin_pad.clear()
        self.checking = True
        self.message = "正在核对……"

        def work():
            result = checker.attempt(pin)
            Clock.schedule_once(lambda _dt: self._pin_checked(result), 0)
        threading.Thread(target=work, name="staff-pin", daemon=True).start()

    def _pin_checked(self, result) -> None:
        self.checking = False
        if self.manager is None or self.manager.current != self.name:
            return  # left (timeout, wipe) while the hash was computed: open nothing
        if result.ok:
            self.app.terminal.eventlog.add("staff", "维护密码正确，进入维护模式", "maintenance")
            self.unlocked = True
            self.message = ""
            self.refresh()
        else:
            self.message = result.message

    # -- report -------------------------------------------------------------------------------
    def refresh(self, background: bool = True) -> None:
        """Run the self-check off the UI thread (the platform check may wait for a timeout)."""
        self.overall = "正在检查……"
        terminal = self.app.terminal

        def work():
            result = terminal.diagnose()
            Clock.schedule_once(lambda _dt: self._show(result), 0)
        if background:
            threading.Thread(target=work, name="maintenance-check", daemon=True).start()
        else:
            work()

    def _show(self, result: dict) -> None:
        self.overall = f"终端 {result['terminal']}  软件 {result['version']}  总体：{LEVEL_WORDS[result['overall']]}"
        # (code, level words, plain detail, level): the screen shows names and sentences; codes in small print
        self.rows = [(c["check"], LEVEL_WORDS[c["level"]], staff_words.detail(c), c["level"])
                     for c in result["checks"]]
        rows = []
        for c, (_code, words, detail, level) in zip(result["checks"], self.rows):
            row = Factory.MaintenanceRow()
            row.check, row.words, row.detail, row.level = staff_words.check_name(c), words, detail, level
            row.small = " ".join(x for x in (c["check"], c.get("state", ""), c.get("detail", "")) if x)
            rows.append(row)
        self.ids.check_list.set_rows(rows)     # in pages that fit, in both modes and orientations

    def _device_event(self, event: str, payload, name: str = "") -> None:
        # names and codes only: a test card's contents never appear on the staff screen either
        code = getattr(payload, "code", "") or getattr(getattr(payload, "state", None), "value", "")
        if event in ("frame", "verdict", "page"):
            return
        line = f"{staff_words.DEVICE_NAMES.get(name, name)}：{staff_words.event_line(event, code)}"
        Clock.schedule_once(lambda _dt: self._log(line), 0)

    def _log(self, line: str) -> None:
        self.device_log = (self.device_log + [line])[-6:]

    # -- actions -------------------------------------------------------------------------------
    def send_now(self) -> None:
        """立即发送: wake the sync worker now."""
        if self.app.sync and self.app.sync.worker:
            self.app.sync.worker.wake()
            self._log("正在发送待发送的办件")

    def retry_dead(self) -> None:
        """重试失败的: put the dead letters back in the queue."""
        if self.app.sync and self.app.sync.outbox:
            count = self.app.sync.outbox.retry_dead()
            self._log(f"发送失败的{count}份重新排队发送")
            self.refresh()

    def leave(self) -> None:
        """Back to the public screens: 暂停服务 while the self-check runs again, then the attract screen."""
        self.unlocked = False
        self.app.terminal.eventlog.add("staff", "退出维护模式", "maintenance")
        self.app.go("out_of_service", then_attract=True)

    @classmethod
    def tour_states(cls, app):
        def unlocked(app, then=None):
            app.go("maintenance")
            screen = app.sm.get_screen("maintenance")
            screen.unlocked = True
            screen.refresh(background=False)  # the photo shows the finished check
            if then is not None:
                then(screen)

        def tested(key):
            return lambda app: unlocked(app, lambda s: s.start_test(key, background=False))

        def camera(app):
            unlocked(app, lambda s: s.start_test("camera", background=False))
            import numpy as np
            from devices.camera.simulator import phone_frame
            s = app.sm.get_screen("maintenance")
            s._frame_arrived(np.ascontiguousarray(phone_frame("HEZE-SELFTEST")))
            s._show_picture()

        def touch(app):
            unlocked(app, lambda s: s.start_test("touch"))
            s = app.sm.get_screen("maintenance")
            for x, y in s._touch_view.grid.targets[:5]:
                s._touch_view.grid.tap(x, y)
            s._touch_view.hits = len(s._touch_view.grid.hit)
            s._touch_view.redraw()

        def pane(name):
            return lambda app: unlocked(app, lambda s: s.show_pane(name))

        def locked(app):     # what the pad says after too many wrong PINs (the lockout itself is not stored)
            app.go("maintenance")
            app.sm.get_screen("maintenance").message = StaffPin.locked_message(120)

        def last_page(app):
            unlocked(app)
            pages = app.sm.get_screen("maintenance").ids.check_list
            Clock.schedule_once(lambda _dt: pages.show_page(99), 0)   # after the check's rows (queued first)
        return [("", {}), ("-locked", locked), ("-report", unlocked), ("-report-last-page", last_page),
                ("-selftest-idcard", tested("idcard")), ("-selftest-sscard", tested("sscard")),
                ("-selftest-camera", camera), ("-selftest-scanner", tested("scanner")),
                ("-selftest-touch", touch), ("-selftest-network", tested("network")),
                ("-selftest-storage", tested("storage")), ("-events", pane("events")), ("-export", pane("export"))]
