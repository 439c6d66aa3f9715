"""The document camera's simulator twin: image files, or a page laid under it with `place()`.

Used in demo mode, by the tour and by tests. Frames go through the same judging and automatic shot as
the real camera (DocumentCameraDevice). `place(image)` lays a page on the simulated desk (a generated
photo of it, synthetic.photo) or, with `as_photo=True`, shows a ready camera frame as it is;
`place(None)` clears the desk.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np

from devices.doccam import synthetic
from devices.doccam.base import DocumentCameraDevice
from devices.sim_frames import PlaysFrames, image_list


class SimulatedDocumentCamera(PlaysFrames, DocumentCameraDevice):
    """Plays image files in a loop, or shows the page laid with `place`."""

    operations = DocumentCameraDevice.operations | {"place"}

    def __init__(self, images: Sequence[str | Path] = (), fps: float = 10.0, width: int = 1280,
                 height: int = 720, **kwargs) -> None:
        super().__init__(**kwargs)
        self.images = [Path(p) for p in images]
        self.period = 1.0 / fps
        self.size = (width, height)
        self._desk_lock = threading.Lock()
        self._frame = _empty_desk(self.size)
        self._files: list[np.ndarray] | None = None

    def place(self, image: np.ndarray | None, as_photo: bool = False, seed: int = 0) -> None:
        """Lay a page (BGR image) under the camera; `as_photo`: the image is already a camera frame."""
        if image is None:
            frame = _empty_desk(self.size)
        elif as_photo:
            frame = cv2.resize(image, self.size, interpolation=cv2.INTER_AREA) \
                if (image.shape[1], image.shape[0]) != self.size else image
        else:
            frame = synthetic.photo(image, seed=seed, size=self.size).frame
        with self._desk_lock:
            self._frame = frame
            self._files = []      # what was laid by hand wins over the files

    def _next_frames(self):
        if self._files is None:
            loaded = [cv2.imread(str(p), cv2.IMREAD_COLOR) for p in self.images]
            self._files = [f for f in loaded if f is not None]
        i = 0
        while True:
            with self._desk_lock:
                files, frame = self._files, self._frame
            if files:
                frame = files[i % len(files)]
                i += 1
            yield frame


def from_settings(settings) -> SimulatedDocumentCamera:
    """The simulated document camera: [doccam] sim_images, or an empty desk until `place()`."""
    return SimulatedDocumentCamera(image_list(settings.get("doccam", "sim_images")),
                                   width=settings.getint("doccam", "width"), height=settings.getint("doccam", "height"),
                                   analyse_fps=settings.getfloat("doccam", "analyse_fps"),
                                   steady_seconds=settings.getfloat("doccam", "steady_seconds"),
                                   page_long_side=settings.getint("doccam", "page_long_side"))


@lru_cache(maxsize=4)
def _empty_desk(size: tuple[int, int]) -> np.ndarray:
    """The empty desk, drawn once per frame size: clearing the desk happens on every session wipe."""
    frame = synthetic.photo(synthetic.blank_page(), size=size, page_present=False).frame
    frame.flags.writeable = False     # shared by every simulator of this size: nobody draws on it
    return frame
