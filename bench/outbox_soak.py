#!/usr/bin/env python3
"""Longer kill -9 soak than the test suite runs: N rounds of enqueue+deliver killed at random points.

    .venv/bin/python bench/outbox_soak.py [ROUNDS] [SEED]

Same child and checks as tests/e2e/test_kill9.py (half the rounds through a proxy that resets the
connection after the platform committed). Prints what was acknowledged, delivered, lost and duplicated;
the last two must be 0.
"""
from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from offline_cache.outbox import Outbox  # noqa: E402
from offline_cache.platform_client import PlatformClient  # noqa: E402
from offline_cache.sync import SyncWorker  # noqa: E402
from platform_server.process import PlatformProcess  # noqa: E402
from tests.e2e.tcp_proxy import TcpProxy  # noqa: E402
from tests.e2e.test_kill9 import run_round  # noqa: E402

TID = "HZ-TEST-0001"


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, PlatformProcess(Path(tmp) / "platform.db", terminal_id=TID) as server:
        data_dir = Path(tmp) / "data"
        proxy = TcpProxy("127.0.0.1", server.port)
        acked: dict[str, str] = {}
        for r in range(rounds):
            proxy.set_mode("reset_after_commit", resets=2) if r % 2 else proxy.set_mode("pass")
            acked.update(dict(run_round(data_dir, proxy.url, server.token, r, rng)))
        proxy.close()
        box = Outbox(data_dir, TID)
        worker = SyncWorker(box, PlatformClient(server.url, server.token, TID), retry_initial=0.02,
                            retry_max=0.2, heartbeat_interval=3600)
        flushed = worker.flush(300)
        with sqlite3.connect(server.db_path) as db:
            server_ids = [row[0] for row in db.execute("SELECT local_id FROM submissions")]
        outbox_ids = {row["local_id"] for row in box.items(limit=10**7)}
        box.close()
    lost = len(set(acked) - set(server_ids))
    duplicated = len(server_ids) - len(set(server_ids))
    unknown = len(set(server_ids) ^ outbox_ids)
    print(f"kill -9 soak: {rounds} rounds in {time.monotonic() - started:.0f} s")
    print(f"  acknowledged to citizens {len(acked)}, queued in total {len(outbox_ids)}, on the platform "
          f"{len(server_ids)}; flushed: {flushed}")
    print(f"  lost {lost}, duplicated {duplicated}, outbox/platform disagreement {unknown}")
    return 0 if flushed and lost == duplicated == unknown == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
