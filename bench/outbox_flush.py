#!/usr/bin/env python3
"""Flush throughput of the sync worker against a plain requests loop posting the same bodies.

    .venv/bin/python bench/outbox_flush.py [N]

One platform server process (platform_server, its own SQLite file). The baseline is the least a client
can do: one requests.Session posting N prepared submissions in a loop (each with its own
Idempotency-Key). The worker does the real thing: load, decrypt, POST, mark delivered, purge.
Runs alternate (baseline, worker, baseline, worker) and the best of each is compared. Target >= 0.8x.
"""
from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from offline_cache.outbox import Outbox, now_rfc3339  # noqa: E402
from offline_cache.platform_client import PlatformClient  # noqa: E402
from offline_cache.sync import SyncWorker  # noqa: E402
from platform_server.process import PlatformProcess  # noqa: E402

TID = "HZ-BENCH-0001"
PAYLOAD = {"matter_name": "居住证办理", "phone": "13905301234", "delivery": "window",
           "form": {"title": "居住证申请表", "fields": [{"label": "申请事由", "value": "申请办理居住证，材料齐全。" * 4},
                                                   {"label": "是否首次", "value": "否"}]}}


def plain_loop(server: PlatformProcess, n: int, tag: str) -> float:
    session = requests.Session()
    session.headers.update(server.headers(TID))
    bodies = [{"kind": "application", "local_id": f"BASE-{tag}-{i:05d}", "created_at": now_rfc3339(),
               "payload": PAYLOAD, "attachments": []} for i in range(n)]
    t = time.perf_counter()
    for body in bodies:
        r = session.post(server.url + "/api/v1/submissions", json=body, timeout=(5, 20),
                         headers={"Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
    elapsed = time.perf_counter() - t
    session.close()
    return n / elapsed


def worker_flush(server: PlatformProcess, folder: Path, n: int) -> float:
    box = Outbox(folder, TID)
    for _ in range(n):
        box.enqueue("application", PAYLOAD)
    worker = SyncWorker(box, PlatformClient(server.url, server.token, TID), retry_initial=0.05, retry_max=1,
                        heartbeat_interval=3600)
    t = time.perf_counter()
    assert worker.flush(600)
    elapsed = time.perf_counter() - t
    assert box.status()["delivered"] == n
    box.close()
    return n / elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp, PlatformProcess(Path(tmp) / "platform.db", terminal_id=TID) as server:
        plain_loop(server, 50, "warm")
        base, ours = [], []
        for run in range(2):
            base.append(plain_loop(server, n, f"r{run}"))
            ours.append(worker_flush(server, Path(tmp) / f"outbox{run}", n))
    b, o = max(base), max(ours)
    print(f"flush throughput, {n} submissions without attachments, best of 2 runs")
    print(f"{'plain requests loop':28}{b:10.1f} items/s")
    print(f"{'SyncWorker.flush':28}{o:10.1f} items/s")
    print(f"ratio worker/plain: {o / b:.2f}x   target >= 0.8x: {'met' if o / b >= 0.8 else 'NOT met'}")


if __name__ == "__main__":
    main()
