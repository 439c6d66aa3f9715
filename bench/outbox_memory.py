#!/usr/bin/env python3
"""Memory of a terminal process over 10,000 submissions: enqueue and deliver in blocks, RSS after each block.

    .venv/bin/python bench/outbox_memory.py [N] [BLOCK]

A kiosk runs for months; the outbox and the worker must not accumulate anything per item. The platform
runs as its own process (its memory is not counted). Prints RSS per block and the growth between the
second block (after imports and caches warmed up) and the last; "flat" means under 5 MiB.
"""
from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from offline_cache.outbox import Outbox  # noqa: E402
from offline_cache.platform_client import PlatformClient  # noqa: E402
from offline_cache.sync import SyncWorker  # noqa: E402
from platform_server.process import PlatformProcess  # noqa: E402

TID = "HZ-BENCH-0001"


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    block = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with tempfile.TemporaryDirectory() as tmp, PlatformProcess(Path(tmp) / "platform.db", terminal_id=TID) as server:
        box = Outbox(Path(tmp) / "data", TID)
        events = []
        box.events.subscribe(lambda e, d: events.append(1) if e == "delivered" else None)
        worker = SyncWorker(box, PlatformClient(server.url, server.token, TID), retry_initial=0.05, retry_max=1,
                            heartbeat_interval=3600)
        samples = []
        done = 0
        print(f"{'items':>8}{'RSS MiB':>10}")
        while done < n:
            for i in range(block):
                attach = [("scan.jpg", "image/jpeg", bytes([i % 256]) * 20_000)] if i % 10 == 0 else []
                box.enqueue("application", {"matter_code": f"M-{done + i}", "matter_name": "材料齐全" * 20}, attach)
            assert worker.flush(600)
            done += block
            events.clear()
            gc.collect()
            samples.append(rss_kib())
            print(f"{done:8d}{samples[-1] / 1024:10.1f}")
        status = box.status()
        box.close()
    growth = (samples[-1] - samples[min(1, len(samples) - 1)]) / 1024
    print(f"delivered {status['delivered']} items; RSS growth from item {block * 2} to {n}: {growth:+.1f} MiB "
          f"({'flat' if growth < 5 else 'GROWING'})")


if __name__ == "__main__":
    main()
