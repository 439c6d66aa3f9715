"""办件查询: a number on the keypad (or one of this visit's receipts) → "正在查询" → the steps so far.

The question goes to the platform on a background thread (the screen never freezes); the answer comes
back through Clock.schedule_once. A local receipt number is looked up in this terminal's outbox first.
Offline, unknown number and a slow network each get their own plain words. Numbers are never logged.
Another terminal's 办件编号 needs the receipt's 4-digit 查询码: the same keypad asks for it (step "check").
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
from kiosk.submit import KIND_NAMES
from screens.widgets.flow_widgets import LegacyStepScreen
from screens.widgets.base import load_kv
from screens.widgets.keypad import Keypad

load_kv(__file__)
log = logging.getLogger(__name__)

# key names a keyboard-wedge scanner sends besides characters (as screens/scan_code.py feeds them)
_KEY_NAMES = {13: "enter", 271: "numpadenter", 303: "rshift", 304: "lshift", 301: "capslock",
              305: "rctrl", 306: "lctrl", 307: "ralt", 308: "lalt"}
MSG_OTHER_QR = "这个二维码不是回执上的号码。请扫回执上的二维码，或者在下面按号码。"


class TrackingKeypad(Keypad):
    """The big keypad, showing the digits with dashes like on the receipt (371700-20261127-000123)."""

    def on_value(self, *_):
        self.shown = format_typed(self.value)


class TrackingStep(BoxLayout):
    """One step of the timeline: when, what (in plain words) and the platform's note; the latest says 现在."""

    when = StringProperty("")
    words = StringProperty("")
    note = StringProperty("")
    current = BooleanProperty(False)
    bg_color = ColorProperty((1, 1, 1, 1))


def query_in_background(settings, outbox, kind: str, number: str, check: str = "") -> TrackingResult:
    """Runs on a worker thread: kiosk.flows.tracking.query with this terminal's platform client."""
    from offline_cache.platform_client import PlatformClient
    return rules.query(outbox, lambda: PlatformClient.from_settings(settings), kind, number, check)


class TrackingScreen(LegacyStepScreen):
    step = StringProperty("input")     # pick | input | check | loading | result
    error = StringProperty("")

    def __init__(self, **kwargs):
        self.keypad = TrackingKeypad(kind="plain", max_len=rules.TRACKING_DIGITS,
                                     placeholder="请在下面按回执上的号码")
        self.result: TrackingResult | None = None
        self.check_for = ""       # the 办件编号 whose 查询码 the keypad is asking for
        self._generation = 0      # answers of an older question (or a wiped session) are dropped
        self._waiting = False
        self._unsubscribe = None  # the scanner's events while this screen is shown
        self._hid = None
        super().__init__(**kwargs)

    def prepare(self, **_kwargs) -> None:
        self._forget()
        self.show("pick" if self.session_receipts() else "input")

    # -- the receipt's QR code on the scanner --------------------------------------------------------
    def on_enter(self, *_args) -> None:
        self._listen()

    def on_leave(self, *_args) -> None:
        self._stop_listening()

    def _scanner(self):
        hub = getattr(self.app, "hub", None)
        return hub.get("scanner") if hub is not None else None

    @property
    def can_scan(self) -> bool:
        scanner = self._scanner()
        return scanner is not None and scanner.configured

    def _listen(self) -> None:
        self._stop_listening()
        scanner = self._scanner()
        if not self.can_scan:
            return
        self._unsubscribe = scanner.events.subscribe(self._on_scanner_event)
        if scanner.can("feed_key"):
            self._hid = scanner
            Window.bind(on_key_down=self._on_key_down)

    def _stop_listening(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._hid is not None:
            Window.unbind(on_key_down=self._on_key_down)
            self._hid = None

    def _on_key_down(self, _window, key, _scancode, codepoint, _modifiers):
        if self._hid is not None:
            self._hid.feed_key(codepoint if codepoint else _KEY_NAMES.get(key, f"key{key}"))
        return False

    def _on_scanner_event(self, event: str, payload) -> None:
        """Driver thread: hand a scanned code to the next frame."""
        if event == "code":
            text = str(payload)
            Clock.schedule_once(lambda _dt: self.code_scanned(text), 0)

    def code_scanned(self, text: str) -> None:
        """A receipt's QR code was scanned: look its number up at once."""
        if self.manager is None or self.manager.current != self.name or self.step == "loading":
            return
        kind, number, check = rules.scan_with_check(text, self._letters())
        if kind == "incomplete":
            self.error = MSG_OTHER_QR
            self.show("input")
            return
        self.query_number(number, check)

    def _letters(self) -> str:
        outbox = self.app.sync.outbox if self.app.sync is not None else None
        return "".join(ch for ch in (outbox.prefix if outbox is not None else "HZ") if ch.isalpha()) or "HZ"

    def session_receipts(self) -> list[dict]:
        return list(reversed([r for r in self.session.receipts if r.get("local_id")]))

    # -- this visit's receipts ----------------------------------------------------------------------
    def _build_pick(self, body) -> None:
        self._title(body, "查哪一件？", "您这次在这台机器上提交过的，点一下就能查。"
                    + ("也可以扫回执上的二维码。" if self.can_scan else ""))
        for receipt in self.session_receipts()[: 2 if self.app.elderly else 4]:
            words = f"{KIND_NAMES.get(receipt['kind'], '提交')}：{receipt['local_id']}"
            body.add_widget(self._button(words, lambda r=receipt: self.query_number(r["local_id"]),
                                         primary=False, picto="tracking"))
        body.add_widget(self._button("按回执上的号码查", lambda: self.show("input"), primary=False, picto="touch"))
        body.add_widget(Widget())

    # -- the number on the keypad -----------------------------------------------------------------------
    def _build_input(self, body) -> None:
        hint = "办件编号是20位数字，横线会自动加上；回执号（HZ开头）只按HZ后面的数字。"
        if self.can_scan:
            hint = "有回执的，把回执上的二维码对准扫码口就行。" + hint
        self._title(body, "请输入办件编号或回执号", hint)
        self._add_keypad(body)
        actions = Factory.FlowActions()
        if self.session_receipts():
            actions.add_widget(self._button("上一步", lambda: self.show("pick"), primary=False, picto="back"))
        actions.add_widget(self._button("查询", self.query_typed, picto="tracking"))
        body.add_widget(actions)

    def query_typed(self) -> None:
        self.query_number(self.keypad.value)

    # -- the 查询码 of another terminal's number, on the same keypad ------------------------------------
    def _keypad_for(self, step: str) -> None:
        if step == "check":
            self.keypad.max_len, self.keypad.placeholder = rules.CHECK_DIGITS, "请按回执上的4位查询码"
        else:
            self.keypad.max_len, self.keypad.placeholder = rules.TRACKING_DIGITS, "请在下面按回执上的号码"

    def show(self, step: str) -> None:
        self._keypad_for(step)
        super().show(step)

    def _build_check(self, body) -> None:
        self._title(body, "请输入查询码", f"办件编号 {self.check_for}\n"
                    "查询码是回执上办件编号旁边的4位数字，保护您的办件不被别人查看。")
        self._add_keypad(body)
        actions = Factory.FlowActions()
        actions.add_widget(self._button("上一步", self.back_to_number, primary=False, picto="back"))
        actions.add_widget(self._button("查询", self.query_check, picto="tracking"))
        body.add_widget(actions)

    def ask_check(self, number: str) -> None:
        self.check_for = number
        self.keypad.clear()
        self.show("check")

    def query_check(self) -> None:
        check = rules.parse_check(self.keypad.value)
        if not check:
            self.error = rules.messages()[rules.CHECK_INCOMPLETE]
            self.show("check")
            return
        self.query_number(self.check_for, check)

    def back_to_number(self) -> None:
        self.error = ""
        self.show("input")
        self.keypad.value = self.check_for.replace("-", "")

    def query_number(self, text: str, check: str = "") -> None:
        """Look up a typed or tapped number; the answer arrives later on the UI thread."""
        outbox = self.app.sync.outbox if self.app.sync is not None else None
        kind, number = rules.parse_number(text, self._letters())
        if kind == "incomplete":
            self.error = rules.messages()[rules.INCOMPLETE]
            self.show("input")
            return
        self.error = ""
        self._generation += 1
        generation = self._generation
        if not self._waiting:
            self._waiting = True
            self.app.busy(True)
        self.show("loading")
        settings = self.app.settings

        def work():
            try:
                result = query_in_background(settings, outbox, kind, number, check)
            except Exception as exc:   # never leave the citizen at "正在查询"; the number stays out of the log
                log.error("tracking query failed: %s", type(exc).__name__)
                result = TrackingResult(rules.ERROR, number)
            Clock.schedule_once(lambda _dt: self._answer(generation, result), 0)

        threading.Thread(target=work, name="tracking-query", daemon=True).start()

    def _answer(self, generation: int, result: TrackingResult) -> None:
        if generation != self._generation:
            return   # a newer question was asked, or the session was wiped meanwhile
        self._stop_waiting()
        if result.outcome == rules.NEED_CHECK:
            self.ask_check(result.number)
            return
        self.result = result
        self.show("result")

    def _stop_waiting(self) -> None:
        if self._waiting:
            self._waiting = False
            self.app.busy(False)

    # -- waiting ----------------------------------------------------------------------------------
    def _build_loading(self, body) -> None:
        body.add_widget(Widget())
        body.add_widget(Factory.TrackingPicto(name="clock"))
        body.add_widget(Factory.FlowTitle(text="正在查询，请稍等……", halign="center"))
        body.add_widget(Factory.FlowHint(text="网络慢的时候要等一会儿。", halign="center"))
        body.add_widget(Widget())

    # -- the answer ---------------------------------------------------------------------------------------
    @property
    def steps_shown(self) -> int:
        return 3 if self.app.elderly else 6

    def _build_result(self, body) -> None:
        result = self.result
        if result is None:
            self._build_input(body)
            return
        words = rules.messages(self.app.settings.get("terminal", "help_phone"))
        if result.found:
            what = KIND_NAMES.get(result.kind, "办件")
            self._title(body, f"现在：{result.status_words or '办理中'}", f"{what}　办件编号 {result.number}")
            if result.local_id:
                body.add_widget(Factory.FlowHint(text=f"回执号 {result.local_id} 已经送到办理部门。"))
            body.add_widget(self._timeline(result))
        else:
            picto = "clock" if result.outcome == rules.LOCAL_PENDING else "warn"
            title = {rules.LOCAL_PENDING: "还在本机等待发送", rules.NOT_FOUND: "没有查到", rules.CHECK_NOT_FOUND: "没有查到",
                     rules.TOO_MANY_CHECKS: "请稍后再查",
                     rules.LOCAL_DEAD: "没有送达", rules.OFFLINE: "现在查不了",
                     rules.TIMEOUT: "这次没查到"}.get(result.outcome, "现在查不了")
            row = BoxLayout(size_hint_y=None, height=self.app.target_h * 1.4, spacing=self.app.pad)
            row.add_widget(Factory.TrackingPicto(name=picto, size_hint_x=None, width=self.app.target_h * 1.4))
            row.add_widget(Factory.FlowTitle(text=title, size_hint_y=1))
            body.add_widget(row)
            body.add_widget(Factory.KLabel(text=words.get(result.outcome, words[rules.ERROR])))
            number = result.local_id or result.number
            if number:
                body.add_widget(Factory.FlowHint(text=f"查询的号码：{number}"))
        body.add_widget(Widget())
        actions = Factory.FlowActions()
        actions.add_widget(self._button("再查一个", self.again, primary=False, picto="tracking"))
        actions.add_widget(self._button("回到首页", self.app.home, picto="home"))
        body.add_widget(actions)

    def _timeline(self, result: TrackingResult):
        box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=self.app.pad * 0.5)
        box.bind(minimum_height=box.setter("height"))
        steps = result.steps
        hidden = max(0, len(steps) - self.steps_shown)
        if hidden:
            box.add_widget(Factory.FlowHint(text=f"（前面还有{hidden}步，已经办完）"))
        for index, step in enumerate(steps[hidden:], start=hidden):
            current = index == len(steps) - 1
            row = TrackingStep(when=step.when, words=step.words, note=step.note, current=current)
            box.add_widget(row)
        return box

    def again(self) -> None:
        result = self.result
        self.result = None
        self.error = ""
        self.show("input")
        if result is None or result.found:
            self.keypad.clear()
        elif self.check_for and result.number == self.check_for:
            # not found with a 查询码: the number goes back on the keypad, so that one wrong digit is quick to fix
            self.keypad.value = self.check_for.replace("-", "")

    def _forget(self) -> None:
        self._generation += 1
        self._stop_waiting()
        self.keypad.clear()
        self.result = None
        self.error = ""
        self.check_for = ""

    def clear_personal(self) -> None:
        self._stop_listening()
        self._forget()
        if "body" in self.ids:
            self.ids.body.clear_widgets()

    # -- tour -----------------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        demo = {"tracking_no": "371700-20261120-000001", "kind": "application", "status": "completed",
                "events": [
                    {"at": "2026-11-20T09:12:00+08:00", "status": "received", "note": "已收到您的申请"},
                    {"at": "2026-11-20T14:30:00+08:00", "status": "accepted", "note": "已受理，正在审核材料"},
                    {"at": "2026-11-23T10:05:00+08:00", "status": "approved", "note": "审核通过"},
                    {"at": "2026-11-24T16:40:00+08:00", "status": "completed", "note": "已办结，证照可到大厅领取"}]}

        def typed(app):
            app.go("tracking")
            for digit in "37170020261120":
                app.screen("tracking").keypad.press(digit)

        def pick(app):
            app.session.receipts.append({"local_id": "HZ0001-20261127-0007", "kind": "complaint"})
            app.go("tracking")

        def answer(result):
            def state(app):
                app.go("tracking")
                screen = app.screen("tracking")
                screen.result = result
                screen.show("result")
            return state

        def loading(app):
            app.go("tracking")
            app.screen("tracking").show("loading")

        return [("", {}), ("-typed", typed), ("-pick", pick), ("-loading", loading),
                ("-found", answer(rules.from_platform(demo))),
                ("-waiting", answer(TrackingResult(rules.LOCAL_PENDING, "HZ0001-20261127-0007",
                                                   local_id="HZ0001-20261127-0007"))),
                ("-offline", answer(TrackingResult(rules.OFFLINE, "371700-20261120-000001")))]
