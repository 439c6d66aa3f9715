"""The tour: drive every screen with the simulated devices and write one PNG per screen and per
长辈模式 variant — the gallery anyone can review without a touchscreen.

Each screen class says which states to photograph (`tour_states`): a dict of app.go() arguments, or
a callable that brings the app into that state itself.
"""
from __future__ import annotations

import logging
import shutil
import traceback
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window

from screens.app import KioskApp
from kiosk.demo import demo_identity
from screens import SCREENS, VOICE_OFF

log = logging.getLogger(__name__)
SETTLE_FRAMES = 4


def screen_class(name: str):
    """The screen class registered in SCREENS under `name` (imported on first use)."""
    import importlib
    module, _, cls_name = SCREENS[name].partition(":")
    return getattr(importlib.import_module(module), cls_name)


def all_tour_states(app=None):
    """(screen name, suffix, state) for every screen's tour states, in the order of SCREENS."""
    for name in SCREENS:
        for suffix, state in screen_class(name).tour_states(app):
            yield name, suffix, state


def show_state(app, name: str, state) -> None:
    """Bring `app` into one tour state of screen `name`: a callable sets it up itself; a dict holds
    app.go() keywords (with `_identify_demo`, the demo citizen is identified first)."""
    if callable(state):
        state(app)
        return
    state = dict(state)
    if state.pop("_identify_demo", False):
        app.identified(demo_identity())
    app.go(name, **state)


class TourApp(KioskApp):
    """The kiosk app with a script that visits every screen and photographs it."""

    photographing = True   # screens show what a real terminal shows (no demo helpers in the photos)

    def __init__(self, settings, out_dir: Path, only: list[str] | None = None, audit: bool = False,
                 pending: bool = False, **kwargs):
        super().__init__(settings, **kwargs)
        self.only = set(only or [])
        self.audit = audit
        self.audit_pending = pending   # also the audit rules not switched on yet
        self.findings: list = []       # accessibility findings, when audit is on
        self.failures: list[str] = []  # states that could not be shown
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.shots: list[Path] = []
        self._steps: list = []
        self._spoken: list[str] = []          # what the voice was asked to read for the state on screen
        self.spoken: dict[str, list[str]] = {}  # per photographed state
        self._pictures: dict[str, dict[str, float]] = {}   # picture sizes per state (长辈模式 never smaller)

    def on_start(self):
        super().on_start()
        # the tour takes its time: no idle timeout; the warning is photographed on purpose
        self._idle_event.cancel()
        self.voice.listen(self._spoken.append)
        self._steps = list(self._plan())
        Clock.schedule_once(self._next, 0.5)

    def _plan(self):
        for name in SCREENS:
            if self.only and name not in self.only:
                continue
            for suffix, state in screen_class(name).tour_states(self):
                for elderly in (False, True):
                    yield (f"{name}{suffix}{'-elderly' if elderly else ''}", name, state, elderly)
        if not self.only or "timeout-warning" in self.only:
            yield ("timeout-warning", "home", "_warning", False)
            yield ("timeout-warning-elderly", "home", "_warning", True)

    def _next(self, _dt):
        if not self._steps:
            self._write_spoken()
            self.stop()
            return
        shot, name, state, elderly = self._steps.pop(0)
        try:
            self.end_session()
            if self.sm.transition.is_active:
                self.sm.transition.stop()   # the attract screen is entered (and read) now, not during the state
            self.elderly = elderly
            self._spoken.clear()            # what was read after the wipe belongs to no photo
            if name == "attract":
                self.sm.current_screen.read_aloud()   # a terminal reads it after every wipe
            if state == "_warning":
                self.go(name)
                self.sm.transition.stop()
                self._spoken.clear()
                self.idle_left = int(self.idle.warning)
                self._show_warning()
            else:
                show_state(self, name, state)
        except Exception as exc:
            log.exception("tour: could not show %s", shot)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(f"{shot} ({type(exc).__name__}: {exc} at {Path(where.filename).name}:{where.lineno})")
        Clock.schedule_once(lambda _dt: self._take(shot), 0)

    def _take(self, shot, frames=SETTLE_FRAMES):
        if frames > 0:
            Clock.schedule_once(lambda _dt: self._take(shot, frames - 1), 0)
            return
        written = Window.screenshot(name=str(self.out_dir / f"{shot}.png"))
        target = self.out_dir / f"{shot}.png"
        if written and Path(written) != target:
            shutil.move(written, target)
        self.shots.append(target)
        self.spoken[shot] = list(self._spoken) + self._would_read()
        self._spoken.clear()
        if self.audit:
            from screens.widgets.audit import audit
            roots = [self.sm.current_screen]
            if self._warning is not None and self._warning.parent is not None:
                roots = [self._warning]
            self.findings += audit(self, roots=roots, screen_name=shot, pending=self.audit_pending)
            from screens.widgets.audit import compare_pictures, picture_sizes
            sizes = self._pictures[shot] = picture_sizes(roots)
            if shot.endswith("-elderly") and shot[:-len("-elderly")] in self._pictures:
                self.findings += compare_pictures(shot, self._pictures[shot[:-len("-elderly")]], sizes,
                                                  pending=self.audit_pending)
        self._hide_warning()
        Clock.schedule_once(self._next, 0)


    def _would_read(self) -> list[str]:
        """Normal mode reads nothing by itself: what the state on screen would read with the voice on
        (长辈模式 reads it when the screen or the warning appears), marked so; [] in 长辈模式, where what was
        read is recorded as it was said."""
        if self.elderly:
            return []
        shown = self._warning if self._warning is not None and self._warning.parent is not None \
            else self.sm.current_screen
        words = " ".join(shown.spoken_text().split())
        return [VOICE_OFF + words] if words else []

    def _write_spoken(self) -> None:
        """spoken.txt beside the photos: what the voice read for each state (a reviewer can read it where
        the machine has no speaker); in normal mode, what it would read with the voice on."""
        from kiosk.voice import audio_device_present
        lines = ["# 每个画面会读出的话（长辈模式自动朗读；普通模式不自动读，标着" + VOICE_OFF + "的是打开语音后会读的）" +
                 ("" if audio_device_present() else "；这台机器没有声音设备，所以只写在这里"), ""]
        for shot, texts in self.spoken.items():
            lines.append(f"[{shot}]")
            lines += texts or ["（不朗读）"]
            lines.append("")
        (self.out_dir / "spoken.txt").write_text("\n".join(lines), encoding="utf-8")


def run_tour(settings, out_dir: Path, only: list[str] | None = None, audit: bool = False,
             pending: bool = False) -> TourApp:
    """Photograph every screen state; the finished app holds shots, failures and audit findings (with
    `pending`, those of the audit rules not switched on yet too)."""
    app = TourApp(settings, out_dir, only=only, audit=audit or pending, pending=pending)
    app.run()
    return app
