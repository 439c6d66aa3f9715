"""The document camera driver: OpenCV capture (a UVC 高拍仪) on a background thread.

`[doccam] source` is a device index ("0"), /dev/videoN, a video file, an image sequence or a stream
URL, as for the QR camera. Document cameras give their sharpest picture at their largest size, so
`width`×`height` (default 1920×1080) is asked for; frames go through DocumentCameraDevice (preview,
judging on its own thread, automatic shot). A file or image sequence is paced at its own frame rate
(`realtime`), so that it behaves like a camera; it ends with state online "end of file" unless `loop`.
A camera that cannot be opened or stops giving frames is `powerOff` (not physically connected,
shared/specs/devices.md), told once per outage as an "error" (doccam_missing / doccam_stopped), and is
reopened every `reopen_after` seconds; `release()` closes it at once (light off).
tests/devices/test_doccam_opencv.py runs it on video files and image sequences written at test time.
"""
from __future__ import annotations

import logging
import os
import time

import cv2

from devices.camera.opencv import parse_source
from devices.doccam.base import DocumentCameraDevice
from devices.states import Completion, DeviceError, DeviceState

log = logging.getLogger(__name__)

MSG_DOCCAM = "高拍仪暂时不能用，请把材料交给工作人员。"


class OpenCvDocumentCamera(DocumentCameraDevice):
    """A document camera (or a video file, image sequence, stream) read with cv2.VideoCapture."""

    def __init__(self, source: int | str, width: int = 1920, height: int = 1080, *, reopen_after: float = 2.0,
                 loop: bool = False, realtime: bool | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.width, self.height = width, height
        self.reopen_after = reopen_after
        self.loop = loop
        # a camera (index, /dev/videoN) or a stream keeps going after a failed read; a file has ended
        self.live = isinstance(source, int) or source.startswith("/dev/") or "://" in source
        self.realtime = (not self.live) if realtime is None else realtime
        self._cap: cv2.VideoCapture | None = None
        self._outage_told = False

    def _open(self) -> cv2.VideoCapture | None:
        if isinstance(self.source, str) and "://" not in self.source and "%" not in self.source \
                and not os.path.exists(self.source):
            return None
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            cap.release()
            return None
        if self.live:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        return cap

    def _tell_outage(self, code: str) -> None:
        """One error per outage (missing at open, or frames stopping), not one at every retry."""
        if not self._outage_told:
            self._outage_told = True
            self.report_error(DeviceError(Completion.DEVICE_NOT_READY, code, MSG_DOCCAM))

    def _run(self) -> None:
        self._outage_told = False
        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                self._tell_outage("doccam_missing")
                self.set_state(DeviceState.POWER_OFF, "document camera not found")
                self._stop.wait(self.reopen_after)
                continue
            self._cap = cap
            self.set_state(DeviceState.ONLINE)
            try:
                ended = self._read(cap)
            finally:
                self._cap = None
                cap.release()
            if ended and not self.loop:
                self.set_state(DeviceState.ONLINE, "end of file")
                return

    def _read(self, cap: cv2.VideoCapture) -> bool:
        """Read until stopped (False), a file's end (True) or a dead device (False)."""
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
                return True
            now = time.monotonic()
            failing_since = failing_since or now
            if now - failing_since >= self.reopen_after:
                self._tell_outage("doccam_stopped")
                self.set_state(DeviceState.POWER_OFF, "document camera stopped sending frames")
                return False
            self._stop.wait(0.05)
        return False

    def stop(self, timeout: float = 3.0) -> None:
        """Stop reading and judging; the reading thread releases the camera on its way out."""
        super().stop(timeout)
        if self.status().state is DeviceState.ONLINE:
            self.set_state(DeviceState.ONLINE, "released")

    @property
    def capturing(self) -> bool:
        """True while the camera is held open."""
        return self._cap is not None

    def probe(self) -> None:
        """Open and release once, to report online or powerOff without holding the camera."""
        cap = self._open()
        if cap is None:
            self.set_state(DeviceState.POWER_OFF, "document camera not found")
            return
        cap.release()
        self.set_state(DeviceState.ONLINE, "idle")


def from_settings(settings) -> OpenCvDocumentCamera:
    """The configured document camera ([doccam] section), opened only while capturing."""
    return OpenCvDocumentCamera(parse_source(settings.get("doccam", "source")),
                                settings.getint("doccam", "width"), settings.getint("doccam", "height"),
                                reopen_after=settings.getfloat("doccam", "reopen_after"),
                                analyse_fps=settings.getfloat("doccam", "analyse_fps"),
                                steady_seconds=settings.getfloat("doccam", "steady_seconds"),
                                page_long_side=settings.getint("doccam", "page_long_side"))
