"""`run` / `demo`: start the kiosk (on a virtual display when the machine has none)."""
from __future__ import annotations

import logging
import sys

from screens import kivy_env
from kiosk.display import has_display, start_virtual_display
from kiosk.logs import setup_from_settings

log = logging.getLogger(__name__)


def add_arguments(name, parser) -> None:
    """--windowed for development."""
    parser.add_argument("--windowed", action="store_true", help="not full screen (development)")


def run(name, args, settings) -> int:
    """Start the kiosk (demo: simulated devices and a local platform)."""
    from kiosk.settings import load_settings  # noqa: F401  (settings already merged by the CLI)
    if args.windowed:
        settings._p.set("ui", "fullscreen", "false")
    setup_from_settings(settings)
    if not has_display():
        width, height = settings.window_size
        start_virtual_display(width, height)
        print("没有检测到显示器：已在虚拟显示器上运行 (no display found: running on a virtual display "
              f"{__import__('os').environ['DISPLAY']}; use the tour to see the screens)", file=sys.stderr)
    kivy_env.prepare_environment(settings)
    from kiosk.sync_service import start_demo_platform
    platform = start_demo_platform(settings)
    if platform is not None:
        print(f"演示平台 / demo platform: {platform.url}", file=sys.stderr)
    from screens.app import KioskApp, configure_kivy
    configure_kivy(settings)
    try:
        KioskApp(settings, start_sync=True).run()
    finally:
        if platform is not None:
            platform.stop()
    return 0
