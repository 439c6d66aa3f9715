"""The demo pack's 真人讲解 videos, made by the project from its own pictures: `content draw` (or
`python -m kiosk.guides.draw_videos [PACK]`) writes assets/videos/<name>.mp4 and its .srt for every matter
listed in VIDEOS.

A video walks through the matter's picture steps: each step's picture with its number, a progress bar that
moves (a still picture is not a video), three seconds a step; the subtitles say the step in plain words.
OpenCV writes MPEG-4 part 2 (`mp4v`), which ffpyplayer (Kivy's video provider) decodes; at 640×360 and 8
frames a second a video is a few dozen kilobytes. The videos have no sound track (the demo has no
recorded speaker); the player still sets the volume (louder in 长辈模式) for packs whose videos do.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from kiosk.guides.draw import INK, PAPER, SOFT, font
from kiosk.guides.loader import load_pack
from kiosk.guides.subtitles import Cue, to_srt

VIDEOS = {"HZ-GA-001": "id_card_renewal", "HZ-MZ-001": "elder_card", "HZ-RS-001": "resident_pension"}
SIZE = (640, 360)
FPS = 5
SECONDS_PER_STEP = 3.0


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
    return np.asarray(im)[:, :, ::-1].copy()          # RGB -> BGR for OpenCV


def write_video(pack_dir: Path, code: str, name: str) -> tuple[Path, Path]:
    """Write assets/videos/<name>.mp4 and .srt for matter `code`; returns both paths."""
    import cv2
    pack = load_pack(pack_dir)
    matter = pack.matter(code)
    out = pack_dir / "assets" / "videos"
    out.mkdir(parents=True, exist_ok=True)
    mp4, srt_path = out / f"{name}.mp4", out / f"{name}.srt"
    per_step = int(SECONDS_PER_STEP * FPS)
    total = per_step * len(matter.steps)
    writer = cv2.VideoWriter(str(mp4), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    if not writer.isOpened():
        raise RuntimeError("OpenCV cannot write MPEG-4 video here")
    cues = []
    try:
        for i, step in enumerate(matter.steps):
            with Image.open(pack.asset(step.picture)) as raw:
                picture = raw.convert("RGB")
            for f in range(per_step):
                writer.write(_frame(picture, i + 1, len(matter.steps), matter.name, (i * per_step + f + 1) / total))
            start = i * SECONDS_PER_STEP
            cues.append(Cue(start, start + SECONDS_PER_STEP - 0.2, f"第{i + 1}步，{step.title}。{step.text}"))
    finally:
        writer.release()
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
    files = write_all(pack_dir)
    print(f"wrote {len(files)} video files into {pack_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
