"""The QR camera family: what every camera that reads codes, real or simulated, can do.

The base does the work every camera shares (preview frames, decoding at most `decode_fps` frames a
second, each code once while it stays in view); a backend only supplies frames. It imports no
OpenCV itself, so the family can be named without paying for cv2.
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Callable

from devices.base import Device
from devices.states import DeviceState

if TYPE_CHECKING:
    import numpy as np

    from devices.camera.qr_decode import Decoder

log = logging.getLogger(__name__)


class CameraDevice(Device):
    """A camera that reads codes. What every camera (real or simulated) does with a frame is here:
    preview, throttled decode, de-duplication; a backend supplies the frames (`_run` calls `handle_frame`).

    Events: "state", "frame" (BGR numpy image), "code" (str, once while it stays in view), "error".

    Operations (`can(...)`):
      capture    every camera: open it and start preview and decoding (the scan screen calls this)
      release    every camera: stop and release it (light off, no CPU)
      probe      every camera: report online / powerOff without holding the device
      show_code  simulator only: hold a phone showing a code to the camera (demo helper)
    """

    name = "camera"
    operations = frozenset({"capture", "release", "probe"})

    def __init__(self, decoder: Decoder | None = None, decode_fps: float = 10.0, repeat_interval: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        if decoder is None:
            from devices.camera.qr_decode import make_decoder  # OpenCV: imported when a camera is built
            decoder = make_decoder("cascade")
        self.decoder = decoder
        self.decode_interval = 1.0 / decode_fps if decode_fps > 0 else 0.0
        self.repeat_interval = repeat_interval
        self._clock = clock
        self._last_decode = -1e9
        self._recent: dict[str, float] = {}     # code text -> when it was last seen
        self.frames_read = 0
        self.frames_decoded = 0
        # The hub starts every device at boot; an on-demand camera is only opened by capture(), while a
        # screen shows its picture, so that it is released (light off, no CPU) the rest of the day.
        self.on_demand = False

    def start(self) -> None:
        """Start capturing — or, for an on-demand camera, only check that it is there."""
        if self.on_demand:
            self.probe()
            return
        super().start()

    def probe(self) -> None:
        """Set the state without holding the device (default: assume it is there)."""
        self.set_state(DeviceState.ONLINE, "idle")

    def capture(self) -> None:
        """Open the camera and start the preview and decoding (the scan screen calls this)."""
        self.forget_codes()
        Device.start(self)

    def release(self) -> None:
        """Stop and release the camera (the scan screen calls this when it is left)."""
        self.stop()

    def handle_frame(self, frame: np.ndarray) -> None:
        """Emit the frame, and decode it when the decode rate allows."""
        self.frames_read += 1
        self.events.emit("frame", frame)
        now = self._clock()
        if now - self._last_decode < self.decode_interval:
            return
        self._last_decode = now
        self.frames_decoded += 1
        try:
            codes = self.decoder.decode(frame)
        except Exception as exc:  # a decoder failure on one frame must not end the preview
            log.warning("decoder failed on a frame: %s", type(exc).__name__)
            return
        for code in codes:
            seen = self._recent.get(code.text)
            self._recent[code.text] = now
            if seen is None or now - seen > self.repeat_interval:
                self.events.emit("code", code.text)
        if len(self._recent) > 64:  # a camera that runs all day must not collect every code it saw
            self._recent = {t: s for t, s in self._recent.items() if now - s <= self.repeat_interval}

    def forget_codes(self) -> None:
        """Report the next sighting of any code again (a new citizen, or after a refusal); the decoder
        forgets where the last code was and any crop of it it kept."""
        self._recent.clear()
        forget = getattr(self.decoder, "forget", None)      # (the cascade's; the frame thread may be decoding)
        if callable(forget):
            forget()
