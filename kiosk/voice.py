"""Read text aloud with espeak-ng's Mandarin voice (`espeak-ng -v cmn`), in a child process.

Quietly unavailable where there is no espeak-ng or no audio device (a headless test machine, a
terminal whose speaker is unplugged): `say` then returns False and the screen simply hides or
greys its voice button. Only one utterance plays at a time; a new one interrupts the old.
"""
from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess
import threading
from typing import Callable

log = logging.getLogger(__name__)
VOICE = "cmn"          # Mandarin
RATE = 150             # words per minute: slower than espeak's default 175, for elderly listeners


def audio_device_present() -> bool:
    """A playback device or a sound server: ALSA playback PCMs, PulseAudio/PipeWire sockets."""
    if glob.glob("/dev/snd/pcmC*D*p"):
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return bool(runtime) and any(os.path.exists(os.path.join(runtime, p)) for p in ("pulse/native", "pipewire-0"))


class Voice:
    """Speaks one text at a time. `enabled` follows [ui] voice."""

    def __init__(self, enabled: bool = True, binary: str = "espeak-ng", rate: int = RATE,
                 audio_check: Callable[[], bool] = audio_device_present):
        self.enabled = enabled
        self.binary = shutil.which(binary)
        self.rate = rate
        self._audio_check = audio_check
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []

    @classmethod
    def from_settings(cls, settings) -> "Voice":
        return cls(enabled=settings.getbool("ui", "voice"))

    @property
    def available(self) -> bool:
        """Whether `say` can be heard here (checked each time: a headset may be plugged in later)."""
        return self.enabled and self.binary is not None and self._audio_check()

    def listen(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """Call `callback(text)` with every text `say` is asked to read while voice is enabled, heard or
        not (tests and the tour follow what a listener would hear; nothing is kept here). Returns the
        function that stops listening."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def say(self, text: str) -> bool:
        """Start reading `text`; returns at once. False when voice is unavailable."""
        text = " ".join(text.split())
        if text and self.enabled:
            for callback in list(self._listeners):
                callback(text)
        if not text or not self.available:
            return False
        with self._lock:
            self._stop_locked()
            try:
                # the text goes on stdin, so nothing of it shows in the process list
                self._proc = subprocess.Popen([self.binary, "-v", VOICE, "-s", str(self.rate), "--stdin"],
                                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL)
                self._proc.stdin.write(text.encode("utf-8"))
                self._proc.stdin.close()
            except OSError as exc:
                log.warning("voice unavailable: %s", exc)
                self._proc = None
                return False
        return True

    @property
    def speaking(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Stop the current utterance (leaving a screen, wiping the session)."""
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=2)
        self._proc = None

    def synthesize(self, text: str) -> bytes:
        """The WAV espeak-ng would play (works without an audio device; used by tests and staff tools)."""
        if self.binary is None:
            raise RuntimeError("espeak-ng is not installed")
        out = subprocess.run([self.binary, "-v", VOICE, "-s", str(self.rate), "--stdout", "--stdin"],
                             input=text.encode("utf-8"), capture_output=True, timeout=30, check=True)
        return out.stdout
