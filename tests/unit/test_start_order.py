"""What the attract screen's first frame waits for: the Kivy front end and its first screen import none
of the heavy libraries, and the terminal's outbox, sync worker and catalogue refresher start only when
the front end asks for them after its first frame (bench/cold_start.py measures the time)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from kiosk.voice import Voice

ROOT = Path(__file__).resolve().parents[2]

# none of these is needed to draw the attract screen; each costs from tens of ms to seconds to import
HEAVY = ("flask", "platform_server.app", "requests", "pypinyin", "cv2", "numpy", "sqlite3", "cryptography",
         "gmssl", "offline_cache.outbox", "offline_cache.sync", "kiosk.guides.store", "zxingcpp",
         "onnxruntime")


def test_the_front_end_and_the_attract_screen_import_nothing_heavy(tmp_path):
    code = ("import sys\n"
            "import screens.commands.run, screens.app, screens.attract\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), KIVY_NO_ARGS="1", KIVY_NO_CONFIG="1", KIVY_NO_FILELOG="1",
               KIVY_NO_CONSOLELOG="1", KIVY_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == [], f"imported before the first frame: {out.stdout.strip()}"


# what the core and the attract screen leave for later: printing (receipt layout, Pillow's drawing), the
# flows, the pictograms' drawing code, the focus ring (keypad and voice), and the rules of the other
# screens' frame (chrome.kv)
LATER = ("kiosk.printing", "devices.receipt.layout", "kiosk.flows.base", "kiosk.pictos", "PIL.ImageDraw",
         "screens.widgets.focus_ring", "kivy.uix.scrollview", "kivy.uix.modalview")


def test_the_core_and_the_attract_screen_leave_printing_flows_and_the_frame_for_later(tmp_path):
    code = ("import sys\n"
            "import screens.commands.run, screens.app, screens.attract\n"
            "from kivy.lang import Builder\n"
            "from kiosk.settings import load_settings\n"
            "from kiosk.terminal import Terminal\n"
            "from kiosk.voice import Voice\n"
            f"settings = load_settings(env={{}}, overrides={{('storage', 'data_dir'): {str(tmp_path / 'data')!r}}})\n"
            "terminal = Terminal(settings, voice=Voice(enabled=False))\n"
            f"print(' '.join(m for m in {LATER!r} if m in sys.modules))\n"
            "print(' '.join(f.rsplit('/', 1)[-1] for f in Builder.files if f.endswith('chrome.kv')))\n"
            "assert terminal.printing is not None and 'kiosk.printing' in sys.modules\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), KIVY_NO_ARGS="1", KIVY_NO_CONFIG="1", KIVY_NO_FILELOG="1",
               KIVY_NO_CONSOLELOG="1", KIVY_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    modules, kv_files = (out.stdout.splitlines() + ["", ""])[:2]
    assert modules.split() == [], f"imported before the first frame: {modules}"
    assert kv_files.split() == [], "chrome.kv was loaded before the first frame"


def _terminal(tmp_path) -> Terminal:
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(tmp_path / "data"),
                                                ("terminal", "demo"): "true",
                                                ("platform", "url"): "http://127.0.0.1:9"})
    return Terminal(settings, voice=Voice(enabled=False))


def test_services_start_in_the_background_after_what_must_come_first(tmp_path):
    terminal = _terminal(tmp_path)
    terminal.start(services=False, devices=False)
    assert terminal.sync is None and terminal.catalogue is None   # nothing opened before the first frame
    seen = []
    terminal.start_services_in_background(before=lambda: seen.append(terminal.sync))
    try:
        assert terminal.wait_services(timeout=60)
        assert seen == [None]                   # the demo platform is up before the sync worker is made
        assert terminal.outbox is not None and terminal.catalogue is not None
    finally:
        terminal.stop()


def test_a_terminal_stopped_before_its_services_came_up_never_starts_them(tmp_path):
    terminal = _terminal(tmp_path)
    terminal.start(services=False, devices=False)
    terminal.stop()
    terminal.start_services_in_background()
    assert terminal.wait_services(timeout=60)
    assert terminal.sync is None and terminal.catalogue is None
