"""Cold start to the first frame of the attract screen, as a ratio to a minimal Kivy app started the
same way in the same run (target <= 1.5x).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/cold_start.py [--runs 7]

Each run is a fresh Python process (interpreter start, imports, window, first frame); the parent
records the wall time from spawn to the moment the child reports its first drawn frame.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD_MINIMAL = r"""
import os, sys
os.environ["KIVY_NO_ARGS"] = "1"; os.environ["KIVY_NO_CONSOLELOG"] = "1"
from kivy.config import Config
Config.set("graphics", "width", "1920"); Config.set("graphics", "height", "1080")
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.label import Label
class Minimal(App):
    def build(self):
        return Label(text="hello")
    def on_start(self):
        Clock.schedule_once(lambda dt: (sys.stdout.write("FRAME\n"), sys.stdout.flush(), self.stop()), 0)
Minimal().run()
"""

CHILD_KIOSK = r"""
import os, sys
sys.path.insert(0, {root!r})
from kiosk.settings import load_settings
settings = load_settings(env={{}}, overrides={{("storage", "data_dir"): {data!r}, ("terminal", "demo"): "true",
                                             ("ui", "fullscreen"): "false"}})
from screens import kivy_env
kivy_env.prepare_environment(settings)
from screens.app import KioskApp, configure_kivy
configure_kivy(settings)
from kivy.clock import Clock
class Bench(KioskApp):
    def on_start(self):
        super().on_start()
        assert self.sm.current == "attract"
        Clock.schedule_once(lambda dt: (sys.stdout.write("FRAME\n"), sys.stdout.flush(), self.stop()), 0)
Bench(settings).run()
"""


def one_run(script: Path, env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env, cwd=ROOT)
    for line in proc.stdout:
        if line.strip() == "FRAME":
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError("child exited before its first frame")
    proc.wait(timeout=30)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.path.insert(0, str(ROOT))
        from kiosk.display import start_virtual_display
        start_virtual_display(1920, 1080)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, KIVY_HOME=str(Path(tmp) / "kivyhome"))
        # Kivy's App looks for a .kv beside the class's source file: the children are real files
        minimal_py, kiosk_py = Path(tmp) / "minimal_app.py", Path(tmp) / "kiosk_app.py"
        minimal_py.write_text(CHILD_MINIMAL, encoding="utf-8")
        kiosk_py.write_text(CHILD_KIOSK.format(root=str(ROOT), data=str(Path(tmp) / "data")), encoding="utf-8")
        one_run(minimal_py, env), one_run(kiosk_py, env)  # warm the OS caches for both
        minimal, kiosk = [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            minimal.append(one_run(minimal_py, env))
            kiosk.append(one_run(kiosk_py, env))
    m, k = statistics.median(minimal), statistics.median(kiosk)
    print(f"cold start to first frame, median of {args.runs} (same run, same machine)")
    print(f"  minimal Kivy app : {m * 1000:7.0f} ms")
    print(f"  kiosk attract    : {k * 1000:7.0f} ms")
    print(f"  ratio            : {k / m:7.2f}x   (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
