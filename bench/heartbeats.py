#!/usr/bin/env python3
"""Heartbeats per second the reference platform takes from a simulated fleet, on SQLite and on PostgreSQL.

    .venv/bin/python bench/heartbeats.py [--terminals 5000] [--seconds 20] [--clients 16] [--only sqlite|postgres]

5,000 terminals beating once every 60 s need 5000/60 = 83.3 heartbeats/s. For each database the real server
process (platform_server, a token per terminal, 16 threads of loopback HTTP clients) first receives one beat
from every terminal (so the fleet table is full), then beats as fast as the clients can send them for
`--seconds`; the sustained rate is compared with the 83.3/s needed, and the single-beat latency is given as
raw percentiles. SQLite runs with synchronous=FULL (as always); the PostgreSQL cluster is a throwaway one
with fsync ON (the same durability). Both in the same run, on the same machine, clients included (the
load generator shares the 2 cores with the server: the figure is a floor).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from platform_server.pgtemp import TempCluster  # noqa: E402
from platform_server.process import PlatformProcess  # noqa: E402

NEEDED_PER_TERMINAL_S = 60.0


def body(i: int) -> dict:
    return {"at": "2026-11-30T10:00:00+08:00", "version": "0.1.0",
            "devices": [{"name": n, "state": "online", "detail": ""} for n in ("idcard", "sscard", "receipt", "a4")],
            "outbox": {"pending": i % 3, "dead": 0, "oldest_pending_age_s": 0}, "content_version": "2026.11.27",
            "free_disk_mb": 20000, "uptime_s": 3600, "alerts": [],
            "terminal": {"name": f"终端 {i}", "level": "village", "region_code": f"3717{i % 9 + 1:02d}"}}


def run_load(server: PlatformProcess, ids: list[str], clients: int, seconds: float | None) -> tuple[int, float, list]:
    """Beats until `seconds` passed (None: every terminal once). Returns (count, elapsed, latencies)."""
    lock = threading.Lock()
    state = {"next": 0, "count": 0, "errors": 0}
    latencies: list[float] = []
    stop_at = None if seconds is None else time.perf_counter() + seconds

    def client():
        session = requests.Session()
        mine = []
        while True:
            with lock:
                n = state["next"]
                state["next"] += 1
            if stop_at is None and n >= len(ids):
                break
            if stop_at is not None and time.perf_counter() >= stop_at:
                break
            tid = ids[n % len(ids)]
            t = time.perf_counter()
            r = session.post(f"{server.url}/api/v1/terminals/{tid}/heartbeat", json=body(n % len(ids)),
                             headers={"Authorization": f"Bearer tok-{tid}", "X-Terminal-Id": tid}, timeout=30)
            mine.append(time.perf_counter() - t)
            with lock:
                state["count" if r.status_code == 204 else "errors"] += 1
        with lock:
            latencies.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if state["errors"]:
        raise SystemExit(f"{state['errors']} heartbeats refused")
    return state["count"], time.perf_counter() - t0, latencies


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def bench(name: str, database: str | None, folder: Path, args) -> dict:
    ids = [f"HZ-{i:05d}" for i in range(args.terminals)]
    tokens = {f"tok-{t}": t for t in ids}
    with PlatformProcess(folder / name / "platform.db", tokens=tokens, database=database,
                         startup_timeout=120) as server:
        n0, t0, _ = run_load(server, ids, args.clients, None)
        count, elapsed, lat = run_load(server, ids, args.clients, args.seconds)
        fleet = server.sql("SELECT count(*) FROM terminals")[0][0]
    rate = count / elapsed
    return {"name": name, "first_round": n0 / t0, "rate": rate, "p50": statistics.median(lat) * 1000,
            "p99": pct(lat, 99), "count": count, "fleet": fleet}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--terminals", type=int, default=5000)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--only", choices=["sqlite", "postgres"])
    args = p.parse_args()
    needed = args.terminals / NEEDED_PER_TERMINAL_S
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only != "postgres":
            results.append(bench("sqlite", None, folder, args))
        if args.only != "sqlite":
            why = TempCluster.unavailable()
            if why:
                print(f"PostgreSQL skipped: {why}")
            else:
                with TempCluster(fsync=True) as cluster:
                    results.append(bench("postgres", cluster.new_database("bench"), folder, args))
    print(f"{args.terminals} terminals, one beat each per {NEEDED_PER_TERMINAL_S:.0f} s: needed {needed:.1f} beats/s")
    print(f"{'database':10} {'first round/s':>14} {'sustained/s':>12} {'× needed':>9} {'p50 ms':>8} {'p99 ms':>8}"
          f" {'beats':>7} {'fleet rows':>10}")
    for r in results:
        print(f"{r['name']:10} {r['first_round']:14.1f} {r['rate']:12.1f} {r['rate'] / needed:9.2f} "
              f"{r['p50']:8.1f} {r['p99']:8.1f} {r['count']:7d} {r['fleet']:10d}")
    return 0 if all(r["rate"] >= needed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
