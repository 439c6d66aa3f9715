"""The kiosk app run inside its caller's loop instead of `App.run()`: the UI tests and the soak bench
drive it frame by frame (demo devices, kiosk lock on, windowed 1920x1080, a platform of their own)."""
from __future__ import annotations

from pathlib import Path


def start_embedded_app(data_dir: str | Path, platform_url: str, token: str,
                       terminal_id: str = "HZ-DEMO-0001"):
    """Build the KioskApp as `run_kiosk.py demo --windowed` would, prepare it and open its window
    without entering Kivy's main loop; the caller draws frames (EventLoop.idle) itself."""
    from kiosk.settings import load_settings
    settings = load_settings(env={}, overrides={
        ("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true", ("ui", "fullscreen"): "false",
        ("ui", "kiosk_lock"): "true", ("ui", "size"): "1920x1080",
        ("platform", "url"): platform_url, ("platform", "token"): token,
        ("terminal", "id"): terminal_id})
    from screens import kivy_env
    kivy_env.prepare_environment(settings)
    from screens.app import KioskApp, configure_kivy
    configure_kivy(settings)
    from kivy.base import runTouchApp
    app = KioskApp(settings, start_sync=True)
    app._run_prepare()
    runTouchApp(embedded=True)
    return app
