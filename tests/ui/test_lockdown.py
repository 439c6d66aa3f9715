"""The kiosk lock inside the app: keys that open Kivy's doors are swallowed, the settings panel is gone,
and Kivy's configuration is ours whatever config.ini says (tests/e2e/test_keyboard_lock.py does the same
with real key presses on a real process)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

SDL_KEYS = [(282, []), (283, []), (293, []), (27, []), (319, []), (316, []), (285, ["alt"]), (113, ["ctrl"]),
            (119, ["ctrl"]), (9, ["alt"]), (101, ["ctrl"]), (282, ["shift"])]


def _press(window, key, modifiers):
    """What the SDL window does with a key press: on_key_down, then on_keyboard unless consumed."""
    if not window.dispatch("on_key_down", key, 0, None, modifiers):
        window.dispatch("on_keyboard", key, 0, None, modifiers)


def test_function_keys_and_chords_open_nothing_under_the_lock(kiosk_app):
    from kivy.core.window import Window
    from kivy.uix.settings import Settings
    app, ui = kiosk_app
    app.go("home")
    ui.frames(2)
    children = list(Window.children)
    for key, modifiers in SDL_KEYS:
        _press(Window, key, modifiers)
        ui.frames(2)
    assert list(Window.children) == children, "something opened over the screens"
    assert not any(isinstance(w, Settings) for c in Window.children for w in c.walk()), "settings panel open"
    assert app.sm.current == "home"
    assert app.open_settings() is False and app._app_settings is None


def test_kivy_configuration_is_the_terminals_own(kiosk_app):
    from kivy.config import Config
    app, _ui = kiosk_app
    assert Config.get("graphics", "rotation") == "0"
    assert Config.get("graphics", "maxfps") == "60"
    assert Config.items("modules") == []
    assert dict(Config.items("input")) == {"mouse": "mouse,disable_multitouch", "%(name)s": "probesysfs"}
    assert app.use_kivy_settings is False


def test_typing_still_reaches_the_screens(kiosk_app):
    """The HID scanner is a keyboard: letters, digits, Shift and Enter pass the filter."""
    from screens.lockdown import blocked
    assert not any(blocked(k, m) for k, m in [(ord("a"), []), (ord("1"), []), (13, []), (304, ["shift"]),
                                               (ord("a"), ["shift"]), (ord("9"), ["shift", "numlock"])])
    assert all(blocked(k, m) for k, m in SDL_KEYS)
