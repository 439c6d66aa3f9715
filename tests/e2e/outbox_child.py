"""Child process of the kill -9 test: enqueue and deliver in turns until killed.

    python outbox_child.py DATA_DIR URL TOKEN ROUND COUNT

Prints READY once imported, then `ACK <local_id> <marker>` right after each enqueue returned (the moment
the kiosk would tell the citizen "已提交").
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from offline_cache.outbox import Outbox  # noqa: E402
from offline_cache.platform_client import PlatformClient  # noqa: E402
from offline_cache.sync import SyncWorker  # noqa: E402


def main() -> None:
    data_dir, url, token, round_no, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    box = Outbox(data_dir, "HZ-TEST-0001")
    worker = SyncWorker(box, PlatformClient(url, token, "HZ-TEST-0001", connect_timeout=2, read_timeout=5),
                        retry_initial=0.02, retry_max=0.2, heartbeat_interval=3600)
    print("READY", flush=True)
    for i in range(count):
        marker = f"r{round_no}-{i}"
        files = [(f"{marker}.jpg", "image/jpeg", marker.encode() * 200)] if i % 3 == 0 else []
        local_id = box.enqueue("help_request", {"screen": marker}, files)
        print(f"ACK {local_id} {marker}", flush=True)
        for _ in range(2):
            worker.step(heartbeat=False)
    worker.flush(30)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
