"""`run` / `demo`: start the kiosk (on a virtual display when the machine has none)."""
from __future__ import annotations

import logging
import signal
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
    platform = []

    def start_platform() -> None:
        # demo: the local reference platform starts beside the kiosk, after its first frame (the
        # sync worker is made after it, so it sees the platform's address)
        from kiosk.sync_service import start_demo_platform
        started = start_demo_platform(settings)
        if started is not None:
            platform.append(started)
            print(f"演示平台 / demo platform: {started.url}", file=sys.stderr)

    from screens.app import KioskApp, configure_kivy
    configure_kivy(settings)
    app = KioskApp(settings, start_sync=True, before_services=start_platform)

    def stop_on_signal(_signum, _frame) -> None:
        # systemd (or a test) asks us to stop: end the app through its own stop, so the session is wiped
        # and the demo platform below is stopped too instead of being left behind as an orphan
        from kivy.clock import Clock
        Clock.schedule_once(lambda _dt: app.stop(), 0)
    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        app.run()
    finally:
        app.terminal.wait_services(timeout=30)   # a platform still starting is stopped below
        for started in platform:
            started.stop()
    return 0
