"""The kiosk lock against the keyboard and against Kivy's own doors.

A terminal in a service hall has a keyboard port (and sometimes a keyboard for staff). Kivy ships
with doors a citizen must never find: F1 opens a settings panel that writes rotation, FPS and more
to data_dir/kivy/config.ini (and so survives a restart); modules such as the inspector (Ctrl+E),
keybinding (F11 rotate, F12 screenshot), recorder (F7/F8 replay touches), console and the web
debugger are switched on by a line in that same config file. This module closes all of them:

- `force_config(Config, settings)`: every Kivy key the terminal relies on is set at start, [modules] and
  [input] are emptied and refilled with ours, so a stale or planted config.ini changes nothing
  (and screens.kivy_env tells Kivy not to read or write that file at all);
- `install(app, window)`: the App's settings panel is disabled, and while the kiosk lock is on a
  key filter swallows Esc, F1–F15, Help/Print/SysRq/Break/Menu and every Ctrl/Alt/Meta/Super chord
  before any widget, module or Kivy handler sees it.

Plain typing (letters, digits, Shift, Enter) still passes: the HID scanner is a keyboard.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

ESCAPE = 27
FUNCTION_KEYS = frozenset(range(282, 300))          # F1..F15 and the SDL codes right after them
SYSTEM_KEYS = frozenset({315, 316, 317, 318, 319})  # help, print, sysreq, break, menu
CHORD_MODIFIERS = frozenset({"ctrl", "alt", "meta", "super", "lctrl", "rctrl", "lalt", "ralt",
                             "lmeta", "rmeta", "lsuper", "rsuper", "alt-gr", "compose"})
MODIFIER_KEYS = frozenset(range(305, 315))          # ctrl, alt, meta, super, alt-gr, compose alone

# Kivy keys with the values the terminal relies on (kivy 2.3 defaults unless the terminal needs otherwise).
FIXED_KEYS: dict[tuple[str, str], str] = {
    ("graphics", "rotation"): "0",
    ("graphics", "maxfps"): "60",
    ("graphics", "borderless"): "0",
    ("graphics", "custom_titlebar"): "0",
    ("graphics", "position"): "auto",
    ("graphics", "left"): "0",
    ("graphics", "top"): "0",
    ("graphics", "window_state"): "visible",
    ("graphics", "always_on_top"): "0",
    ("graphics", "show_cursor"): "1",
    ("graphics", "shaped"): "0",
    ("graphics", "minimum_width"): "0",
    ("graphics", "minimum_height"): "0",
    ("graphics", "min_state_time"): ".035",
    ("graphics", "kivy_clock"): "default",
    ("graphics", "vsync"): "",
    ("graphics", "fbo"): "hardware",
    ("graphics", "resizable"): "0",
    ("graphics", "multisamples"): "0",  # llvmpipe and cheap terminal GPUs: no MSAA
    ("kivy", "keyboard_mode"): "system",
    ("kivy", "keyboard_layout"): "qwerty",
    ("kivy", "pause_on_minimize"): "0",
    ("kivy", "desktop"): "1",
    ("kivy", "window_icon"): "",
    ("postproc", "double_tap_distance"): "20",
    ("postproc", "double_tap_time"): "250",
    ("postproc", "ignore"): "[]",
    ("postproc", "jitter_distance"): "0",
    ("postproc", "jitter_ignore_devices"): "mouse,mactouch,",
    ("postproc", "retain_distance"): "50",
    ("postproc", "retain_time"): "0",
    ("postproc", "triple_tap_distance"): "20",
    ("postproc", "triple_tap_time"): "375",
    ("widgets", "scroll_timeout"): "250",
    ("widgets", "scroll_distance"): "20",
    ("widgets", "scroll_friction"): "1.",
    ("widgets", "scroll_stoptime"): "300",
    ("widgets", "scroll_moves"): "5",
}
# the only input providers: the mouse (how X presents the touch screen) and, as Kivy does by default on
# Linux, probesysfs (finds the touch screen's own event device); nothing a config file adds
INPUT_PROVIDERS = {"mouse": "mouse,disable_multitouch", "%(name)s": "probesysfs"}


def force_config(config, settings) -> None:
    """Set every Kivy key the terminal relies on; empty [modules] and [input] and refill [input]."""
    width, height = settings.window_size
    fullscreen, kiosk_lock = settings.getbool("ui", "fullscreen"), settings.kiosk_lock
    for (section, key), value in FIXED_KEYS.items():
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, key, value)
    config.set("graphics", "width", str(width))
    config.set("graphics", "height", str(height))
    config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    config.set("kivy", "exit_on_escape", "0" if kiosk_lock else "1")
    # no Kivy module at all: inspector, console, keybinding (screenshots, rotation), recorder, monitor,
    # webdebugger, touchring, showborder, screen emulation; and no input provider from a config file
    # (a stale "tuio = tuio,0.0.0.0:3333" would take touches from the network)
    for section, wanted in (("modules", {}), ("input", INPUT_PROVIDERS)):
        if config.has_section(section):
            config.remove_section(section)
        config.add_section(section)
        for key, value in wanted.items():
            config.set(section, key, value)


def blocked(key: int, modifiers) -> bool:
    """Whether the kiosk lock swallows this key press."""
    mods = set(modifiers or ())
    return (key == ESCAPE or key in FUNCTION_KEYS or key in SYSTEM_KEYS or key in MODIFIER_KEYS
            or bool(mods & CHORD_MODIFIERS))


def install(app, window) -> None:
    """Disable the App's settings panel; under the kiosk lock, filter the keyboard (call in build())."""
    app.use_kivy_settings = False
    # F1 and the menu key call open_settings: no panel, ever (its changes would be written to disk)
    app.open_settings = _no_settings
    app.display_settings = _no_settings
    app.create_settings = _no_settings_panel
    if not getattr(app, "kiosk_lock", True):
        return

    def on_key(_window, key, _scancode=None, _codepoint=None, modifiers=None, *_args):
        if blocked(key, modifiers):
            log.info("key %s %s ignored (kiosk lock)", key, sorted(modifiers or ()))
            return True  # no widget, no module, no Kivy handler sees it
        return False

    # on_key_down comes first: returning True there means on_keyboard (where Kivy's F1 handler,
    # Esc-to-quit and the modules listen) is never dispatched for this key at all
    window.bind(on_key_down=on_key, on_keyboard=on_key)
    app._lockdown_filter = on_key  # a strong reference for as long as the app lives


def _no_settings(*_args, **_kwargs) -> bool:
    log.info("settings panel refused (kiosk)")
    return False


def _no_settings_panel(*_args, **_kwargs):
    return None
