"""The spoken narration of the demo pack's 真人讲解 videos: each subtitle line read aloud in Mandarin by
espeak-ng (the terminal's voice, Debian package espeak-ng), laid on a timeline at its cue's start, and
written with the pictures into one .mp4 by PyAV (FFmpeg's encoders: MPEG-4 video, AAC audio).

Only `content draw` uses this (staff machines, build time); the terminal plays the result with ffpyplayer.
A missing tool is a plain `NarrationError` saying what to install, not a traceback.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path
from typing import Iterable

import numpy as np

VOICE = "cmn"                 # espeak-ng's Mandarin
SILENCE = 300                 # |sample| below this (of 32767) is silence when trimming the ends
AUDIO_BITRATE = 32_000        # mono speech: AAC at 32 kbit/s is clear and small


class NarrationError(RuntimeError):
    """A tool the narration needs is missing or failed; the message says what to do."""


def check_tools() -> None:
    """NarrationError unless espeak-ng and PyAV are both there."""
    if shutil.which("espeak-ng") is None:
        raise NarrationError("找不到 espeak-ng，无法给视频配音：请安装 Debian 软件包 espeak-ng "
                             "(apt-get install espeak-ng，dev.sh 会装)")
    try:
        import av  # noqa: F401
    except ImportError:
        raise NarrationError("找不到 PyAV，无法把视频和配音写进 mp4：请安装 PyPI 的 av "
                             "(pip install av，dev.sh 会装)") from None


def speak(text: str, voice: str = VOICE) -> tuple[np.ndarray, int]:
    """`text` read by espeak-ng: (mono int16 samples without the silence at both ends, sample rate)."""
    try:
        done = subprocess.run(["espeak-ng", "-v", voice, "--stdout", text], capture_output=True,
                              timeout=60, check=False)
    except FileNotFoundError:
        raise NarrationError("找不到 espeak-ng，无法给视频配音：请安装 Debian 软件包 espeak-ng") from None
    if done.returncode != 0 or not done.stdout:
        raise NarrationError(f"espeak-ng 读不出这句话 ({done.stderr.decode(errors='replace').strip()}): {text}")
    with wave.open(io.BytesIO(done.stdout)) as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        raw = w.readframes(w.getnframes())
    if width != 2 or channels != 1:
        raise NarrationError(f"espeak-ng gave {channels} channel(s) of {8 * width}-bit audio, expected mono 16-bit")
    samples = np.frombuffer(raw, dtype="<i2").astype(np.int16)
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE)
    if loud.size == 0:
        raise NarrationError(f"espeak-ng 读出来是静音: {text}")
    return samples[loud[0]:loud[-1] + 1].copy(), rate


def lay_out(clips: Iterable[np.ndarray], starts: Iterable[float], seconds: float, rate: int) -> np.ndarray:
    """One track of `seconds`: each clip from its start time, silence between; a clip that would run past
    the end is cut there (the caller makes the cues long enough, so nothing is cut in practice)."""
    track = np.zeros(int(round(seconds * rate)), dtype=np.int16)
    for clip, start in zip(clips, starts):
        at = int(round(start * rate))
        piece = clip[:max(0, len(track) - at)]
        track[at:at + len(piece)] = piece
    return track


def write_mp4(path: Path, frames: Iterable[np.ndarray], fps: int, size: tuple[int, int],
              track: np.ndarray, rate: int) -> None:
    """Write RGB `frames` (fps, size) and the mono int16 `track` as MPEG-4 video + AAC audio into `path`."""
    import av
    w, h = size
    with av.open(str(path), "w") as box:
        video = box.add_stream("mpeg4", rate=fps)
        video.width, video.height, video.pix_fmt = w, h, "yuv420p"
        video.codec_context.gop_size = fps * 10       # mostly still pictures: few key frames
        video.codec_context.bit_rate = 120_000
        audio = box.add_stream("aac", rate=rate, layout="mono")
        audio.codec_context.bit_rate = AUDIO_BITRATE
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = i
            box.mux(video.encode(frame))
        box.mux(video.encode())
        step = 1024                                    # AAC's frame size
        for at in range(0, len(track), step):
            chunk = track[at:at + step]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, at
            box.mux(audio.encode(frame))
        box.mux(audio.encode())
