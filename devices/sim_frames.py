"""What the two simulated cameras (居民码 camera, document camera) share: the picture files they play
(`[camera] sim_images`, `[doccam] sim_images`) and the thread that hands their frames on at the camera's
pace."""
from __future__ import annotations

from pathlib import Path

from devices.states import DeviceState

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}


def image_list(raw: str) -> list[Path]:
    """The picture files of a config value: comma-separated files and folders (a folder's pictures in
    name order)."""
    paths: list[Path] = []
    for item in (part.strip() for part in raw.split(",") if part.strip()):
        p = Path(item).expanduser()
        if p.is_dir():
            paths += sorted(q for q in p.iterdir() if q.suffix.lower() in IMAGE_SUFFIXES)
        else:
            paths.append(p)
    return paths


class PlaysFrames:
    """Mixed into a simulated camera (a device with `_stop`, `period` and `handle_frame`): its capture
    thread hands on each frame of `_next_frames()`, one per period, until stopped."""

    def _next_frames(self):
        raise NotImplementedError

    def _run(self) -> None:
        self.set_state(DeviceState.ONLINE, "simulator")
        for frame in self._next_frames():
            if self._stop.is_set():
                break
            self.handle_frame(frame)
            self._stop.wait(self.period)
