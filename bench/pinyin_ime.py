"""Candidate-bar latency of the on-screen pinyin keyboard, per key.

    .venv/bin/python bench/pinyin_ime.py [--repeat 5]

Types pinyin strings one letter at a time into kiosk.pinyin_ime and into a baseline measured in the
same run: the same lexicon as one flat list, scanned entry by entry on every key (no index by
initials). Prints best-of-repeat p50/p99 per key and the ratio.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import CONFIG_DIR  # noqa: E402
from kiosk.guides.loader import load_pack  # noqa: E402
from kiosk.pinyin_ime import Lexicon, PinyinIME, guide_words  # noqa: E402

TYPED = ["shenfenzheng", "sfz", "laonianrenyoudaizheng", "yibao", "gongjijintiqu", "chengxiangjuminyanglao",
         "hukouqianyi", "canjirenzheng", "zhongguo", "xian", "nihao", "shebaoka", "yidijiuyi"]


def flat_scan(entries, lexicon: Lexicon, letters: str, limit: int = 8):
    segs = lexicon.segment(letters)
    out = []
    for n in range(len(segs), 0, -1):
        for rank, text, syls in entries:
            if len(syls) == n and all(s.startswith(g) for s, g in zip(syls, segs[:n])):
                out.append((rank, text))
        if len(out) >= limit:
            break
    return sorted(out)[:limit]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    lex = Lexicon.build(guide_words(load_pack(CONFIG_DIR / "content")))
    build_s = time.perf_counter() - t0
    entries = [e for lst in lex.by_initials.values() for e in lst]

    def measure(fn):
        best = []
        for word in TYPED:
            per = [float("inf")] * len(word)
            for _ in range(args.repeat):
                ime = PinyinIME(lex)
                for k, ch in enumerate(word):
                    t = time.perf_counter()
                    fn(ime, ch)
                    per[k] = min(per[k], (time.perf_counter() - t) * 1000)
            best += per
        return best

    def ours(ime, ch):
        ime.type(ch)
        ime.candidates

    def base(ime, ch):
        ime.composing += ch
        flat_scan(entries, lex, ime.composing)

    a, b = measure(ours), measure(base)
    print(f"pinyin keyboard, lexicon of {len(entries)} entries built in {build_s:.2f} s, {len(a)} keys, "
          f"best of {args.repeat}")
    print(f"{'':24}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'kiosk.pinyin_ime':24}{pct(a, 50):10.2f}{pct(a, 99):10.2f}")
    print(f"{'flat scan (baseline)':24}{pct(b, 50):10.2f}{pct(b, 99):10.2f}")
    print(f"{'ratio baseline/ours':24}{pct(b, 50) / pct(a, 50):9.1f}x{pct(b, 99) / pct(a, 99):9.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
