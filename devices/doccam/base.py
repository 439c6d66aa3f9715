"""The document camera family (高拍仪): what every document camera, real or simulated, can do.

The base does the work every document camera shares: it emits each preview frame, judges at most
`analyse_fps` frames a second (page found? sharp, lit, whole, no glare? see quality.py) and takes the
picture by itself when the page has lain still and good for `steady_seconds`; `take()` takes the
next frame by hand. A backend only supplies frames (`_run` calls `handle_frame`).

Judging runs on a thread of its own: `handle_frame` only emits the frame and leaves it in a one-frame
slot (the newest frame wins), so the reading thread never waits for a verdict (p50 ≈ 20–50 ms, p99
up to 174 ms per 1920×1080 frame, bench/doccam.py) and the preview keeps the camera's rate; the judge
takes the newest frame when it is free and the rate allows, and the frames that came in meanwhile are
never judged (`frames_read` counts the frames, `frames_judged` the verdicts). "verdict" and "page"
are emitted on the judging thread.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from devices.base import Device
from devices.doccam import quality
from devices.doccam.page import corner_shift
from devices.states import DeviceState

log = logging.getLogger(__name__)

# the page counts as still while no corner moves more than this share of the frame's diagonal
STEADY_SHIFT = 0.01
_M_MMAP_THRESHOLD = -3


def pin_mmap_threshold(size: int = 128 * 1024) -> bool:
    """Give every buffer of `size` bytes or more back to the system when it is freed (glibc mallopt).

    glibc raises its mmap threshold each time a big block is freed; after that the frames and
    pages (6 MB each at 1920x1080) are carved out of the heaps of several threads and their holes
    are never returned: bench/doccam.py measured RSS +72 MiB over 50 pages that way, +0.3 MiB
    with the threshold pinned. False where there is no glibc."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, size))
    except (OSError, AttributeError):
        return False


@dataclass(frozen=True)
class FrameVerdict:
    """What the screen shows over the live picture: the page's corners (or None) and the problems."""
    codes: tuple[str, ...]
    quad: np.ndarray | None
    frame_size: tuple[int, int]           # (width, height) of the frame the corners belong to
    steady: float = 0.0                   # 0..1 of the way to the automatic shot


@dataclass(frozen=True)
class TakenPage:
    """One taken picture: the straightened page (BGR; the whole frame when no page was found), the
    problems seen in it and how it was taken. The image is personal: never log it."""
    image: np.ndarray = field(repr=False)
    codes: tuple[str, ...]
    auto: bool
    measures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the picture has no problem."""
        return not self.codes


class DocumentCameraDevice(Device):
    """A camera looking down at the desk that takes pictures of papers.

    Events: "state", "frame" (BGR preview image), "verdict" (FrameVerdict, per judged frame),
    "page" (TakenPage, automatic or by hand), "error".

    Operations (`can(...)`):
      capture    every document camera: open it and start preview, judging and the automatic shot
      release    every document camera: stop and release it (light off, no CPU)
      take       every document camera: take the next frame as the picture, whatever its quality
      probe      every document camera: report online / powerOff without holding the device
      place      simulator only: lay a page (or a ready photo) under the simulated camera
    """

    name = "doccam"
    operations = frozenset({"capture", "release", "take", "probe"})

    def __init__(self, analyse_fps: float = 8.0, steady_seconds: float = 0.6, page_long_side: int = 1600,
                 auto_take: bool = True, clock: Callable[[], float] = time.monotonic,
                 judge: Callable[..., quality.Verdict] = quality.judge) -> None:
        super().__init__()
        self._judge = judge
        self._slot = threading.Condition()        # the newest frame waiting for the judge, and take()
        self._newest: np.ndarray | None = None
        self._judge_thread: threading.Thread | None = None
        self._judge_stop = threading.Event()
        self.analyse_interval = 1.0 / analyse_fps if analyse_fps > 0 else 0.0
        self.steady_seconds = steady_seconds
        self.page_long_side = page_long_side
        self.auto_take = auto_take
        self._clock = clock
        self._last_analysis = -1e9
        self._steady_since: float | None = None
        self._last_quad: np.ndarray | None = None
        self._taken_here = False          # the automatic shot was taken of the page lying there now
        self._take_requested = False
        self.frames_read = 0
        self.frames_judged = 0
        self.on_demand = True             # opened only while the capture screen shows it

    def start(self) -> None:
        """Only check that the camera is there: it is opened by `capture()`."""
        if self.on_demand:
            self.probe()
            return
        self._start_judging()
        super().start()

    def probe(self) -> None:
        """Set the state without holding the device (default: assume it is there)."""
        self.set_state(DeviceState.ONLINE, "idle")

    def capture(self, wait_for_change: bool = False) -> None:
        """Open the camera and start preview, judging and the automatic shot.

        `wait_for_change` (重拍): the page lying there now is not taken again by itself until it is
        lifted or moved; the big button still takes it."""
        with self._slot:
            self._steady_since, self._last_quad, self._taken_here = None, None, wait_for_change
            self._take_requested, self._newest = False, None
        pin_mmap_threshold()
        self._start_judging()
        Device.start(self)

    def release(self) -> None:
        """Stop and release the camera (the capture screen calls this when it is left)."""
        self.stop()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop reading, then the judge (a verdict under way is finished, nothing more is judged)."""
        super().stop(timeout)
        self._judge_stop.set()
        with self._slot:
            self._newest = None
            self._slot.notify_all()
        judge = self._judge_thread
        if judge is not None and judge is not threading.current_thread():
            judge.join(timeout)
        self._judge_thread = None

    def take(self) -> None:
        """Take the next frame as the picture (the big button), whatever the verdict."""
        with self._slot:
            self._take_requested = True
            self._slot.notify_all()

    def handle_frame(self, frame: np.ndarray) -> None:
        """Emit the frame and leave it for the judge (the newest wins); never waits for a verdict."""
        self.frames_read += 1
        self.events.emit("frame", frame)
        with self._slot:
            self._newest = frame
            self._slot.notify_all()

    def _start_judging(self) -> None:
        if self._judge_thread is not None and self._judge_thread.is_alive():
            return
        self._judge_stop = stop = threading.Event()
        self._judge_thread = threading.Thread(target=self._judge_loop, args=(stop,), name=f"judge-{self.name}",
                                              daemon=True)
        self._judge_thread.start()

    def _judge_loop(self, stop: threading.Event) -> None:
        """Judge the newest frame whenever one is there and the rate allows (at once for take())."""
        while not stop.is_set():
            with self._slot:
                frame, by_hand = self._newest, self._take_requested
                if frame is None:
                    self._slot.wait(0.5)
                    continue
                now = self._clock()
                early = self.analyse_interval - (now - self._last_analysis)
                if not by_hand and early > 0:
                    self._slot.wait(min(early, 0.5))     # take() and stop() wake it sooner
                    continue
                self._newest, self._take_requested = None, False
            try:
                self.judge_frame(frame, now, by_hand)
            except Exception as exc:   # one failure must not end the verdicts; no page content in the log
                log.warning("document camera: judging a frame failed: %s", type(exc).__name__)

    def judge_frame(self, frame: np.ndarray, now: float, by_hand: bool = False) -> None:
        """Judge one frame: emit its verdict, and the page when it is taken (by hand or by itself)."""
        self._last_analysis = now
        self.frames_judged += 1
        try:
            verdict = self._judge(frame, long_side=self.page_long_side)
        except Exception as exc:  # one bad frame must not end the preview
            log.warning("document camera: judging a frame failed: %s", type(exc).__name__)
            return
        steady = self._track(verdict, now, frame.shape)
        h, w = frame.shape[:2]
        self.events.emit("verdict", FrameVerdict(verdict.codes, verdict.find.quad, (w, h), steady))
        auto = self.auto_take and steady >= 1.0 and verdict.ok and not self._taken_here
        if by_hand or auto:
            if auto:
                self._taken_here = True
            image = verdict.page if verdict.page is not None else frame.copy()
            self.events.emit("page", TakenPage(image, verdict.codes, auto=not by_hand, measures=verdict.measures))

    def _track(self, verdict: quality.Verdict, now: float, shape: tuple[int, ...]) -> float:
        """How far the page is towards the automatic shot (0..1); a moved or removed page starts again."""
        quad = verdict.find.quad
        if quad is None or not verdict.find.found:
            self._steady_since, self._last_quad, self._taken_here = None, None, False
            return 0.0
        if self._last_quad is None and self._taken_here:
            self._held_quad = quad            # 重拍: the page that was lying there when it was asked
        held = getattr(self, "_held_quad", None)
        if held is not None and corner_shift(quad, held, shape) > 4 * STEADY_SHIFT:
            self._taken_here, self._held_quad = False, None
        shift = 0.0 if self._last_quad is None else corner_shift(quad, self._last_quad, shape)
        if self._last_quad is None or shift > STEADY_SHIFT:
            if shift > 4 * STEADY_SHIFT:
                self._taken_here = False      # another page, or this one moved: it may be taken again
            self._steady_since = now
        self._last_quad = quad
        if not verdict.ok:
            self._steady_since = now
            return 0.0
        if self.steady_seconds <= 0:
            return 1.0
        return min(1.0, (now - (self._steady_since or now)) / self.steady_seconds)
