"""The camera's simulator twin: frames from image files, or a generated phone screen held to the camera.

Used in demo mode and by the tour. Frames go through the same decoder and de-duplication as the
real camera (CameraDevice), so a demo exercises real decoding; `show_code(text)` puts a phone with
that code in front of the simulated camera, `show_code(None)` takes it away.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np
import segno

from devices.camera.base import CameraDevice
from devices.camera.qr_decode import make_decoder
from devices.sim_frames import PlaysFrames, image_list


def phone_frame(text: str | None, width: int = 1280, height: int = 720) -> np.ndarray:
    """A BGR frame: a hall-grey background and, when `text` is given, a phone showing its QR code."""
    frame = np.full((height, width, 3), (96, 104, 110), np.uint8)
    cv2.rectangle(frame, (0, int(height * 0.75)), (width, height), (70, 78, 84), -1)  # the counter edge
    if text is None:
        return frame
    ph = int(height * 0.86)
    pw = int(ph * 0.5)
    x0, y0 = (width - pw) // 2, (height - ph) // 2
    cv2.rectangle(frame, (x0, y0), (x0 + pw, y0 + ph), (20, 20, 20), -1)
    sx0, sy0, sx1, sy1 = x0 + 10, y0 + 24, x0 + pw - 10, y0 + ph - 24
    cv2.rectangle(frame, (sx0, sy0), (sx1, sy1), (245, 245, 245), -1)
    cv2.rectangle(frame, (sx0, sy0), (sx1, sy0 + 40), (80, 160, 40), -1)
    matrix = np.array(list(segno.make(text, error="m", micro=False).matrix_iter(border=3)), np.uint8)
    size = sx1 - sx0 - 16
    qr = cv2.resize(np.where(matrix == 1, 0, 255).astype(np.uint8), (size, size), interpolation=cv2.INTER_NEAREST)
    qy = sy0 + 60
    frame[qy:qy + size, sx0 + 8:sx0 + 8 + size] = qr[..., None]
    return frame


class SimulatedCamera(PlaysFrames, CameraDevice):
    """Plays image files in a loop, or generated frames with the code given to `show_code`."""

    operations = CameraDevice.operations | {"show_code"}

    def __init__(self, images: Sequence[str | Path] = (), fps: float = 10.0, width: int = 1280,
                 height: int = 720, **kwargs) -> None:
        super().__init__(**kwargs)
        self.images = [Path(p) for p in images]
        self.period = 1.0 / fps
        self.size = (width, height)
        self._lock = threading.Lock()
        self._shown: str | None = None
        self._frame = phone_frame(None, width, height)

    def show_code(self, text: str | None) -> None:
        """Hold a phone showing `text` to the camera (None: take it away)."""
        frame = phone_frame(text, *self.size)
        with self._lock:
            self._shown, self._frame = text, frame

    def _next_frames(self):
        if self.images:
            loaded = [cv2.imread(str(p), cv2.IMREAD_COLOR) for p in self.images]
            loaded = [f for f in loaded if f is not None]
            i = 0
            while loaded:
                yield loaded[i % len(loaded)]
                i += 1
        while True:
            with self._lock:
                frame = self._frame
            yield frame


def from_settings(settings) -> SimulatedCamera:
    """The simulated camera, [camera] sim_images or generated frames; runs only while captured."""
    camera = SimulatedCamera(image_list(settings.get("camera", "sim_images")),
                             width=settings.getint("camera", "width"), height=settings.getint("camera", "height"),
                             decoder=make_decoder(settings.get("camera", "decoder")),
                             decode_fps=settings.getfloat("camera", "decode_fps"),
                             repeat_interval=settings.getfloat("camera", "repeat_interval"))
    camera.on_demand = True
    return camera
