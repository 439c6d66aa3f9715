"""A day at the terminal: the real Kivy app driven through many citizen sessions, or tapped at random.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.soak_sessions --sessions 500
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.soak_sessions --monkey 1800

Sessions: each one is what a citizen does, with simulated touches on the real app (screens/app.py),
the simulated ID card reader (the real driver on a pty), the bundled guides and the reference
platform in its own process: lay the ID card on the reader at the attract screen (identify) ->
办事指南, open a guide, read two steps (guide) -> 我要办, the first matter, phone, materials,
delivery (apply) -> 提交, receipt (submit) -> end the session (wipe) and back to attract.

Monkey: random taps anywhere on the window for --monkey seconds (seeded), with a session wipe every
300 taps (the idle timeout does the same on a real terminal).

Printed at intervals: RSS of this process (MiB), live Kivy widgets (counted by type over all objects
after a full collection), and live Texture objects. The first sessions warm caches (fonts, pictures,
lazily built screens), so the figure that matters is the change from the first interval to the last.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk import wording as W  # noqa: E402  (after the path of a script run)


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def live_counts() -> tuple[int, int]:
    """(widgets, textures) alive after a full collection; by type(), as a dead widget's proxy raises on isinstance."""
    from kivy.graphics.texture import Texture
    from kivy.uix.widget import Widget
    gc.collect()
    widgets = textures = 0
    for obj in gc.get_objects():
        t = type(obj)
        if issubclass(t, Widget):
            widgets += 1
        elif issubclass(t, Texture):
            textures += 1
    return widgets, textures


class Ui:
    """Pumps frames and taps widgets as a finger would (the same as tests/ui/conftest.py's Driver)."""

    def __init__(self, app):
        self.app = app

    def frames(self, n: int = 3) -> None:
        from kivy.base import EventLoop
        for _ in range(n):
            EventLoop.idle()

    def tap_at(self, x: float, y: float) -> None:
        from kivy.tests.common import UnitTestTouch
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.frames(1)
        touch.touch_up()
        self.frames(2)

    def tap(self, widget) -> None:
        self.tap_at(*widget.to_window(*widget.center))

    def buttons(self, text: str):
        from kivy.uix.behaviors import ButtonBehavior
        from screens.widgets.audit import walk
        return [w for w in walk(self.app.sm.current_screen) if isinstance(w, ButtonBehavior)
                and getattr(w, "text", None) == text]

    def button(self, text: str):
        hits = self.buttons(text)
        assert hits, f"no button {text!r} on screen {self.app.sm.current}"
        return hits[0]

    def wait_until(self, condition, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "condition not reached in time"
            self.frames(1)
            time.sleep(0.01)


def start_app(data_dir: Path, platform_dir: Path):
    """The app as the UI tests run it: demo devices, kiosk lock, the reference platform in its own process."""
    from platform_server.process import PlatformProcess
    from screens.embedded import start_embedded_app
    platform = PlatformProcess(platform_dir / "platform.db", token="soak-token", terminal_id="HZ-DEMO-0001").start()
    app = start_embedded_app(data_dir, platform.url, "soak-token")
    app.platform = platform
    ui = Ui(app)
    ui.frames(5)
    return app, ui


def one_session(app, ui) -> str:
    """identify -> guide -> apply -> submit -> wipe; returns the receipt's local id."""
    idcard = app.hub.get("idcard")
    ui.wait_until(lambda: app.sm.current == "attract" and idcard.status().state.value == "online")
    idcard.present("resident")
    try:
        ui.wait_until(lambda: app.session.identified)
        ui.wait_until(lambda: app.sm.current == "home")
    finally:
        idcard.remove()
    ui.frames(3)
    ui.tap(ui.button("办事指南"))
    assert app.sm.current == "guides", app.sm.current
    ui.tap(ui.button("按部门"))
    ui.tap(ui.button("菏泽市公安局"))
    ui.tap(ui.button("居民身份证换领"))
    assert app.sm.current == "guide_detail"
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("下一步"))
    app.home()
    ui.frames(2)
    ui.tap(ui.button("我要办"))
    screen = app.sm.current_screen
    assert app.sm.current == "apply"
    ui.tap(ui.button(screen.flow.submittable()[0].name))
    ui.tap(ui.button("下一步"))
    for digit in "13905301234":
        ui.tap(ui.button(digit))
    ui.tap(ui.button("下一步"))                    # 核对身份 -> 看看材料
    if screen.flow.licence_offer():
        ui.tap(ui.button("不用，我带纸质的"))          # no e-licences: nothing asked of the platform
    ui.tap(ui.button("下一步"))                    # -> 拍材料: nothing photographed, shown at the window
    while screen.flow.capture_target is not None:
        ui.tap(ui.button("这份不拍了"))
    ui.tap(ui.button("下一步"))                    # -> 核对申请表
    for label in screen.flow.form().missing():
        screen.flow.change_field(label, "示例")
    ui.tap(ui.button("下一步"))                    # -> 签名
    screen.flow.signature().add_stroke([(100, 150), (300, 80), (500, 200), (700, 100)])
    screen.refresh()
    ui.frames(2)
    ui.tap(ui.button(W.CONFIRM))                  # the pad's 确定 -> 怎么拿结果
    ui.frames(2)                                   # the new step is laid out before its buttons are tapped
    ui.tap(ui.button("下一步"))
    ui.frames(2)
    assert screen.step_key == "confirm", (screen.step_key, screen.error, screen.reason)
    ui.tap(ui.button(W.SUBMIT))
    assert app.sm.current == "receipt"
    local_id = app.sm.current_screen.local_id
    app.end_session()
    ui.frames(3)
    assert app.sm.current == "attract" and not app.session.identified
    return local_id


def monkey(app, ui, seconds: float, rng: random.Random, on_interval, interval: float) -> int:
    from kivy.core.window import Window
    taps = 0
    start = last = time.monotonic()
    while time.monotonic() - start < seconds:
        ui.tap_at(rng.uniform(0, Window.width), rng.uniform(0, Window.height))
        taps += 1
        if taps % 300 == 0:
            app.end_session()
            ui.frames(2)
        if time.monotonic() - last >= interval:
            last = time.monotonic()
            on_interval(f"{taps} taps, {time.monotonic() - start:6.0f} s")
    return taps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=0, help="citizen sessions to run")
    parser.add_argument("--monkey", type=float, default=0, help="seconds of random taps")
    parser.add_argument("--every", type=int, default=50, help="print figures every N sessions")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if not (args.sessions or args.monkey):
        parser.error("give --sessions N and/or --monkey SECONDS")

    with tempfile.TemporaryDirectory() as tmp:
        app, ui = start_app(Path(tmp) / "data", Path(tmp))
        rows = []

        def report(label: str) -> None:
            widgets, textures = live_counts()
            rows.append((label, rss_mib(), widgets, textures))
            print(f"{label:>24s}  RSS {rows[-1][1]:7.1f} MiB  widgets {widgets:6d}  textures {textures:6d}", flush=True)

        report("start")
        t0 = time.monotonic()
        if args.sessions:
            for i in range(1, args.sessions + 1):
                one_session(app, ui)
                if i % args.every == 0 or i == args.sessions:
                    report(f"{i} sessions")
            per = (time.monotonic() - t0) / args.sessions
            print(f"{args.sessions} sessions in {time.monotonic() - t0:.0f} s ({per:.2f} s each); "
                  f"outbox {app.sync.outbox.status()}", flush=True)
        if args.monkey:
            taps = monkey(app, ui, args.monkey, random.Random(args.seed), report, max(60.0, args.monkey / 10))
            app.end_session()
            ui.frames(3)
            report(f"monkey end ({taps} taps)")
        first, last = rows[1] if len(rows) > 2 else rows[0], rows[-1]
        print(f"from '{first[0]}' to '{last[0]}': RSS {last[1] - first[1]:+.1f} MiB, widgets {last[2] - first[2]:+d}, "
              f"textures {last[3] - first[3]:+d}")
        app.stop()
        app.platform.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
