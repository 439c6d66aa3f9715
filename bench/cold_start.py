"""Cold start to the first frame of the attract screen on the display, as a ratio to a minimal Kivy app
started the same way in the same run (target <= 1.5x).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/cold_start.py [--runs 7]

What is measured (shared/notes/measurements.md, the outside method):
- the kiosk child is `python run_kiosk.py demo --windowed`, exactly as a user starts it (the demo
  platform subprocess, devices, outbox, sync worker and catalogue refresher all start as they do there),
  with its own data dir in a temporary folder; the app code is not changed for the bench;
- the baseline child is a one-Label Kivy app with the same window size, windowed, and the same Kivy keys
  the terminal forces (screens/lockdown.py FIXED_KEYS: multisamples = 0 and the rest, no modules, the
  same input providers) and the same Kivy environment variables;
- the signal is the time a buffer flip of the SDL2 window returns (`WindowSDL.flip`, wrapped by a
  `sitecustomize.py` on the children's PYTHONPATH) - the flip that puts the first frame showing the
  screen on the display. Which flip that is, is found in a check run per child (the warm-up): before
  each flip the back buffer is read (glReadPixels) and the first flip whose frame shows the attract
  screen (its brand-red title 菏心意) / the Label's white text is the one timed in every later run.
  The check run writes that frame as a PNG (`--shots DIR` keeps them, and each later frame that differs);
- a second figure times the frame that shows the screen complete, as it stays: the check run watches the
  flips for a few seconds after the first and takes the first flip whose pixels equal the last one's.
  A screen that draws a part only after its first frame cannot hide that part's cost this way: both
  figures are printed;
- each run is a fresh interpreter; the time runs from just before spawning to the flip returning
  (the child stamps time.time() at the flip; the parent stamps it before Popen); the child is then killed
  with its whole process group (the demo platform included).
- both sides load bytecode: the project's packages are byte-compiled first, as pip does when it installs
  them on a terminal (Kivy's own bytecode came with its install);
Runs are interleaved; the figures are medians and the raw p90 of single runs, never a best-of.
"""
from __future__ import annotations

import argparse
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Wraps WindowSDL.flip as soon as kivy.core.window.window_sdl2 is imported; reports on fd COLD_FD.
SITECUSTOMIZE = r'''
import os, sys, time
_fd = os.environ.get("COLD_FD")
if _fd:
    import importlib.abc, importlib.machinery
    _out = os.fdopen(int(_fd), "w", buffering=1)
    _targets = {int(n) for n in os.environ.get("COLD_FLIP", "0").split(",")}
    _target = max(_targets)                           # 0: check run, report every flip with its pixels
    _want = os.environ.get("COLD_WANT", "")           # "brand" or "text"
    _shot = os.environ.get("COLD_SHOT", "")
    _state = {"n": 0}

    def _matches(window):
        from kivy.graphics.opengl import glReadPixels, GL_RGB, GL_UNSIGNED_BYTE
        w, h = window.system_size
        raw = glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE)
        import numpy
        px = numpy.frombuffer(raw, dtype=numpy.uint8).reshape(h, w, 3).astype(int)
        if _want == "brand":   # col_brand (0.70, 0.11, 0.11): the title 菏心意 of the attract screen
            hit = (abs(px[..., 0] - 178) <= 3) & (px[..., 1] <= 34) & (px[..., 2] <= 34)
        else:                  # Kivy's default Label: white text on the black clear colour
            hit = (px[..., 0] >= 250) & (px[..., 1] >= 250) & (px[..., 2] >= 250)
        count = int(hit.sum())
        import zlib
        digest = zlib.crc32(raw)
        if count and _shot and digest != _state.get("digest"):   # the first frame, then each change
            from PIL import Image
            name = _shot if not os.path.exists(_shot) else _shot.replace(".png", f"-flip{_state['n']}.png")
            Image.frombytes("RGB", (w, h), raw).transpose(Image.FLIP_TOP_BOTTOM).save(name)
        _state["digest"] = digest
        return count, digest

    def _patch(cls):
        original = cls.flip
        def flip(self):
            _state["n"] += 1
            n = _state["n"]
            pixels, digest = _matches(self) if _target == 0 else (None, None)
            original(self)
            t = time.time()
            if _target == 0:
                _out.write(f"{n} {t!r} {pixels} {digest}\n")
            elif n in _targets:
                _out.write(f"{n} {t!r} - -\n")
        cls.flip = flip

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "kivy.core.window.window_sdl2":
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            run = spec.loader.exec_module
            def exec_module(module):
                run(module)
                _patch(module.WindowSDL)
            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _Finder())
'''

CHILD_MINIMAL = r'''
import os
os.environ["KIVY_NO_ARGS"] = "1"
from kivy.config import Config
for (section, key), value in {keys!r}.items():
    if not Config.has_section(section):
        Config.add_section(section)
    Config.set(section, key, value)
for section, wanted in {sections!r}.items():
    if Config.has_section(section):
        Config.remove_section(section)
    Config.add_section(section)
    for key, value in wanted.items():
        Config.set(section, key, value)
from kivy.app import App
from kivy.uix.label import Label
class Minimal(App):
    def build(self):
        return Label(text="hello", font_size=60)
Minimal().run()
'''


def graphics_keys(width: int, height: int) -> tuple[dict, dict]:
    """The Kivy keys the terminal forces at start (screens/lockdown.py), windowed at width x height."""
    from screens.lockdown import FIXED_KEYS, INPUT_PROVIDERS
    keys = dict(FIXED_KEYS)
    keys.update({("graphics", "width"): str(width), ("graphics", "height"): str(height),
                 ("graphics", "fullscreen"): "0", ("kivy", "exit_on_escape"): "1"})
    return keys, {"modules": {}, "input": dict(INPUT_PROVIDERS)}


def one_run(argv: list[str], env: dict, flips: tuple[int, ...], want: str, shot: str = "",
            timeout: float = 60.0, settle: float = 4.0):
    """Spawn, wait for the signal, kill the process group.

    Timed run (`flips` given): seconds from spawn to each of those flips returning, in their order.
    Check run (`flips` empty): every flip is read back; returns (the first flip showing the screen, the
    first flip showing the screen as it stays), found by watching the flips for `settle` seconds after
    the first: the settled frame is the last one seen, and its flip is the first whose pixels equal it
    (a frame that only repaints the same pixels does not count)."""
    read_fd, write_fd = os.pipe()
    child_env = dict(env, COLD_FD=str(write_fd), COLD_FLIP=",".join(map(str, flips)) or "0",
                     COLD_WANT=want, COLD_SHOT=shot)
    start = time.time()
    proc = subprocess.Popen(argv, env=child_env, cwd=ROOT, pass_fds=(write_fd,), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    stamps: dict[int, float] = {}
    seen: list[tuple[int, float, int, str]] = []   # check run: (flip, seconds, pixels, digest)
    first_seen = None
    buffer = b""
    try:
        deadline = start + timeout
        while True:
            now = time.time()
            if now > deadline or (first_seen is not None and now > first_seen + settle):
                break
            if flips and len(stamps) == len(flips):
                break
            ready, _, _ = select.select([read_fd], [], [], 0.1)
            if not ready:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                n, stamp, pixels, digest = line.decode().split()
                if flips:
                    stamps[int(n)] = float(stamp) - start
                else:
                    seen.append((int(n), float(stamp) - start, int(pixels), digest))
                    if first_seen is None and int(pixels) > 0:
                        first_seen = time.time()
    finally:
        os.close(read_fd)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
    if flips:
        if len(stamps) != len(flips):
            raise RuntimeError(f"{argv[-1]}: flips {flips} not all seen (got {sorted(stamps)})")
        return [stamps[n] for n in flips]
    shown = [entry for entry in seen if entry[2] > 0]
    if not shown:
        raise RuntimeError(f"{argv[-1]}: no frame showing the screen")
    final = shown[-1][3]
    settled = next(entry for entry in shown if entry[3] == final)
    return shown[0][0], settled[0], settled[1] - shown[0][1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def byte_compile_project() -> None:
    """Both sides start from bytecode, as on an installed terminal: pip byte-compiles a package's modules
    when it installs it (Kivy's came that way), so the project's packages are compiled here too. Without
    this, a machine with PYTHONDONTWRITEBYTECODE=1 (or a fresh clone) compiles the kiosk's source on every
    start while the baseline's Kivy loads cached bytecode: not the same settings."""
    import compileall
    for package in ("common", "kiosk", "devices", "screens", "offline_cache", "platform_server"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--shots", help="keep the check runs' frames in this folder")
    parser.add_argument("--json", help="also write the raw timings here")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    byte_compile_project()
    if not os.environ.get("DISPLAY"):
        from kiosk.display import start_virtual_display
        start_virtual_display(width, height)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        hook = tmp / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        keys, sections = graphics_keys(width, height)
        minimal_py = tmp / "minimal_app.py"
        minimal_py.write_text(CHILD_MINIMAL.format(keys=keys, sections=sections), encoding="utf-8")
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "KIVY_", "KCFG_"))}
        base_env["PYTHONPATH"] = os.pathsep.join([str(hook), str(ROOT)])
        # the same Kivy environment the kiosk sets for itself (screens/kivy_env.py)
        kivy_env = {"KIVY_NO_ARGS": "1", "KIVY_NO_CONFIG": "1", "KIVY_NO_ENV_CONFIG": "1",
                    "KIVY_LOG_MODE": "MIXED", "KIVY_NO_FILELOG": "1", "KIVY_NO_CONSOLELOG": "1"}
        minimal_env = dict(base_env, **kivy_env, KIVY_HOME=str(tmp / "minimal-kivyhome"))
        (tmp / "minimal-kivyhome").mkdir()
        kiosk_env = dict(base_env, KIOSK_STORAGE_DATA_DIR=str(tmp / "data"), KIOSK_UI_SIZE=args.size)
        minimal_argv = [sys.executable, str(minimal_py)]
        kiosk_argv = [sys.executable, str(ROOT / "run_kiosk.py"), "demo", "--windowed"]
        shots = Path(args.shots) if args.shots else tmp
        shots.mkdir(parents=True, exist_ok=True)
        # check runs (also the warm-up): which flip first shows the screen, and which first shows it as it
        # stays (a screen that builds a part after its first frame shows it complete only in a later flip)
        m_flip, m_done, _ = one_run(minimal_argv, minimal_env, (), "text", str(shots / "minimal-first-frame.png"))
        k_flip, k_done, k_gap = one_run(kiosk_argv, kiosk_env, (), "brand", str(shots / "kiosk-first-frame.png"))
        print(f"check runs: the Label is drawn in flip {m_flip} (complete in flip {m_done}), the attract screen "
              f"in flip {k_flip} (complete in flip {k_done}, {k_gap * 1000:.0f} ms later)"
              f"{f' (frames in {shots})' if args.shots else ''}")
        m_flips, k_flips = tuple(sorted({m_flip, m_done})), tuple(sorted({k_flip, k_done}))
        minimal, kiosk, minimal_done, kiosk_done = [], [], [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            times = dict(zip(m_flips, one_run(minimal_argv, minimal_env, m_flips, "text")))
            minimal.append(times[m_flip])
            minimal_done.append(times[m_done])
            times = dict(zip(k_flips, one_run(kiosk_argv, kiosk_env, k_flips, "brand")))
            kiosk.append(times[k_flip])
            kiosk_done.append(times[k_done])
    m, k = statistics.median(minimal), statistics.median(kiosk)
    md, kd = statistics.median(minimal_done), statistics.median(kiosk_done)
    load = os.getloadavg()[0]
    print(f"cold start to the first frame on the display, {args.runs} interleaved runs, load {load:.1f}")
    print(f"  minimal Kivy app : median {m * 1000:6.0f} ms   p90 {percentile(minimal, 0.9) * 1000:6.0f} ms")
    print(f"  run_kiosk.py demo: median {k * 1000:6.0f} ms   p90 {percentile(kiosk, 0.9) * 1000:6.0f} ms")
    print(f"  ratio of medians : {k / m:6.2f}x   (target <= 1.5x)")
    print("to the frame that shows the screen complete (as it stays)")
    print(f"  minimal Kivy app : median {md * 1000:6.0f} ms   p90 {percentile(minimal_done, 0.9) * 1000:6.0f} ms")
    print(f"  run_kiosk.py demo: median {kd * 1000:6.0f} ms   p90 {percentile(kiosk_done, 0.9) * 1000:6.0f} ms")
    print(f"  ratio of medians : {kd / md:6.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"minimal_s": minimal, "kiosk_s": kiosk, "minimal_complete_s":
                                               minimal_done, "kiosk_complete_s": kiosk_done, "load": load}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
