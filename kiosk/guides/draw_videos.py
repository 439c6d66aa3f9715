"""The demo pack's 真人讲解 videos, made by the project from its own pictures: `content draw` (or
`python -m kiosk.guides.draw_videos [PACK]`) writes assets/videos/<name>.mp4 and its .srt for every matter
listed in VIDEOS.

A video walks through the matter's picture steps: each step's picture with its number, a progress bar that
moves (a still picture is not a video); the subtitles say the step in plain words, and a voice reads each
subtitle aloud from its start (espeak-ng's Mandarin, kiosk/guides/narration.py). A step lasts at least
three seconds and as long as its spoken line needs (the cue is lengthened with it, so .srt and sound agree).
PyAV writes MPEG-4 part 2 video and AAC audio into the .mp4, which ffpyplayer (Kivy's video provider)
plays; at 640×360 and 5 frames a second a video is a few hundred kilobytes. The player's volume comes from
config (louder in 长辈模式).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from kiosk.guides.draw import INK, PAPER, SOFT, font
from kiosk.guides.loader import load_pack
from kiosk.guides.narration import NarrationError, check_tools, lay_out, speak, write_mp4
from kiosk.guides.subtitles import Cue, to_srt

VIDEOS = {"HZ-GA-001": "id_card_renewal", "HZ-MZ-001": "elder_card", "HZ-RS-001": "resident_pension"}
SIZE = (640, 360)
FPS = 5
SECONDS_PER_STEP = 3.0      # the least a step is shown
GAP = 0.6                   # silence after a spoken line before the next step


def _frame(picture: Image.Image, step: int, steps: int, title: str, progress: float) -> np.ndarray:
    w, h = SIZE
    im = Image.new("RGB", SIZE, SOFT)
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w, 44], fill=INK)
    d.text((16, 22), f"真人讲解 · {title}", font=font(24, True), fill=PAPER, anchor="lm")
    d.text((w - 16, 22), f"第 {step} 步 / 共 {steps} 步", font=font(22), fill=PAPER, anchor="rm")
    pic = picture.copy()
    pic.thumbnail((w - 40, h - 44 - 30))
    im.paste(pic, ((w - pic.width) // 2, 50))
    d.rectangle([0, h - 12, int(w * progress), h], fill=INK)
    return np.asarray(im)


def write_video(pack_dir: Path, code: str, name: str) -> tuple[Path, Path]:
    """Write assets/videos/<name>.mp4 (pictures + narration) and .srt for matter `code`; returns both
    paths. NarrationError (plain words) when espeak-ng or PyAV is missing."""
    check_tools()
    pack = load_pack(pack_dir)
    matter = pack.matter(code)
    out = pack_dir / "assets" / "videos"
    out.mkdir(parents=True, exist_ok=True)
    mp4, srt_path = out / f"{name}.mp4", out / f"{name}.srt"
    lines = [f"第{i + 1}步，{step.title}。{step.text}" for i, step in enumerate(matter.steps)]
    spoken = [speak(line) for line in lines]
    rate = spoken[0][1]
    clips = [samples for samples, _ in spoken]
    # frames per step: at least SECONDS_PER_STEP, else the speech and a breath (GAP) rounded up to a frame
    per_step = [max(int(SECONDS_PER_STEP * FPS), math.ceil((len(c) / rate + GAP) * FPS)) for c in clips]
    starts = [sum(per_step[:i]) / FPS for i in range(len(per_step))]
    cues = [Cue(start, start + n / FPS - 0.2, line) for start, n, line in zip(starts, per_step, lines)]
    total = sum(per_step)
    pictures = []
    for step in matter.steps:
        with Image.open(pack.asset(step.picture)) as raw:
            pictures.append(raw.convert("RGB"))

    def frames():
        done = 0
        for i, (picture, n) in enumerate(zip(pictures, per_step)):
            for _ in range(n):
                done += 1
                yield _frame(picture, i + 1, len(pictures), matter.name, done / total)

    track = lay_out(clips, starts, total / FPS, rate)
    write_mp4(mp4, frames(), FPS, SIZE, track, rate)
    srt_path.write_text(to_srt(cues), encoding="utf-8")
    return mp4, srt_path


def write_all(pack_dir: Path) -> list[Path]:
    """Every video of VIDEOS whose matter is in the pack."""
    codes = {m.code for m in load_pack(pack_dir).matters}
    files: list[Path] = []
    for code, name in VIDEOS.items():
        if code in codes:
            files += write_video(pack_dir, code, name)
    return files


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from config import CONFIG_DIR
    pack_dir = Path(argv[0]) if argv else CONFIG_DIR / "content"
    try:
        files = write_all(pack_dir)
    except NarrationError as exc:
        print(f"draw_videos: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(files)} video files into {pack_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
