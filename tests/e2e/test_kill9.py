"""kill -9 of a process that enqueues and delivers, at random points, many times; then exactly-once.

Each round starts tests/e2e/outbox_child.py on the same data_dir and kills it (SIGKILL) after a random
delay: in the middle of an enqueue transaction, an attachment upload, a POST whose answer is on its way,
or the bookkeeping after it. Some rounds go through a proxy that resets connections after the platform
committed. Afterwards one clean flush runs, and:
  - every submission acknowledged to a citizen ("ACK") is on the platform exactly once, with its own data;
  - the platform holds nothing the outbox does not know, and nothing twice;
  - every outbox receipt carries the tracking number the platform gave that submission.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from offline_cache.outbox import Outbox
from offline_cache.platform_client import PlatformClient
from offline_cache.sync import SyncWorker
from tests.e2e.conftest import TERMINAL_ID
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e
CHILD = Path(__file__).with_name("outbox_child.py")
ROUNDS = int(os.environ.get("KILL9_ROUNDS", "16"))


def run_round(data_dir: Path, url: str, token: str, round_no: int, rng: random.Random) -> list[tuple[str, str]]:
    proc = subprocess.Popen([sys.executable, str(CHILD), str(data_dir), url, token, str(round_no), "40"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout.readline().strip() == "READY"
    time.sleep(rng.uniform(0.0, 0.6))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=10)
    acks = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ACK":
            acks.append((parts[1], parts[2]))
    return acks


def test_kill_minus_9_at_random_points_loses_and_duplicates_nothing(data_dir, platform_server):
    rng = random.Random(int(os.environ.get("KILL9_SEED", "20261127")))
    proxy = TcpProxy("127.0.0.1", platform_server.port)
    acked: dict[str, str] = {}
    try:
        for round_no in range(ROUNDS):
            if round_no % 2:
                proxy.set_mode("reset_after_commit", resets=2)
            else:
                proxy.set_mode("pass")
            for local_id, marker in run_round(data_dir, proxy.url, platform_server.token, round_no, rng):
                acked[local_id] = marker
    finally:
        proxy.close()
    assert len(acked) > ROUNDS  # the rounds really did queue work before dying

    box = Outbox(data_dir, TERMINAL_ID)
    worker = SyncWorker(box, PlatformClient(platform_server.url, platform_server.token, TERMINAL_ID),
                        retry_initial=0.02, retry_max=0.2, heartbeat_interval=3600)
    assert worker.flush(90)
    status = box.status()
    assert status["pending"] == 0 and status["dead"] == 0

    with sqlite3.connect(platform_server.db_path) as db:
        rows = db.execute("SELECT local_id, tracking_no, body FROM submissions").fetchall()
    server_ids = [r[0] for r in rows]
    assert len(server_ids) == len(set(server_ids)), "a submission reached the platform twice"
    outbox_ids = {r["local_id"] for r in box.items(limit=100000)}
    assert set(server_ids) == outbox_ids
    assert set(acked) <= outbox_ids, "a submission acknowledged to a citizen was lost"
    for local_id, tracking_no, body in rows:
        assert box.receipt(local_id)["tracking_no"] == tracking_no
        if local_id in acked:
            assert json.loads(body)["payload"]["screen"] == acked[local_id]
    box.close()
