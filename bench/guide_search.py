"""Per-keystroke guide search latency on a generated 10,000-matter catalogue.

    .venv/bin/python bench/guide_search.py [--matters 10000] [--passes 1]

Types each query one key at a time, as the on-screen keyboard does, into kiosk.guides.search and
into a baseline measured in the same run: a naive scan that, on every key, tests every matter once
against one precomputed string of its name, aliases and keywords with their full pinyin and initials
(hanzi or pinyin substring) and sorts the matches — no index, no incremental narrowing, no typo or
synonym support. The two are typed alternately, query by query, so they see the same machine load.

Every keystroke is timed once; the search's cache is cleared before each query (typing starts from
an empty box) and nothing is warmed or repeated. `--passes N` types the whole list N times and keeps
every timing. Printed: the raw p50 / p99 / max of those single timings. The target is p99 <= 10 ms.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.guides.search import SearchIndex, normalize_query, to_syllables  # noqa: E402
from kiosk.guides.synthetic import generate_matters  # noqa: E402

QUERIES = [
    "shenfenzheng", "sfzhl", "shenfzhuanl", "spjyxkz", "shipinjingyingxukezheng", "yanglaobaoxian",
    "zhuxiaodengji", "zhuxiaodengjo", "biangengdengji", "gongjijinzhuanyi", "ylbxzyjx", "hunyin",
    "dengji", "tzsbsydj", "jiashizheng", "zhaiji", "营业执照变更", "身份证换领", "养老保险", "婚姻登记",
    "yingyezhizhao", "lvxingshe", "cuzuqiche",   # the last one has a typo (chuzu)
]


class NaiveSearch:
    """The baseline: one linear pass over every matter on every keystroke."""

    def __init__(self, matters):
        self.rows = []
        for m in matters:
            texts = [m.name, *m.aliases, *m.keywords]
            syl = [to_syllables(t) for t in texts]
            # one string per matter; the separator keeps a match from spanning two texts
            hay = "\x00".join([*texts, *("".join(s) for s in syl), *("".join(x[0] for x in s) for s in syl)])
            self.rows.append((m, hay))

    def search(self, query: str, limit: int = 20):
        q = normalize_query(query)
        found = [m for m, hay in self.rows if q in hay]
        found.sort(key=lambda m: (-m.popularity, m.name))
        return found[:limit]


def _keystrokes(query: str) -> list[str]:
    return [query[:k] for k in range(1, len(query) + 1)]


def measure(engines, passes: int) -> dict[str, list[float]]:
    """Every keystroke of every query timed once per pass, for each (name, search, reset) engine."""
    raw: dict[str, list[float]] = {name: [] for name, _, _ in engines}
    for _ in range(passes):
        for query in QUERIES:
            for name, search, reset in engines:
                reset()
                for typed in _keystrokes(query):
                    t0 = time.perf_counter()
                    search(typed)
                    raw[name].append((time.perf_counter() - t0) * 1000)
    return raw


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--matters", type=int, default=10_000)
    ap.add_argument("--passes", type=int, default=1, help="type the query list this many times")
    args = ap.parse_args(argv)

    matters = generate_matters(args.matters)
    t0 = time.perf_counter()
    index = SearchIndex(matters)
    build_s = time.perf_counter() - t0
    naive = NaiveSearch(matters)

    ours_name, base_name = "kiosk.guides.search", "naive scan (baseline)"
    raw = measure([(ours_name, index.search, index._cache.clear), (base_name, naive.search, lambda: None)],
                  args.passes)
    ours, base = raw[ours_name], raw[base_name]
    print(f"guide search, {len(matters)} matters, {len(index.terms)} distinct terms, {len(ours)} keystrokes "
          f"({len(QUERIES)} queries x {args.passes} pass), each timed once; index built in {build_s:.2f} s")
    print(f"{'':22}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, vals in ((ours_name, ours), (base_name, base)):
        print(f"{name:22}{pct(vals, 50):10.2f}{pct(vals, 99):10.2f}{max(vals):10.2f}")
    print(f"{'ratio baseline/ours':22}{pct(base, 50) / pct(ours, 50):9.1f}x{pct(base, 99) / pct(ours, 99):9.1f}x")
    ok = pct(ours, 99) <= 10.0
    print(f"target p99 <= 10 ms per keystroke: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
