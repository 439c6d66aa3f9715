"""维护模式 for staff: a PIN, then the self-check (devices, outbox, platform, storage, content) with
the actions staff need on site. Entered from the attract screen only (hold the clock), so a citizen's
transaction is never interrupted — the XFS "request, then acknowledge when idle" rule."""
from __future__ import annotations

import threading

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from kiosk.diagnostics import pin_ok, report
from screens.widgets import keypad  # noqa: F401  (registers Keypad for the .kv)
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)

LEVEL_WORDS = {"ok": "正常", "warn": "注意", "fail": "故障"}


class MaintenanceScreen(KioskScreen):
    unlocked = BooleanProperty(False)
    pin = StringProperty("")
    message = StringProperty("")
    overall = StringProperty("")
    rows = ListProperty([])
    device_log = ListProperty([])

    def on_kv_post(self, base_widget):
        # only one pane is in the tree at a time: a hidden pane must not catch the other's touches
        self._panes = {True: self.ids.report_pane.__self__, False: self.ids.pin_pane.__self__}  # strong refs
        self.ids.stage.remove_widget(self._panes[True])

    def on_unlocked(self, _instance, unlocked: bool) -> None:
        stage = self.ids.stage
        stage.remove_widget(self._panes[not unlocked])
        if self._panes[unlocked].parent is None:
            stage.add_widget(self._panes[unlocked])

    def prepare(self, unlocked: bool = False, **_kwargs) -> None:
        self.unlocked = unlocked
        self.pin = ""
        self.message = "请输入维护密码"
        self.rows = []
        self.device_log = []
        if unlocked:
            self.refresh()

    def on_enter(self, *args):
        self.app.busy(True)  # staff at work: no idle reset under their hands
        self._unsubscribe = [d.events.subscribe(self._device_event) for d in self.app.hub.devices.values()]

    def on_leave(self, *args):
        self.app.busy(False)
        for unsubscribe in getattr(self, "_unsubscribe", []):
            unsubscribe()
        self._unsubscribe = []

    def clear_personal(self) -> None:
        self.unlocked = False
        self.pin = ""
        self.device_log = []
        self.ids.pin_pad.clear()

    # -- PIN ---------------------------------------------------------------------------------
    def pin_changed(self, value: str) -> None:
        self.pin = value
        if len(value) >= 4 and pin_ok(self.app.settings, value):
            self.unlocked = True
            self.message = ""
            self.refresh()
        elif len(value) >= 8:
            self.message = "密码不对，请重新输入"
            self.ids.pin_pad.clear()

    # -- report -------------------------------------------------------------------------------
    def refresh(self, background: bool = True) -> None:
        """Run the self-check off the UI thread (the platform check may wait for a timeout)."""
        self.overall = "正在检查……"
        app = self.app
        sync = app.sync
        statuses = app.hub.statuses()

        def work():
            result = report(app.settings, statuses, sync.outbox if sync else None,
                            sync.problem if sync else "outbox not started", platform_timeout=3.0)
            Clock.schedule_once(lambda _dt: self._show(result), 0)
        if background:
            threading.Thread(target=work, name="maintenance-check", daemon=True).start()
        else:
            work()

    def _show(self, result: dict) -> None:
        self.overall = f"终端 {result['terminal']}（{result['level']}）软件 {result['version']}：" \
                       f"{LEVEL_WORDS[result['overall']]}"
        self.rows = [(c["check"], LEVEL_WORDS[c["level"]], f"{c.get('state', '')} {c['detail']}".strip(),
                      c["level"]) for c in result["checks"]]
        box = self.ids.rows
        box.clear_widgets()
        for check, words, detail, level in self.rows:
            row = Factory.MaintenanceRow()
            row.check, row.words, row.detail, row.level = check, words, detail, level
            box.add_widget(row)

    def _device_event(self, event: str, payload) -> None:
        # names and codes only: a test card's contents never appear on the staff screen either
        code = getattr(payload, "code", "") or getattr(getattr(payload, "state", None), "value", "")
        line = f"{event} {code}".strip()
        Clock.schedule_once(lambda _dt: self._log(line), 0)

    def _log(self, line: str) -> None:
        self.device_log = (self.device_log + [line])[-6:]

    # -- actions -------------------------------------------------------------------------------
    def send_now(self) -> None:
        if self.app.sync and self.app.sync.worker:
            self.app.sync.worker.wake()
            self._log("outbox: sending now")

    def retry_dead(self) -> None:
        if self.app.sync and self.app.sync.outbox:
            count = self.app.sync.outbox.retry_dead()
            self._log(f"outbox: {count} dead letters queued again")
            self.refresh()

    def leave(self) -> None:
        self.unlocked = False
        self.app.end_session()

    @classmethod
    def tour_states(cls, app):
        def unlocked(app):
            app.go("maintenance")
            screen = app.sm.get_screen("maintenance")
            screen.unlocked = True
            screen.refresh(background=False)  # the photo shows the finished check
        return [("", {}), ("-report", unlocked)]
