#!/usr/bin/env python3
"""Document camera and pre-review on 2 cores: verdict per frame, OCR review per page, memory over 50 pages.

    .venv/bin/python -m bench.doccam [--frames 200] [--pages 6] [--memory 50] [--calibrate]

1. Quality verdict per 1920×1080 frame (page finding + straightening + the three measures) against
   the preview's frame period at 30 fps, and against a baseline the preview pays anyway (BGR→RGB and
   a resize to the screen's preview size, what every shown frame costs). Raw percentiles of single timings.
2. OCR review per page: prereview on the straightened page (what the kiosk does) against the same
   OCR engine on the whole uncropped frame (the baseline the environment notes measured, 0.8–1.9 s).
3. Memory while capturing pages in a row through the simulated document camera (judging, the
   automatic shot, JPEG encoding, the page kept as an attachment then wiped every 10 pages, as
   sessions end): RSS after page 10 and after the last; flat = under 5 MiB growth.
--calibrate prints the threshold sweep of docs/doccam.md (blur / light / glare vs the OCR verdict).
All photos are generated at run time with fixed seeds (devices/doccam/synthetic.py).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from devices.doccam import quality, synthetic  # noqa: E402
from devices.doccam.encode import encode_page  # noqa: E402
from kiosk.review import specimens  # noqa: E402

NAME, NUMBER = "王小明", "37170219800101001X"
FULL_HD = (1920, 1080)


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _pages() -> list[np.ndarray]:
    labels = ["姓名", "公民身份号码", "联系电话", "婚姻状况"]
    return [specimens.id_card_front(NAME, NUMBER), specimens.id_card_back("2016.01.01", "2036.01.01"),
            specimens.hukou_page(NAME, NUMBER),
            specimens.form("生育登记表", {"姓名": NAME, "公民身份号码": NUMBER, "联系电话": "13800000000"}, labels, True)]


def bench_verdict(frames: int) -> None:
    pages = _pages()
    shots = [synthetic.photo(pages[i % len(pages)], seed=i, size=FULL_HD, fill=0.6 if i % 4 < 2 else 0.85,
                             blur=(0, 0, 2.5, 0)[i % 4], glare=(0, 0.01, 0, 0)[i % 4]).frame for i in range(16)]
    quality.judge(shots[0])
    ours, base = [], []
    for i in range(frames):
        frame = shots[i % len(shots)]
        t = time.perf_counter()
        cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (960, 540), interpolation=cv2.INTER_AREA)
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        quality.judge(frame)
        ours.append(time.perf_counter() - t)
    period = 1 / 30
    print(f"verdict per 1920x1080 frame ({frames} frames): p50 {pct(ours, 50) * 1e3:.1f} ms, "
          f"p99 {pct(ours, 99) * 1e3:.1f} ms; preview baseline (BGR->RGB + resize) p50 {pct(base, 50) * 1e3:.1f} ms "
          f"= {pct(ours, 50) / pct(base, 50):.1f}x; p99 / 30-fps frame period = {pct(ours, 99) / period:.2f} "
          f"(judged at analyse_fps = 8: {8 * pct(ours, 50):.0%} of one core at p50)")


def bench_ocr(pages: int) -> None:
    from kiosk.review.ocr import engine
    from kiosk.review.prereview import prereview
    kinds = ["id_card_front", "id_card_back", "hukou_page", "form"]
    specs = _pages()
    eng = engine()
    t = time.perf_counter()
    eng.read(specs[0][:64, :64])
    print(f"OCR engine load (lazy, first page): {time.perf_counter() - t:.2f} s")
    ours, base = [], []
    for i in range(pages):
        k = i % len(specs)
        frame = synthetic.photo(specs[k], seed=100 + i, size=FULL_HD, fill=0.6 if k < 2 else 0.85).frame
        t = time.perf_counter()
        result = prereview(frame, kinds[k], name=NAME, id_number=NUMBER, required=["姓名", "公民身份号码", "联系电话"])
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        eng._get()(frame)
        base.append(time.perf_counter() - t)
        print(f"  {kinds[k]:14s} review {ours[-1]:.2f} s (ok={result.ok}), whole frame OCR {base[-1]:.2f} s")
    print(f"OCR review per page: median {statistics.median(ours):.2f} s vs whole-frame OCR "
          f"{statistics.median(base):.2f} s = {statistics.median(ours) / statistics.median(base):.2f}x")


def bench_memory(pages: int) -> None:
    from devices.doccam.simulator import SimulatedDocumentCamera
    specs = _pages()
    camera = SimulatedDocumentCamera(width=1920, height=1080, fps=60, analyse_fps=60, steady_seconds=0.05)
    taken = threading.Event()
    got: list = []
    camera.events.subscribe(lambda ev, p: (got.append(p), taken.set()) if ev == "page" else None)
    attachments: list[bytes] = []
    camera.capture()
    marks = {}
    try:
        for i in range(1, pages + 1):
            taken.clear()
            camera.place(None)
            time.sleep(0.05)
            camera.place(specs[i % len(specs)], seed=i)
            if not taken.wait(20):
                raise SystemExit(f"page {i} was not taken")
            attachments.append(encode_page(got.pop().image))
            if i % 10 == 0:
                attachments.clear()          # the session ends: its pages are wiped
                gc.collect()
                marks[i] = rss_kib()
    finally:
        camera.release()
    first, last = marks[min(marks)], marks[max(marks)]
    print(f"memory over {pages} pages captured in a row: RSS {first / 1024:.1f} MiB after page {min(marks)}, "
          f"{last / 1024:.1f} MiB after page {max(marks)}: {(last - first) / 1024:+.1f} MiB "
          f"({'flat' if last - first < 5 * 1024 else 'GROWING'}); frames judged {camera.frames_judged}")


def calibrate() -> None:
    from kiosk.review.ocr import engine
    eng = engine()
    card = specimens.id_card_front("张小样", "371702195001010000")
    for seed in (1, 2):
        for label, kwargs in ([("blur", {"blur": b}) for b in (1.5, 2.0, 2.5, 3.0)] +
                              [("light", {"light": v}) for v in (0.45, 0.35, 0.25)] +
                              [("glare", {"glare": g}) for g in (0.005, 0.01, 0.04)]):
            v = quality.judge(synthetic.photo(card, seed=seed, **kwargs).frame)
            text = "".join(line.text for line in eng.read(v.page)).replace(" ", "") if v.page is not None else ""
            print(f"seed {seed} {label} {list(kwargs.values())[0]}: codes {list(v.codes)} "
                  f"sharpness {v.measures.get('sharpness', 0):.3f} light {v.measures.get('light', 0):.0f} "
                  f"glare {v.measures.get('glare', 0):.4f} OCR name {'张小样' in text} number {'371702195001010000' in text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--memory", type=int, default=50)
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return
    bench_verdict(args.frames)
    bench_memory(args.memory)
    if args.pages:
        bench_ocr(args.pages)


if __name__ == "__main__":
    main()
