"""The Kivy application: window, theme, navigation, the session's idle timeout and the kiosk lock.

Call `screens.kivy_env.prepare_environment(settings)` before importing this module, then
`configure_kivy(settings)` before `KioskApp(settings).run()`.
"""
from __future__ import annotations

import importlib
import logging
import threading
from collections import deque
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.config import Config
from kivy.core.text import LabelBase
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.devices_hub import DeviceHub
from kiosk.idle import IdlePhase
from kiosk.submit import SubmitError
from kiosk.terminal import Terminal
from screens import SCREENS
from screens import error_guard, lockdown, supervision
from screens.kivy_env import find_font
from screens.widgets.theme import ThemeProperties

log = logging.getLogger(__name__)

WIDGETS_KV = Path(__file__).resolve().parent / "widgets" / "widgets.kv"
ESCAPE, F4 = 27, 285

def configure_kivy(settings) -> None:
    """Window and input settings that Kivy reads when the window is created."""
    width, height = settings.window_size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if settings.getbool("ui", "fullscreen") else "0")
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "multisamples", "0")  # llvmpipe and cheap terminal GPUs: no MSAA
    Config.set("kivy", "exit_on_escape", "0" if settings.kiosk_lock else "1")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    regular, bold = find_font(settings.get("ui", "font"), Path(settings.data_dir) / "kivy" / "fonts")
    # Replace Kivy's default font so that every Label, TextInput and Button draws CJK without tofu.
    LabelBase.register("Roboto", regular, fn_bold=bold)
    LabelBase.register("KioskFont", regular, fn_bold=bold)
    lockdown.force_config(Config, settings)  # a stale data_dir/kivy/config.ini changes nothing


class KioskApp(ThemeProperties, App):
    """The Kivy front end of one Terminal (kiosk/terminal.py): screens by name, the theme, the idle
    warning and the kiosk lock. It follows the core's event stream and forwards taps; it owns no state
    of a citizen's visit."""

    title = "菏心意 自助服务终端"

    greeting = StringProperty("")          # "您好，张*三" while someone is identified
    idle_left = NumericProperty(0)          # seconds shown in the timeout warning
    terminal_name = StringProperty("")
    portrait = BooleanProperty(False)
    sm = ObjectProperty(None, allownone=True)

    def __init__(self, settings, hub: DeviceHub | None = None, start_sync: bool = False,
                 terminal: Terminal | None = None, before_services=None, **kwargs):
        super().__init__(**kwargs)
        self.settings = settings
        # the whole terminal without a display; this App only shows its state and forwards taps
        self.terminal = terminal if terminal is not None else Terminal(settings, hub)
        self._start_sync = start_sync
        self._before_services = before_services   # e.g. the demo's local platform, started with them
        self._first_frame_shown, self._after_first_frame = False, []   # callbacks waiting for the first frame
        self.kiosk_lock = settings.kiosk_lock
        self.terminal_name = settings.get("terminal", "name")
        self.portrait = settings.window_size[1] > settings.window_size[0]
        self._history: list[str] = []
        self._warning = None
        self._idle_event = None
        self._pending: deque = deque()     # the core's events, waiting for the UI thread
        self._ui_thread = threading.current_thread()
        self._event_trigger = None
        self.bind(elderly=self.apply_theme)
        self.apply_theme()

    # the core's parts, as the screens reach them
    session = property(lambda self: self.terminal.session, doc="the citizen's Session (kiosk/session.py)")
    hub = property(lambda self: self.terminal.hub, doc="the devices (kiosk/devices_hub.py)")
    sync = property(lambda self: self.terminal.sync, doc="outbox and sync worker, once started")
    voice = property(lambda self: self.terminal.voice, doc="the one Voice (espeak-ng)")
    idle = property(lambda self: self.terminal.idle, doc="the session's idle timer")
    library = property(lambda self: self.terminal.library, doc="the guide library (content pack)")

    def toggle_elderly(self) -> None:
        """长辈模式 on/off for this visit."""
        self.elderly = not self.elderly

    def on_elderly(self, _app, value) -> None:
        self.terminal.set_elderly(value)   # the session remembers it; longer idle limits in 长辈模式

    # -- building -----------------------------------------------------------------------
    def build(self):
        from kivy.core.window import Window
        Builder.load_file(str(WIDGETS_KV))
        Window.clearcolor = self.col_bg
        self.bind(col_bg=lambda _a, value: setattr(Window, "clearcolor", value))
        Window.bind(on_request_close=self._on_request_close, on_keyboard=self._on_keyboard,
                    on_touch_down=self._on_activity, on_key_down=self._on_activity)
        lockdown.install(self, Window)  # no settings panel; under the lock, no door from the keyboard
        error_guard.install(self)       # an error in a screen: wipe, attract screen (screens/error_guard.py)
        supervision.install(self)       # READY=1 and watchdog pings for systemd (screens/supervision.py)
        self.after_first_frame(lambda: importlib.import_module("screens.widgets.focus_ring").install(self, Window))
        # 无障碍: keypad and voice (screens/widgets/focus_ring.py), from the first frame on (its import costs ~50 ms)
        self.sm = ScreenManager(transition=NoTransition())
        self.elderly = self.settings.getbool("ui", "elderly_default")
        self.go("attract", remember=False)
        Window.bind(on_flip=self._on_first_flip)
        self._idle_event = Clock.schedule_interval(self._tick_idle, 0.25)
        self._event_trigger = Clock.create_trigger(lambda _dt: self._drain_events(), 0)
        self.terminal.events.subscribe(self._core_event)
        return self.sm

    def on_start(self):
        log.info("kiosk started: terminal %s, level %s, demo=%s, lock=%s", self.settings.get("terminal", "id"),
                 self.settings.get("terminal", "level"), self.settings.demo, self.kiosk_lock)

    # -- after the first frame: devices (their followers first), then outbox, sync worker, catalogue
    # refresher and the demo platform when started as run/demo; the attract screen needs none of them
    def after_first_frame(self, callback) -> None:
        """Call `callback()` on the UI thread once the first frame is on the display (at once if it is)."""
        callback() if self._first_frame_shown else self._after_first_frame.append(callback)

    def _on_first_flip(self, window, *_args):
        # dispatched just before the first buffer flip; the next clock tick comes after it has returned
        window.unbind(on_flip=self._on_first_flip)
        Clock.schedule_once(lambda _dt: self._first_frame_done(), 0)

    def _first_frame_done(self) -> None:
        self._first_frame_shown = True
        waiting, self._after_first_frame = self._after_first_frame, []
        for callback in waiting:    # followers of the devices first: nothing a device says is missed
            try:
                callback()
            except Exception:
                log.exception("a first-frame follower failed")
        self.terminal.start(services=False)
        if self._start_sync:
            self.terminal.start_services_in_background(self._before_services)

    def on_stop(self):
        error_guard.uninstall(self)
        supervision.stopping(self)
        self.terminal.stop()

    # -- navigation ---------------------------------------------------------------------
    def screen(self, name: str):
        """The screen called `name`, loading its module on first use."""
        if not self.sm.has_screen(name):
            module, _, cls_name = SCREENS[name].partition(":")
            cls = getattr(importlib.import_module(module), cls_name)
            self.sm.add_widget(cls(name=name))
        return self.sm.get_screen(name)

    def go(self, name: str, remember: bool = True, **kwargs) -> None:
        """Show screen `name`; kwargs go to its prepare()."""
        if name not in SCREENS:
            log.error("no screen called %s; showing the not-built-yet page", name)
            kwargs = {"title": kwargs.get("title", "")}
            name = "coming_soon"
        target = self.screen(name)
        target.prepare(**kwargs)
        if remember and self.sm.current and self.sm.current != name:
            self._history.append(self.sm.current)
        self.sm.current = name
        self.idle.touch()

    def back(self) -> None:
        """The screen before this one (home when there is none)."""
        if self._history:
            name = self._history.pop()
            self.sm.current = name
        else:
            self.home()

    def home(self) -> None:
        """The home screen with its tiles; forgets the way back."""
        self._history.clear()
        self.go("home", remember=False)

    def start_service(self, key: str) -> None:
        """A home tile was pressed."""
        from kiosk.services import by_key
        service = by_key(key)
        if service.screen is None or service.screen not in SCREENS:
            self.go("coming_soon", title=service.title, picto=service.picto)
        elif service.needs_identity and not self.session.identified and "identify" in SCREENS:
            self.go("identify", next=service.screen)
        else:
            self.go(service.screen)

    # -- the core's events, on the UI thread --------------------------------------------------
    def _core_event(self, event: str, data: dict) -> None:
        """Any thread: queue the event; on the UI thread it is handled at once, else on the next frame."""
        self._pending.append((event, dict(data)))
        if threading.current_thread() is self._ui_thread:
            self._drain_events()
        elif self._event_trigger is not None:
            self._event_trigger()

    def _drain_events(self) -> None:
        while self._pending:
            event, data = self._pending.popleft()
            handler = getattr(self, f"_on_core_{event}", None)
            if handler is not None:
                handler(data)

    def _on_core_submitted(self, data: dict) -> None:
        self.go("receipt", local_id=data["local_id"], kind=data["kind"], note=data.get("note", ""))

    def _on_core_outbox(self, data: dict) -> None:
        handler = getattr(self.sm.current_screen, "on_outbox_event", None)
        if handler is not None:
            handler(data["event"], data)

    def _on_core_printed(self, data: dict) -> None:
        handler = getattr(self.sm.current_screen, "on_print_event", None)
        if handler is not None:
            handler("printed", data)

    def _on_core_print_failed(self, data: dict) -> None:
        handler = getattr(self.sm.current_screen, "on_print_event", None)
        if handler is not None:
            handler("print_failed", data)

    def _on_core_device_detail(self, data: dict) -> None:
        handler = getattr(self.sm.current_screen, "on_device_event", None)
        if handler is not None:
            handler(data["device"], data["event"], data["payload"], data["at"])

    def _on_core_session_wiped(self, data: dict) -> None:
        self._after_wipe()
        self.screen("attract").remind_card(data.get("card", ""))   # 请取走您的身份证 / 社保卡

    def _on_core_page_reviewed(self, data: dict) -> None:
        handler = getattr(self.sm.current_screen, "on_page_reviewed", None)
        if handler is not None:
            handler(data)

    def _on_core_identified(self, _data: dict) -> None:
        identity = self.session.identity
        self.greeting = identity.greeting if identity is not None else ""

    # -- submissions ----------------------------------------------------------------------
    def submit(self, kind: str, payload: dict, attachments=(), note: str = "") -> str | None:
        """Queue a submission durably (the receipt follows); on failure say so plainly. Returns the local id."""
        try:
            return self.terminal.submit(kind, payload, attachments, note)
        except SubmitError as exc:
            self.go("notice", title="没能提交", message=exc.message, picto="warn")
            return None

    def submit_flow(self, flow) -> str | None:
        """Submit an open flow (kiosk/flows); a step that is not complete is shown with its reason."""
        from kiosk.flows.base import FlowError
        try:
            return flow.submit()
        except FlowError:
            return None    # the flow moved back to the incomplete step; the screen shows why
        except SubmitError as exc:
            self.go("notice", title="没能提交", message=exc.message, picto="warn")
            return None

    # -- session and idle timeout ---------------------------------------------------------
    def say(self, text: str) -> bool:
        """Read `text` aloud where there is a speaker (quietly nothing where there is none)."""
        return self.terminal.say(text)

    def busy(self, on: bool) -> None:
        """Device operation or submission in progress: the citizen is waiting, not idle."""
        (self.idle.pause if on else self.idle.resume)()

    def _on_activity(self, *_args):
        self.idle.touch()
        return False  # never consume: the touch goes on to the widgets

    def _tick_idle(self, _dt):
        if self.sm is None or self.sm.current == "attract":
            self._hide_warning()
            return
        phase, left = self.terminal.check_idle()   # an expired timer wipes the session in the core
        if phase is IdlePhase.EXPIRED:
            self._hide_warning()
        elif phase is IdlePhase.WARNING:
            self.idle_left = int(left + 0.999)
            self._show_warning()
        else:
            self._hide_warning()

    def _show_warning(self):
        if self._warning is None:
            from screens.widgets.timeout_warning import TimeoutWarning
            self._warning = TimeoutWarning()
        if self._warning.parent is None:
            self._warning.open(animation=False)

    def _hide_warning(self):
        if self._warning is not None and self._warning.parent is not None:
            self._warning.dismiss(animation=False)

    def need_more_time(self) -> None:
        """我还需要时间: the citizen is still here; the timeout starts again."""
        self.idle.touch()
        self._hide_warning()

    def identified(self, identity) -> None:
        """A card, code or form identified the citizen."""
        self.terminal.identify(identity)

    def end_session(self) -> None:
        """Wipe everything personal and return to the attract screen."""
        self._hide_warning()
        self.terminal.end_session()

    def _after_wipe(self) -> None:
        self.greeting = ""
        self._history.clear()
        for screen in list(self.sm.screens):
            screen.clear_personal()
        self.elderly = self.settings.getbool("ui", "elderly_default")
        self.sm.current = "attract"

    # -- kiosk lock -----------------------------------------------------------------------
    def _on_request_close(self, *_args, **_kwargs):
        if self.kiosk_lock:
            log.warning("close request ignored (kiosk lock)")
            return True
        return False

    def _on_keyboard(self, _window, key, _scancode=None, _codepoint=None, modifiers=None):
        modifiers = modifiers or []
        if self.kiosk_lock and (key == ESCAPE or (key == F4 and "alt" in modifiers)):
            return True  # swallowed: nobody leaves the kiosk from its keyboard
        if key == ESCAPE and not self.kiosk_lock:
            return False
        return False
