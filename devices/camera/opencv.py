"""The QR camera driver: OpenCV capture on a background thread (frames and codes as CameraDevice emits them).

`[camera] source` is a device index ("0"), a video file, an image sequence (`frames/f_%03d.png`) or a
stream URL. The thread reads frames as fast as the source gives them, emits every frame as "frame"
(the screen shows what it wants of them), decodes at most `decode_fps` frames a second, and emits
each code once as "code" while the same code stays in view (`repeat_interval`).

A camera that cannot be opened, or stops giving frames for `reopen_after` seconds, is `powerOff`
(unplugged) and is reopened every `reopen_after` seconds; either is told once per outage as an
"error" (camera_missing / camera_stopped), so that a scan screen showing a frozen picture says so. `stop()` releases the device at once, so
the camera light goes off when the scan screen is left.
"""
from __future__ import annotations

import logging
import os
import threading
import time

import cv2

from devices.camera.base import CameraDevice
from devices.camera.qr_decode import make_decoder
from devices.states import Completion, DeviceError, DeviceState

log = logging.getLogger(__name__)

MSG_CAMERA = "摄像头暂时不能使用，请使用身份证办理。"


def parse_source(raw: str) -> int | str:
    """'0' -> device index 0; anything else is a path or URL for OpenCV."""
    raw = raw.strip()
    return int(raw) if raw.isdigit() else raw


class OpenCvCamera(CameraDevice):
    """A camera (or video file, image sequence, stream) read with cv2.VideoCapture."""

    def __init__(self, source: int | str, width: int = 1280, height: int = 720, *, loop: bool = False,
                 realtime: bool | None = None, reopen_after: float = 2.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.width, self.height = width, height
        self.loop = loop
        # a camera (index, /dev/videoN) or a stream keeps going after a failed read; a file has ended
        self.live = isinstance(source, int) or source.startswith("/dev/") or "://" in source
        # files are paced at their own frame rate so that they behave like a camera; tests turn it off
        self.realtime = (not self.live) if realtime is None else realtime
        self.reopen_after = reopen_after
        self._cap: cv2.VideoCapture | None = None
        self._outage_told = False

    def _open(self) -> cv2.VideoCapture | None:
        if isinstance(self.source, str) and "://" not in self.source and "%" not in self.source \
                and not os.path.exists(self.source):
            return None   # OpenCV would print warnings and try every backend first
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            cap.release()
            return None
        if self.live:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not a queue of old ones
        return cap

    def _tell_outage(self, code: str) -> None:
        """One error per outage (missing at open, or frames stopping), not one at every retry."""
        if not self._outage_told:
            self._outage_told = True
            self.report_error(DeviceError(Completion.DEVICE_NOT_READY, code, MSG_CAMERA))

    def _run(self) -> None:
        self._outage_told = False
        try:
            while not self._stop.is_set():
                self._cap = self._open()
                if self._cap is None:
                    self._tell_outage("camera_missing")
                    self.set_state(DeviceState.POWER_OFF, "camera not found")
                    self._stop.wait(self.reopen_after)
                    continue
                self.set_state(DeviceState.ONLINE)
                finished = self._read_until_failure(self._cap)
                self._cap.release()
                self._cap = None
                if finished and not self.loop:
                    self.set_state(DeviceState.ONLINE, "end of file")
                    return
        finally:
            if self._cap is not None:
                self._cap.release()
                self._cap = None

    def _read_until_failure(self, cap: cv2.VideoCapture) -> bool:
        """Read frames until stopped (False), the end of a file (True), or a dead device (False)."""
        fps = cap.get(cv2.CAP_PROP_FPS) or 0
        period = 1.0 / fps if self.realtime and 0 < fps <= 120 else 0.0
        failing_since: float | None = None
        next_at = time.monotonic()
        while not self._stop.is_set():
            ok, frame = cap.read()
            if ok and frame is not None:
                failing_since = None
                self._outage_told = False
                self.handle_frame(frame)
                if period:
                    next_at += period
                    self._stop.wait(max(0.0, next_at - time.monotonic()))
                continue
            if not self.live:
                return True   # a file or image sequence has ended
            now = time.monotonic()
            failing_since = failing_since or now
            if now - failing_since >= self.reopen_after:
                self._tell_outage("camera_stopped")
                self.set_state(DeviceState.POWER_OFF, "camera stopped sending frames")
                return False
            self._stop.wait(0.05)
        return False

    def stop(self, timeout: float = 3.0) -> None:
        """Stop the thread and release the device (the thread releases it on its way out)."""
        super().stop(timeout)
        if self.status().state is DeviceState.ONLINE:
            self.set_state(DeviceState.ONLINE, "released")

    def probe(self) -> None:
        """Open and release once on a short thread, to report online or powerOff without holding it."""
        def check() -> None:
            cap = self._open()
            if cap is None:
                self.set_state(DeviceState.POWER_OFF, "camera not found")
            else:
                cap.release()
                if not self.running:
                    self.set_state(DeviceState.ONLINE, "idle")
        threading.Thread(target=check, name="camera-probe", daemon=True).start()

    @property
    def capturing(self) -> bool:
        """True while the device is held open."""
        return self._cap is not None


def from_settings(settings) -> OpenCvCamera:
    """The configured OpenCV camera ([camera] section), opened only on demand."""
    camera = OpenCvCamera(parse_source(settings.get("camera", "source")),
                          settings.getint("camera", "width"), settings.getint("camera", "height"),
                          reopen_after=settings.getfloat("camera", "reopen_after"),
                          decoder=make_decoder(settings.get("camera", "decoder")),
                          decode_fps=settings.getfloat("camera", "decode_fps"),
                          repeat_interval=settings.getfloat("camera", "repeat_interval"))
    camera.on_demand = True
    return camera
