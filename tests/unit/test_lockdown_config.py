"""A planted data_dir/kivy/config.ini changes nothing: Kivy does not read it, and every key the terminal
relies on is set at start (a child process, because Kivy reads its config once, at import)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from kiosk.settings import load_settings
settings = load_settings(env={}, overrides={("storage", "data_dir"): sys.argv[1], ("ui", "kiosk_lock"): "true"})
from screens import kivy_env
kivy_env.prepare_environment(settings)
from kivy.config import Config
from screens.app import configure_kivy
configure_kivy(settings)
print(json.dumps({"rotation": Config.get("graphics", "rotation"), "maxfps": Config.get("graphics", "maxfps"),
                  "exit_on_escape": Config.get("kivy", "exit_on_escape"),
                  "modules": Config.items("modules"), "input": sorted(Config.items("input"), reverse=True),
                  "retain_time": Config.get("postproc", "retain_time")}))
"""


def test_planted_kivy_config_is_ignored(tmp_path):
    kivy_dir = tmp_path / "kivy"
    kivy_dir.mkdir()
    planted = ("[kivy]\nexit_on_escape = 1\n[graphics]\nrotation = 180\nmaxfps = 1\n"
               "[postproc]\nretain_time = 5000\n[input]\ntuio = tuio,0.0.0.0:3333\n"
               "[modules]\ninspector =\nkeybinding =\nrecorder =\n")
    (kivy_dir / "config.ini").write_text(planted)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "KCFG_"))}
    env.update({"PYTHONPATH": str(ROOT), "KCFG_GRAPHICS_ROTATION": "90", "KIVY_WINDOW": "", "KIVY_GL_BACKEND": ""})
    env = {k: v for k, v in env.items() if v != ""}
    run = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], env=env, capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got == {"rotation": "0", "maxfps": "60", "exit_on_escape": "0", "modules": [],
                   "input": [["mouse", "mouse,disable_multitouch"], ["%(name)s", "probesysfs"]], "retain_time": "0"}
    assert (kivy_dir / "config.ini").read_text() == planted
