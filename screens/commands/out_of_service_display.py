"""`out-of-service-display --display :1`: 暂停服务 full screen on one other display of the terminal.

Started by the terminal itself (screens/other_displays.py) when staff mode begins, one per display in
`[ui] other_displays`; it reads its words from stdin and leaves when that pipe closes. Exit code 3
means the X display could not be opened, 2 a bad argument."""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

from kiosk.maintenance.other_displays import EXIT_NO_DISPLAY, parse


def add_arguments(name, parser) -> None:
    """--display, --geometry, --parent, --font."""
    parser.add_argument("--display", required=True, help="X display name, e.g. :0.1 or :1")
    parser.add_argument("--geometry", default="", help="window rectangle WxH+X+Y (default: full screen)")
    parser.add_argument("--parent", type=int, default=0, help="leave when this process is gone")
    parser.add_argument("--font", default="", help="CJK font file (default: [ui] font or the first found)")


def screen_size(display: str) -> tuple[int, int] | None:
    """The size of `display`'s X screen, or None when its server does not accept us (checked before
    Kivy's long start; (0, 0) when libX11 is missing and SDL must try by itself)."""
    name = ctypes.util.find_library("X11")
    if not name:
        return 0, 0
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x11.XDisplayWidth.argtypes = x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
    handle = x11.XOpenDisplay(display.encode())
    if not handle:
        return None
    screen = x11.XDefaultScreen(handle)
    size = x11.XDisplayWidth(handle, screen), x11.XDisplayHeight(handle, screen)
    x11.XCloseDisplay(handle)
    return size


def run(name, args, settings) -> int:
    """Show the window; returns when the terminal closes our stdin."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        (display,) = parse(f"{args.display} {args.geometry}".strip())
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    os.environ["DISPLAY"] = display.name
    size = screen_size(display.name)
    if size is None:
        print(f"cannot open X display {display.name}", file=sys.stderr)
        return EXIT_NO_DISPLAY
    from screens import kivy_env
    kivy_env.prepare_environment(settings)
    from kivy.config import Config
    from kivy.core.text import LabelBase
    from screens import lockdown
    lockdown.force_config(Config, settings)
    Config.remove_section("input")       # no touch and no mouse: nothing to press here
    Config.add_section("input")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("graphics", "show_cursor", "0")
    Config.set("graphics", "multisamples", "0")
    Config.set("graphics", "resizable", "0")
    if display.geometry is None:
        Config.set("graphics", "fullscreen", "auto")
        if all(size):             # the window's layout is made for the whole screen from the start
            Config.set("graphics", "width", str(size[0]))
            Config.set("graphics", "height", str(size[1]))
    else:
        w, h, x, y = display.geometry
        for key, value in (("fullscreen", "0"), ("borderless", "1"), ("position", "custom"),
                           ("width", w), ("height", h), ("left", x), ("top", y)):
            Config.set("graphics", key, str(value))
    regular, bold = kivy_env.find_font(args.font or settings.get("ui", "font"))
    LabelBase.register("Roboto", regular, fn_bold=bold)
    from screens.out_of_service_display import run_window
    return run_window(args.parent)
