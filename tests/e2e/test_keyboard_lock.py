"""The kiosk lock against a real keyboard: a real `run_kiosk.py` on its own Xvfb, real key presses
from xdotool (XTEST, as a USB keyboard would send them), a planted Kivy config.ini.

Before the fix F1 opened Kivy's settings panel over the attract screen (and what was changed there was
written to data_dir/kivy/config.ini); a config.ini asking for rotation 180 and Kivy's modules was obeyed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
W, H = 1280, 720

pytestmark = [pytest.mark.ui,
              pytest.mark.skipif(not shutil.which("xdotool") or not shutil.which("Xvfb"),
                                 reason="needs xdotool and Xvfb (./dev.sh installs both)")]

STALE_CONFIG = """[kivy]
exit_on_escape = 1
[graphics]
rotation = 180
maxfps = 1
[modules]
inspector =
keybinding =
recorder =
console =
"""

KEYS = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12", "Escape", "alt+F4",
        "ctrl+q", "ctrl+w", "alt+Tab", "ctrl+e", "Menu", "Print", "F1"]


@pytest.fixture
def display():
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{W}x{H}x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(10)


def _xdotool(display: str, *args: str) -> str:
    return subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, capture_output=True,
                          text=True, timeout=30).stdout.strip()


def _shot(display: str):
    from PIL import ImageGrab
    return ImageGrab.grab(xdisplay=display).convert("RGB")


def _changed_fraction(a, b) -> float:
    from PIL import ImageChops
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255] / (a.width * a.height)


def _brand_pixels(img, box) -> int:
    """Pixels of the brand red (the 菏心意 word mark, top left of the attract screen)."""
    region = img.crop(box)
    return sum(1 for r, g, b in region.getdata() if r > 140 and g < 70 and b < 70)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def _kivy_files(data: Path) -> dict[str, str]:
    """Every file under data/kivy by relative path, with its hash."""
    root = data / "kivy"
    return {str(p.relative_to(root)): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


def test_keyboard_cannot_open_doors_and_a_planted_kivy_config_changes_nothing(tmp_path, display):
    data = tmp_path / "data"
    (data / "kivy").mkdir(parents=True)
    config_ini = data / "kivy" / "config.ini"
    config_ini.write_text(STALE_CONFIG)
    before = _kivy_files(data)
    env = {**os.environ, "DISPLAY": display, "KIOSK_TERMINAL_DEMO": "true", "KIOSK_UI_KIOSK_LOCK": "true",
           "KIOSK_UI_SIZE": f"{W}x{H}", "KIOSK_UI_VOICE": "false", "PYTHONPATH": str(ROOT)}
    env.pop("KIVY_HOME", None)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    log = open(tmp_path / "kiosk.out", "wb")
    proc = subprocess.Popen([sys.executable, str(ROOT / "run_kiosk.py"), "--data-dir", str(data), "run"],
                            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        window = ""
        while not window:
            assert proc.poll() is None, (tmp_path / "kiosk.out").read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "no kiosk window: " + (tmp_path / "kiosk.out").read_text(errors="replace")[-3000:]
            window = _xdotool(display, "search", "--pid", str(proc.pid)).split("\n")[0]
            time.sleep(0.3)
        # wait for the attract screen to be drawn and settle
        last = _shot(display)
        for _ in range(60):
            time.sleep(0.5)
            shot = _shot(display)
            if _brand_pixels(shot, (0, 0, W, H)) > 500 and _changed_fraction(last, shot) < 0.002:
                break
            last = shot
        baseline = shot
        top_left = _brand_pixels(baseline, (0, 0, W // 3, H // 5))
        bottom_right = _brand_pixels(baseline, (W - W // 3, H - H // 5, W, H))
        assert top_left > 200 and bottom_right < top_left / 10, \
            f"the attract screen is not upright (brand pixels {top_left} top left, {bottom_right} bottom right)"

        _xdotool(display, "windowfocus", window)
        time.sleep(0.3)
        for key in KEYS:
            _xdotool(display, "key", "--clearmodifiers", key)
            time.sleep(0.25)
        time.sleep(1.5)

        assert proc.poll() is None, "the keyboard ended the kiosk"
        after = _shot(display)
        changed = _changed_fraction(baseline, after)
        if changed >= 0.02:
            after.save(tmp_path / "after.png")
        assert changed < 0.02, f"{changed:.1%} of the screen changed after the keys (see {tmp_path}/after.png)"
        assert _brand_pixels(after, (0, 0, W // 3, H // 5)) > top_left / 2, "the attract screen is gone"
        # the terminal keeps two caches of its own in Kivy's home: the Simplified Chinese face and picture mipmaps
        own = ("fonts/", "picto-mipmaps/")
        after_files = _kivy_files(data)
        assert {k: v for k, v in after_files.items() if not k.startswith(own)} == before, "Kivy's files were written"
        assert not list(cwd.iterdir()), f"files appeared: {list(cwd.iterdir())}"  # screenshots, recordings
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()
    # a stop request (SIGTERM, as systemd sends it) ends the demo platform with the kiosk: no orphan
    time.sleep(0.5)
    leftover = subprocess.run(["pgrep", "-f", str(data / "demo-platform")], capture_output=True, text=True)
    assert not leftover.stdout.strip(), "the demo platform outlived the kiosk"
