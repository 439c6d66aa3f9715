"""The real kiosk app under Xvfb, driven with simulated touches (kivy.tests' UnitTestTouch).

One app per test session (Kivy has one window per process); every test starts from a wiped session
on the attract screen in normal mode.
"""
from __future__ import annotations

import os
import time

import pytest


class Driver:
    """Pumps Kivy frames and taps widgets like a finger would."""

    def __init__(self, app):
        self.app = app

    def frames(self, n: int = 3) -> None:
        from kivy.base import EventLoop
        for _ in range(n):
            EventLoop.idle()

    def tap(self, widget) -> None:
        """Press and lift a finger on `widget`, as a person does once the screen stands still: frames are
        drawn, with time passing, until the widget has kept its place for three frames, and the finger stays
        down until the button has the press. Inside a ScrollView this matters: the ScrollView keeps a press
        for scroll_timeout (55 ms, real time) to see whether it is a swipe, and a shorter press reaches the
        button only as a release 0.2 s later, which a loaded machine could order after the next tap's press.
        A press that reached nothing (the list was still being put in place) is lifted and made again, as a
        person would; a press that another control took, or none for 8 s, fails here. A step built afresh
        while the finger was on its way (an outbox event, a page measured) shows the same button anew: the
        finger goes to the one now on the screen with the same words, as a person's would."""
        from kivy.uix.behaviors import ButtonBehavior
        button = isinstance(widget, ButtonBehavior) and not widget.disabled and widget.opacity > 0
        give_up = time.monotonic() + 8.0       # a loaded machine may take seconds to put a list in place
        while True:
            widget = self._settle(widget)
            x, y = widget.to_window(*widget.center)
            touch = self._press(x, y)
            if not button:
                break
            deadline = time.monotonic() + 0.5
            while not any(ref() is widget for ref in touch.grab_list) and time.monotonic() < deadline:
                time.sleep(0.01)
                self.frames(1)
            taken = [ref() for ref in touch.grab_list]
            if any(w is widget for w in taken):
                break
            others = [type(w).__name__ for w in taken if w is not None and type(w).__name__ != "ScrollView"]
            assert not others and time.monotonic() < give_up, \
                f"the press at ({x:.0f}, {y:.0f}) did not reach {getattr(widget, 'text', widget)!r} (it went to {others})"
            touch.touch_up()
            self.frames(3)
        touch.touch_up()
        self.frames(3)

    def _settle(self, widget):
        """Frames, with time passing, until `widget` keeps its place and no screen is sliding in; the widget
        (or the one that took its place)."""
        place, steady, deadline = None, 0, time.monotonic() + 3.0
        while time.monotonic() < deadline:
            if widget.get_root_window() is None:
                widget = self._same_again(widget)
            now = (*widget.to_window(*widget.center), widget.width, widget.height)
            steady = steady + 1 if now == place and not self.app.sm.transition.is_active else 0
            if steady >= 3:
                return widget
            place = now
            time.sleep(0.02)
            self.frames(1)
        return widget

    def _same_again(self, gone):
        """The widget on the screen now with the class and words of `gone` (the step was built afresh; a step
        laid out again a page at a time may take a few frames to show it)."""
        words = getattr(gone, "text", None)
        deadline = time.monotonic() + 3.0
        while True:
            again = [w for w in self.find(cls_name=type(gone).__name__, text=words)] if words else []
            if len(again) == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.02)
            self.frames(1)
        shown = [getattr(w, "text", "")[:12] for w in self.find(cls_name=type(gone).__name__)]
        assert len(again) == 1, f"{gone!r} left the screen before the tap ({len(again)} like it now; shown: {shown})"
        return again[0]

    def _press(self, x: float, y: float):
        from kivy.tests.common import UnitTestTouch
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        return touch

    def type_digits(self, digits: str, root=None) -> None:
        """Press keypad keys one by one, as a finger would."""
        for digit in digits:
            self.tap(self.button(digit, root=root))

    def wait_until(self, condition, timeout: float = 10.0) -> None:
        """Pump frames until `condition()` holds (device threads report asynchronously)."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "condition not reached in time"
            self.frames(1)
            time.sleep(0.01)

    def find(self, root=None, cls_name: str | None = None, text: str | None = None, **props):
        """All widgets under root (default: current screen) matching class name / text / properties."""
        from screens.widgets.audit import walk
        root = root or self.app.sm.current_screen
        out = []
        for w in walk(root):
            if cls_name and type(w).__name__ != cls_name:
                continue
            if text is not None and getattr(w, "text", None) != text:
                continue
            if any(getattr(w, k, object()) != v for k, v in props.items()):
                continue
            out.append(w)
        return out

    def button(self, text: str, root=None):
        from kivy.uix.behaviors import ButtonBehavior
        hits = [w for w in self.find(root=root, text=text) if isinstance(w, ButtonBehavior)]
        assert hits, f"no button {text!r} on screen {self.app.sm.current}"
        return hits[0]


class FakeClock:
    def __init__(self):
        self.t = time.monotonic()

    def __call__(self):
        return self.t


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    if not os.environ.get("DISPLAY"):
        from kiosk.display import start_virtual_display
        start_virtual_display(1920, 1080)
    import sys
    assert "kivy.core.window" not in sys.modules, \
        "an earlier test in this process imported Kivy's window (for example through screens.tour): the kiosk " \
        "window would keep Kivy's default size and every layout test would fail; import Kivy-free modules there"
    from platform_server.process import PlatformProcess
    from screens.embedded import start_embedded_app
    data_dir = tmp_path_factory.mktemp("kiosk-data")
    # the real reference platform in its own process, so submissions really travel
    platform = PlatformProcess(tmp_path_factory.mktemp("platform") / "platform.db", token="ui-token",
                               terminal_id="HZ-DEMO-0001").start()
    app = start_embedded_app(data_dir, platform.url, "ui-token")
    # the outbox and the sync worker start after the first frame: draw frames until they are up
    from kivy.base import EventLoop
    deadline = time.monotonic() + 60
    while app.sync is None and time.monotonic() < deadline:
        EventLoop.idle()
        app.terminal.wait_services(timeout=0.05)
    assert app.sync is not None, "the outbox and sync worker did not start after the first frame"
    app.platform = platform
    yield app
    app.stop()
    platform.stop()


@pytest.fixture
def kiosk_app(_app):
    driver = Driver(_app)
    _app.idle.clock = FakeClock()
    _app.idle.touch()
    _app.end_session()
    _app.elderly = False
    driver.frames(3)
    yield _app, driver
    _app.idle.clock = time.monotonic
