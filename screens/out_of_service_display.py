"""The window one other display shows while staff work: the 暂停服务 picture and words of the
terminal's own screen (OutOfServiceView, screens/out_of_service.kv), full screen, and nothing else.

It runs in a process of its own (`run_kiosk.py out-of-service-display`, started by
screens/other_displays.py through kiosk/maintenance/other_displays.py): Kivy has one window per process.
It reads the words from its stdin, one JSON object a line, prints READY after its first frame, and
leaves at once when that pipe closes or its parent is gone, so no 暂停服务 stays on the public screen
after the terminal stops or crashes. It takes no touch and no key."""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.maintenance.other_displays import READY
from screens.out_of_service import STAFF_AT_WORK, OutOfServiceView
from screens.widgets.theme import ThemeProperties

WIDGETS_KV = Path(__file__).resolve().parent / "widgets" / "widgets.kv"


class OutOfServiceDisplayApp(ThemeProperties, App):
    """A window with OutOfServiceView only; the theme values its rules read, in normal mode."""

    title = "菏心意 暂停服务"
    status = StringProperty(STAFF_AT_WORK)
    help_phone = StringProperty("")

    def __init__(self, parent_pid: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.parent_pid = parent_pid
        self.apply_theme()      # the other displays use the normal theme (out_of_service.kv asks `elderly`)

    def build(self):
        from kivy.core.window import Window
        Builder.load_file(str(WIDGETS_KV))
        Window.clearcolor = self.col_bg
        Window.show_cursor = False
        Window.bind(on_request_close=lambda *_a, **_k: True)      # Alt+F4 and the close button do nothing
        Window.bind(on_keyboard=lambda *_a, **_k: True)           # no key reaches Kivy's own handlers
        Window.fbind("on_flip", self._first_flip)
        view = OutOfServiceView(status=self.status, help_phone=self.help_phone)
        self.bind(status=view.setter("status"), help_phone=view.setter("help_phone"))
        if self.parent_pid:
            Clock.schedule_interval(self._check_parent, 0.5)
        return view

    def _first_flip(self, *_args) -> None:
        from kivy.core.window import Window
        Window.funbind("on_flip", self._first_flip)
        print(READY, flush=True)

    def _check_parent(self, _dt) -> None:
        if os.getppid() != self.parent_pid:     # the terminal is gone (its pipe may be held elsewhere)
            os._exit(0)

    def take(self, words: dict) -> None:
        """New words from the terminal (status, help_phone)."""
        self.status = str(words.get("status") or STAFF_AT_WORK)
        self.help_phone = str(words.get("help_phone") or "")


def _read_words(app: OutOfServiceDisplayApp, first: threading.Event) -> None:
    for raw in sys.stdin.buffer:
        try:
            words = json.loads(raw.decode("utf-8"))
        except ValueError:
            continue
        if isinstance(words, dict):
            if not first.is_set():
                app.take(words)          # before the window: shown in the first frame
                first.set()
            else:
                Clock.schedule_once(lambda _dt, w=words: app.take(w), 0)
    os._exit(0)                          # the pipe closed: the terminal stopped us or died


def run_window(parent_pid: int) -> int:
    """Show the window until the pipe on stdin closes."""
    app = OutOfServiceDisplayApp(parent_pid=parent_pid)
    first = threading.Event()
    threading.Thread(target=_read_words, args=(app, first), name="words", daemon=True).start()
    first.wait(2.0)                      # the words come at once with the start; never wait long
    app.run()
    return 0
