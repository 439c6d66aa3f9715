"""办件查询: a number on the keypad (or one of this visit's receipts) → "正在查询" → the steps so far.

The steps and rules are kiosk/flows/tracking_flow.py (TrackingFlow); this screen shows them. The
question goes to the platform on a background thread (the screen never freezes); the answer comes back
through Clock.schedule_once. Another terminal's 办件编号 needs the receipt's 4-digit 查询码: the same
keypad asks for it. Numbers are never logged.
"""
from __future__ import annotations

import logging
import threading

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.flows import tracking as rules
from kiosk.flows.tracking import TrackingResult, format_typed
from kiosk.flows.tracking_flow import lookup
from kiosk.submit import KIND_NAMES
from screens.widgets.base import load_kv
from screens.widgets.keypad import Keypad
from screens.widgets.step_screen import StepScreen
from kiosk import wording as W

load_kv(__file__)
log = logging.getLogger(__name__)

# key names a keyboard-wedge scanner sends besides characters (as screens/scan_code.py feeds them)
_KEY_NAMES = {13: "enter", 271: "numpadenter", 303: "rshift", 304: "lshift", 301: "capslock",
              305: "rctrl", 306: "lctrl", 307: "ralt", 308: "lalt"}


class TrackingKeypad(Keypad):
    """The big keypad, showing the digits with dashes like on the receipt (371700-20261127-000123)."""

    field_name = "回执上的办件号"     # what the keypad-and-voice navigation asks for

    def on_value(self, *_):
        self.shown = format_typed(self.value)


class TrackingStep(BoxLayout):
    """One step of the timeline: when, what (in plain words) and the platform's note; the latest says 现在."""

    when = StringProperty("")
    words = StringProperty("")
    note = StringProperty("")
    official = StringProperty("")    # the official term (已办结), small beside the plain words
    current = BooleanProperty(False)
    bg_color = ColorProperty((1, 1, 1, 1))


class TrackingScreen(StepScreen):
    """办件查询, one step at a time; the answer arrives from a background thread."""

    flow_name = "tracking"

    def __init__(self, **kwargs):
        self._waiting = False     # the idle timer is paused while a question is on its way
        self._hid = None
        super().__init__(**kwargs)
        self.show_counter = False   # a question and its answer, not a form: no "第n步"

    # -- what tests and the tour look at ------------------------------------------------------------
    @property
    def result(self) -> TrackingResult | None:
        """The answer shown (kept in the flow's state)."""
        flow = self.flow
        return flow.state.result if flow is not None else None

    @property
    def keypad(self):
        """The keypad on the step shown (None on steps without one)."""
        return next((w for w in self.ids.body.children if isinstance(w, Keypad)), None)

    # -- the receipt's QR code on the scanner --------------------------------------------------------
    def on_enter(self, *_args) -> None:
        self._listen()

    def on_leave(self, *_args) -> None:
        self._stop_listening()

    def _scanner(self):
        return self.app.hub.get("scanner")

    @property
    def can_scan(self) -> bool:
        """Whether this terminal has a scanner for the receipt's QR code."""
        return self._scanner().configured

    def _listen(self) -> None:
        self._stop_listening()
        scanner = self._scanner()
        if not scanner.configured:
            return
        if scanner.can("feed_key"):
            self._hid = scanner
            Window.bind(on_key_down=self._on_key_down)

    def _stop_listening(self) -> None:
        if self._hid is not None:
            Window.unbind(on_key_down=self._on_key_down)
            self._hid = None

    def _on_key_down(self, _window, key, _scancode, codepoint, _modifiers):
        if self._hid is not None:
            self._hid.feed_key(codepoint if codepoint else _KEY_NAMES.get(key, f"key{key}"))
        return False

    def on_device_event(self, section: str, event: str, payload, _at: float) -> None:
        """A device's event from the terminal core, on the UI thread, while this screen is shown."""
        if section == "scanner" and event == "code":
            self.code_scanned(str(payload))

    def code_scanned(self, text: str) -> None:
        """A receipt's QR code was scanned: look its number up at once."""
        flow = self.flow
        if flow is None or self.manager is None or self.manager.current != self.name or flow.waiting:
            return
        self._after(flow.scanned, text)

    # -- taps go to the flow; a question goes to a background thread ------------------------------------
    def _after(self, action, *args) -> None:
        """Do `action` on the flow, show where it is now, and send its question if it asked one."""
        action(*args)
        flow = self.flow
        self.error = flow.state.error
        self.refresh()
        if flow.waiting:
            self._send(*flow.pending_question())

    def _send(self, question: int, what: tuple) -> None:
        kind, number, check = what
        terminal = self.app.terminal
        if not self._waiting:
            self._waiting = True
            self.app.busy(True)

        def work():
            result = lookup(terminal, kind, number, check)   # never raises
            Clock.schedule_once(lambda _dt: self._answer(question, result), 0)
        threading.Thread(target=work, name="tracking-query", daemon=True).start()

    def _answer(self, question: int, result: TrackingResult) -> None:
        flow = self.flow
        if flow is None or not flow.answer(question, result):
            return   # a newer question was asked, or the session was wiped meanwhile
        self._stop_waiting()
        self.error = flow.state.error
        self.refresh()

    def _stop_waiting(self) -> None:
        if self._waiting:
            self._waiting = False
            self.app.busy(False)

    def query_number(self, text: str, check: str = "") -> None:
        """Look up a number (a receipt tapped, or typed); the answer arrives later on the UI thread."""
        self._after(self.flow.number, text, check)

    def again(self) -> None:
        """再查一个."""
        self._after(self.flow.again)

    def previous_step(self) -> None:
        """上一步: from the 查询码 to the number, from the number to this visit's receipts, else out."""
        flow = self.flow
        if flow is None or not flow.back():
            self.app.back()
            return
        self._stop_waiting()
        self.error = ""
        self.refresh()

    def actions(self, key: str) -> list:
        """查询 (with 上一步) while asking, 再查一个 / 回到首页 under the answer, nothing while waiting."""
        flow = self.flow
        if key == "input":
            back = [self.back_button()] if flow.receipts() else []
            return back + [self.button("查询", lambda: self._after(flow.typed_number), picto="tracking")]
        if key == "check":
            return [self.button(W.BACK, lambda: self._after(flow.back_to_number), primary=False, picto="back"),
                    self.button("查询", lambda: self._after(flow.typed_check), picto="tracking")]
        if key == "result":
            return [self.button("再查一个", self.again, primary=False, picto="tracking"),
                    self.button(W.HOME, self.app.home, picto="home")]
        return []

    # -- the steps -----------------------------------------------------------------------------------
    def build_pick(self, body) -> None:
        if self.can_scan:
            self.hint += "也可以扫回执上的二维码。"
        for receipt in self.flow.receipts()[: 2 if self.app.elderly else 4]:
            words = f"{KIND_NAMES.get(receipt['kind'], '提交')}：{receipt['local_id']}"
            body.add_widget(self.button(words, lambda r=receipt: self.query_number(r["local_id"]),
                                        primary=False, picto="tracking"))
        body.add_widget(self.button("按回执上的号码查", lambda: self._after(self.flow.go_to, "input"),
                                    primary=False, picto="touch"))
        body.add_widget(Widget())

    def build_input(self, body) -> None:
        if self.can_scan:
            self.hint = "有回执的，把回执上的二维码对准扫码口就行。" + self.hint
        flow = self.flow
        self.add_keypad(body, flow.state.digits, flow.set_digits, max_len=rules.TRACKING_DIGITS,
                        placeholder="请用数字键输入回执上的号码", keypad=TrackingKeypad)

    def build_check(self, body) -> None:
        flow = self.flow
        self.add_keypad(body, flow.state.check_digits, flow.set_check, max_len=rules.CHECK_DIGITS,
                        placeholder="请按回执上的4位查询码", kind="plain")

    def build_loading(self, body) -> None:
        body.add_widget(Factory.TrackingPicto(name="clock"))

    @property
    def steps_shown(self) -> int:
        """How many steps of a timeline are shown (the latest ones; fewer, larger in 长辈模式)."""
        return 3 if self.app.elderly else 6

    def build_result(self, body) -> None:
        result = self.result
        words = rules.messages(self.app.settings.get("terminal", "help_phone"))
        if result.found:
            what = KIND_NAMES.get(result.kind, "办件")
            self.step_title = f"现在：{result.status_words or '办理中'}"
            self.hint = f"{what}　办件编号 {result.number}"
            if result.local_id:
                body.add_widget(Factory.FlowHint(text=f"回执号 {result.local_id} 已经送到办理部门。"))
            body.add_widget(self._timeline(result))
            return
        picto = "clock" if result.outcome == rules.LOCAL_PENDING else "warn"
        self.step_title = {rules.LOCAL_PENDING: "还在本机等待发送", rules.NOT_FOUND: "没有查到",
                           rules.CHECK_NOT_FOUND: "没有查到", rules.TOO_MANY_CHECKS: "请稍后再查",
                           rules.LOCAL_DEAD: "没有送达", rules.OFFLINE: "现在查不了",
                           rules.TIMEOUT: "这次没查到"}.get(result.outcome, "现在查不了")
        self.hint = ""
        row = BoxLayout(size_hint_y=None, height=self.app.target_h * 1.4, spacing=self.app.pad)
        row.add_widget(Factory.TrackingPicto(name=picto, size_hint_x=None, width=self.app.target_h * 1.4))
        row.add_widget(Factory.KLabel(text=words.get(result.outcome, words[rules.ERROR])))
        body.add_widget(row)
        number = result.local_id or result.number
        if number:
            body.add_widget(Factory.FlowHint(text=f"查询的号码：{number}"))

    def _timeline(self, result: TrackingResult):
        box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=self.app.pad * 0.5)
        box.bind(minimum_height=box.setter("height"))
        steps = result.steps
        hidden = max(0, len(steps) - self.steps_shown)
        if hidden:
            box.add_widget(Factory.FlowHint(text=f"（前面还有{hidden}步，已经办完）"))
        for index, step in enumerate(steps[hidden:], start=hidden):
            box.add_widget(TrackingStep(when=step.when, words=step.words, note=step.note, official=step.official,
                                        current=index == len(steps) - 1))
        return box

    def clear_personal(self) -> None:
        self._stop_listening()
        self._stop_waiting()
        super().clear_personal()

    # -- tour -----------------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        demo = {"tracking_no": "371700-20261120-000001", "kind": "application", "status": "completed",
                "events": [
                    {"at": "2026-11-20T09:12:00+08:00", "status": "received", "note": "已收到您的申请"},
                    {"at": "2026-11-20T14:30:00+08:00", "status": "accepted", "note": "材料收齐了，工作人员开始看材料"},
                    {"at": "2026-11-23T10:05:00+08:00", "status": "approved", "note": "材料没有问题"},
                    {"at": "2026-11-24T16:40:00+08:00", "status": "completed", "note": "办好了，证件可以到大厅领取"}]}

        def typed(app):
            app.go("tracking")
            for digit in "37170020261120":
                app.screen("tracking").keypad.press(digit)

        def check(app):
            app.go("tracking")
            screen = app.screen("tracking")
            screen.flow.number("37170020261120000001")
            screen.flow.answer(screen.flow.state.asked, TrackingResult(rules.NEED_CHECK, "371700-20261120-000001"))
            screen.refresh()

        def pick(app):
            app.session.receipts.append({"local_id": "HZ0001-20261127-0007", "kind": "complaint"})
            app.go("tracking")

        def answer(result):
            def state(app):
                app.go("tracking")
                screen = app.screen("tracking")
                screen.flow.number("37170020261120000001")
                screen.flow.answer(screen.flow.state.asked, result)
                screen.refresh()
            return state

        def loading(app):
            app.go("tracking")
            screen = app.screen("tracking")
            screen.flow.number("37170020261120000001")   # asked, not sent: the tour photographs the wait
            screen.refresh()

        return [("", {}), ("-typed", typed), ("-pick", pick), ("-check", check), ("-loading", loading),
                ("-found", answer(rules.from_platform(demo))),
                ("-waiting", answer(TrackingResult(rules.LOCAL_PENDING, "HZ0001-20261127-0007",
                                                   local_id="HZ0001-20261127-0007"))),
                ("-offline", answer(TrackingResult(rules.OFFLINE, "371700-20261120-000001")))]
