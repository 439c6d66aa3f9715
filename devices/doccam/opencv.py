"""The document camera driver: OpenCV capture (a UVC 高拍仪) on a background thread.

`[doccam] source` is a device index ("0"), /dev/videoN, a video file, an image sequence or a stream
URL, as for the QR camera. Document cameras give their sharpest picture at their largest size, so
`width`×`height` (default 1920×1080) is asked for; frames go through DocumentCameraDevice (preview,
judging, automatic shot). A camera that cannot be opened or stops giving frames is `powerOff` and is
reopened every `reopen_after` seconds; `release()` closes it at once (light off).
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


class OpenCvDocumentCamera(DocumentCameraDevice):
    """A document camera (or a video file, image sequence, stream) read with cv2.VideoCapture."""

    def __init__(self, source: int | str, width: int = 1920, height: int = 1080, *, reopen_after: float = 2.0,
                 loop: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.width, self.height = width, height
        self.reopen_after = reopen_after
        self.loop = loop
        self.live = isinstance(source, int) or source.startswith("/dev/") or "://" in source

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

    def _run(self) -> None:
        told = False
        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                if not told:
                    told = True
                    self.report_error(DeviceError(Completion.DEVICE_NOT_READY, "doccam_missing",
                                                  "高拍仪暂时不能用，请把材料交给工作人员。"))
                self.set_state(DeviceState.POWER_OFF, "document camera not found")
                self._stop.wait(self.reopen_after)
                continue
            told = False
            self.set_state(DeviceState.ONLINE)
            try:
                ended = self._read(cap)
            finally:
                cap.release()
            if ended and not self.loop:
                self.set_state(DeviceState.ONLINE, "end of file")
                return

    def _read(self, cap: cv2.VideoCapture) -> bool:
        """Read until stopped (False), a file's end (True) or a dead device (False)."""
        failing_since: float | None = None
        while not self._stop.is_set():
            ok, frame = cap.read()
            if ok and frame is not None:
                failing_since = None
                self.handle_frame(frame)
                continue
            if not self.live:
                return True
            now = time.monotonic()
            failing_since = failing_since or now
            if now - failing_since >= self.reopen_after:
                self.set_state(DeviceState.POWER_OFF, "document camera stopped sending frames")
                return False
            self._stop.wait(0.05)
        return False

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
