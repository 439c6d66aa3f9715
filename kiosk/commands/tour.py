"""`tour OUTDIR`: one PNG per screen and per 长辈模式 variant, with the simulated devices."""
from __future__ import annotations

import sys
from pathlib import Path

from kiosk import kivy_env
from kiosk.display import has_display, start_virtual_display
from kiosk.logs import setup_from_settings


def add_arguments(name, parser) -> None:
    parser.add_argument("outdir", help="folder for the PNGs")
    parser.add_argument("--portrait", action="store_true", help="1080x1920 instead of 1920x1080")
    parser.add_argument("--only", action="append", metavar="SCREEN",
                        help="photograph only this screen (repeatable; 'timeout-warning' for the overlay)")


def run(name, args, settings) -> int:
    p = settings._p
    p.set("terminal", "demo", "true")
    p.set("ui", "fullscreen", "false")
    p.set("ui", "kiosk_lock", "false")
    if args.portrait:
        p.set("ui", "orientation", "portrait")
        p.set("ui", "size", "")
    setup_from_settings(settings, console=False)
    if not has_display():
        width, height = settings.window_size
        start_virtual_display(width, height)
        print("no display found: the tour runs on a virtual display", file=sys.stderr)
    kivy_env.prepare_environment(settings)
    from kiosk.app import configure_kivy
    configure_kivy(settings)
    from kiosk.tour import run_tour
    shots = run_tour(settings, Path(args.outdir), only=args.only)
    for shot in shots:
        print(shot)
    expected = len(shots) > 0 and all(s.is_file() for s in shots)
    return 0 if expected else 1
