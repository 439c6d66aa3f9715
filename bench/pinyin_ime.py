"""Candidate-bar latency of the on-screen pinyin keyboard, per key.

    .venv/bin/python bench/pinyin_ime.py [--passes 1]

Types pinyin strings one letter at a time into kiosk.pinyin_ime and into a baseline measured in the
same run, word by word alternately: the same lexicon as one flat list, scanned once, entry by entry,
on every key (no index by initials), the longest matches first as the keyboard shows them.
Every key is timed once, a fresh keyboard for every word; `--passes N` types the list N times and
keeps every timing. Prints the raw p50 / p99 / max per key and the ratios.
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
    """One pass over the whole lexicon: entries whose syllables start with the typed segments, grouped
    by how many syllables they cover; the longest groups fill the bar first, best rank first."""
    segs = lexicon.segment(letters)
    groups: dict[int, list] = {}
    for rank, text, syls in entries:
        n = len(syls)
        if n <= len(segs) and all(s.startswith(g) for s, g in zip(syls, segs)):
            groups.setdefault(n, []).append((rank, text))
    out = []
    for n in sorted(groups, reverse=True):
        out += groups[n]
        if len(out) >= limit:
            break
    return sorted(out)[:limit]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=1, help="type the word list this many times")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    lex = Lexicon.build(guide_words(load_pack(CONFIG_DIR / "content")))
    build_s = time.perf_counter() - t0
    entries = [e for lst in lex.by_initials.values() for e in lst]

    def ours(ime, ch):
        ime.type(ch)
        ime.candidates

    def base(ime, ch):
        ime.composing += ch
        flat_scan(entries, lex, ime.composing)

    times: dict[str, list[float]] = {"ours": [], "base": []}
    for _ in range(args.passes):
        for word in TYPED:
            for name, fn in (("ours", ours), ("base", base)):
                ime = PinyinIME(lex)
                for ch in word:
                    t = time.perf_counter()
                    fn(ime, ch)
                    times[name].append((time.perf_counter() - t) * 1000)
    a, b = times["ours"], times["base"]
    print(f"pinyin keyboard, lexicon of {len(entries)} entries built in {build_s:.2f} s, {len(a)} keys "
          f"({len(TYPED)} words x {args.passes} pass), each timed once")
    print(f"{'':24}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    print(f"{'kiosk.pinyin_ime':24}{pct(a, 50):10.2f}{pct(a, 99):10.2f}{max(a):10.2f}")
    print(f"{'flat scan (baseline)':24}{pct(b, 50):10.2f}{pct(b, 99):10.2f}{max(b):10.2f}")
    print(f"{'ratio baseline/ours':24}{pct(b, 50) / pct(a, 50):9.1f}x{pct(b, 99) / pct(a, 99):9.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
