#!/usr/bin/env python3
"""Durable enqueue latency (no attachments) against a bare SQLite insert+commit, in the same run.

    .venv/bin/python bench/outbox_enqueue.py [N]

Both sides write to a file in the same temporary folder with WAL and synchronous=FULL, so the baseline
pays the same fsync; the difference is what the outbox adds (SM4-GCM sealing, local number, key, JSON).
The two run in interleaved blocks of 100 so that both meet the same disk and the same background load.
Target: outbox p99 <= 5 ms.
"""
from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from offline_cache.outbox import Outbox  # noqa: E402

PAYLOAD = {"matter": "居住证办理", "text": "申请人在菏泽市牡丹区居住满半年，申请办理居住证。" * 3, "phone_ref": "P-1",
           "answers": {"q1": True, "q2": "否", "q3": [1, 2, 3]}}


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] * 1000


class Bare:
    """The baseline: one INSERT of the same JSON in its own transaction."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE items (id TEXT PRIMARY KEY, body TEXT)")

    def one(self) -> None:
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO items VALUES (?, ?)",
                          (str(uuid.uuid4()), json.dumps(PAYLOAD, ensure_ascii=False)))
        self.conn.execute("COMMIT")


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    b: list[float] = []
    o: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        bare = Bare(Path(tmp) / "bare")
        box = Outbox(Path(tmp) / "outbox", "HZ-BENCH-0001")
        timed(bare.one, 50), timed(lambda: box.enqueue("application", PAYLOAD), 50)  # warm up
        # interleaved blocks: both sides see the same disk and the same neighbours' load
        for _ in range(max(1, n // 100)):
            b += timed(bare.one, 100)
            o += timed(lambda: box.enqueue("application", PAYLOAD), 100)
        box.close()
    print(f"durable enqueue, {n} items, WAL + synchronous=FULL on both sides")
    print(f"{'':28}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    print(f"{'bare sqlite insert+commit':28}{pct(b, 50):10.3f}{pct(b, 99):10.3f}{statistics.mean(b) * 1000:10.3f}")
    print(f"{'Outbox.enqueue (sealed)':28}{pct(o, 50):10.3f}{pct(o, 99):10.3f}{statistics.mean(o) * 1000:10.3f}")
    print(f"ratio outbox/bare: p50 {pct(o, 50) / pct(b, 50):.2f}x  p99 {pct(o, 99) / pct(b, 99):.2f}x   "
          f"target p99 <= 5 ms: {'met' if pct(o, 99) <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
