"""The staff commands as staff run them (`run_kiosk.py outbox ...` in a subprocess), and storage failures:
a really full disk (a small tmpfs) and a corrupt database file."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from offline_cache.outbox import Outbox, OutboxFullError
from tests.e2e.conftest import TERMINAL_ID

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def kiosk(data_dir: Path, platform, *args: str, token: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_STORAGE_DATA_DIR=str(data_dir), KIOSK_TERMINAL_ID=TERMINAL_ID,
               KIOSK_PLATFORM_URL=platform.url if platform else "http://127.0.0.1:9",
               KIOSK_PLATFORM_TOKEN=token or (platform.token if platform else "x"),
               KIOSK_OUTBOX_RETRY_INITIAL="0.05", KIOSK_OUTBOX_RETRY_MAX="0.3",
               KIOSK_PLATFORM_CONNECT_TIMEOUT="1", KIOSK_PLATFORM_READ_TIMEOUT="5")
    return subprocess.run([sys.executable, str(ROOT / "run_kiosk.py"), "outbox", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_submit_status_flush_as_staff_do(data_dir, tmp_path, platform_server):
    payload = tmp_path / "payload.json"
    # a complaint as the terminal sends it (the platform refuses keys a kind does not have: platform_server/payloads.py)
    payload.write_text(json.dumps({"problem_words": "路面坏了", "note": "村道需要修补", "anonymous": True},
                                  ensure_ascii=False), encoding="utf-8")
    photo = tmp_path / "路面.jpg"
    photo.write_bytes(b"\xff\xd8 road")
    done = kiosk(data_dir, platform_server, "submit", "--kind", "complaint", "--payload-file", str(payload),
                 "--attach", str(photo))
    assert done.returncode == 0, done.stderr
    local_id = done.stdout.strip().splitlines()[-1]
    assert local_id.startswith("HZ0001-")
    status = kiosk(data_dir, platform_server, "status", "--json")
    assert json.loads(status.stdout) == {"pending": 1, "delivered": 0, "dead": 0,
                                         "oldest_pending_age_s": json.loads(status.stdout)["oldest_pending_age_s"]}
    flushed = kiosk(data_dir, platform_server, "flush", "--timeout", "30")
    assert flushed.returncode == 0, flushed.stderr
    assert json.loads(kiosk(data_dir, platform_server, "status", "--json").stdout)["delivered"] == 1
    with sqlite3.connect(platform_server.db_path) as db:
        assert db.execute("SELECT local_id FROM submissions").fetchall() == [(local_id,)]


def test_flush_exit_codes_offline_dead_and_unauthorized(data_dir, tmp_path, platform_server):
    payload = tmp_path / "p.json"
    payload.write_text(json.dumps({"score": 9}), encoding="utf-8")
    assert kiosk(data_dir, None, "submit", "--kind", "evaluation", "--payload-file", str(payload)).returncode == 0
    offline = kiosk(data_dir, None, "flush", "--timeout", "1")
    assert offline.returncode == 1  # still pending: the platform is unreachable
    refused = kiosk(data_dir, platform_server, "flush", "--timeout", "10", token="wrong")
    assert refused.returncode == 4 and "platform_unauthorized" in refused.stderr
    dead = kiosk(data_dir, platform_server, "flush", "--timeout", "10")
    assert dead.returncode == 3 and "http_422:invalid_submission" in dead.stderr
    assert "dead" in kiosk(data_dir, platform_server, "status").stdout
    assert "1" in kiosk(data_dir, platform_server, "retry-dead").stdout
    assert json.loads(kiosk(data_dir, platform_server, "status", "--json").stdout)["pending"] == 1


def test_bad_submit_input_gets_plain_words_and_a_code(data_dir, tmp_path):
    missing = kiosk(data_dir, None, "submit", "--kind", "complaint", "--payload-file", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cli_payload_missing" in missing.stderr and "找不到" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    invalid = kiosk(data_dir, None, "submit", "--kind", "complaint", "--payload-file", str(bad))
    assert invalid.returncode == 2 and "cli_payload_invalid" in invalid.stderr
    bad.write_text("{}", encoding="utf-8")
    kind = kiosk(data_dir, None, "submit", "--kind", "lottery", "--payload-file", str(bad))
    assert kind.returncode == 2 and "outbox_invalid_kind" in kind.stderr
    assert "Traceback" not in missing.stderr + invalid.stderr + kind.stderr


def test_corrupt_database_stops_the_commands_with_a_clear_error(data_dir, tmp_path):
    payload = tmp_path / "p.json"
    payload.write_text("{}", encoding="utf-8")
    assert kiosk(data_dir, None, "submit", "--kind", "complaint", "--payload-file", str(payload)).returncode == 0
    db = data_dir / "outbox.db"
    raw = bytearray(db.read_bytes())
    raw[100:4096] = os.urandom(3996)  # the schema page is destroyed
    db.write_bytes(bytes(raw))
    for extra in ("outbox.db-wal", "outbox.db-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    result = kiosk(data_dir, None, "submit", "--kind", "complaint", "--payload-file", str(payload))
    assert result.returncode == 3
    assert "outbox_corrupt" in result.stderr and "损坏" in result.stderr and "Traceback" not in result.stderr
    assert "outbox_corrupt" in (data_dir / "staff-alerts.log").read_text(encoding="utf-8")
    assert db.read_bytes() == bytes(raw)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs: a disk that really fills up (needs root and mount; skipped elsewhere)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_really_full_disk_refuses_in_plain_words_and_keeps_what_was_acknowledged(small_disk):
    box = Outbox(small_disk / "data", TERMINAL_ID)
    alerts = []
    box.events.subscribe(lambda e, d: alerts.append(d["code"]) if e == "alert" else None)
    acknowledged = []
    with pytest.raises(OutboxFullError) as exc:
        for i in range(200):
            acknowledged.append(box.enqueue("application", {"n": i},
                                            [("scan.jpg", "image/jpeg", os.urandom(20000) + uuid.uuid4().bytes)]))
    assert exc.value.code == "outbox_disk_full" and "已满" in exc.value.message
    assert len(acknowledged) >= 5  # it filled up while working, not at the first write
    assert "outbox_disk_full" in alerts
    box.close()
    reopened = Outbox(small_disk / "data", TERMINAL_ID)
    assert reopened.status()["pending"] == len(acknowledged)
    for i, local_id in enumerate(acknowledged):
        assert reopened.load(local_id).body["payload"] == {"n": i}
    reopened.close()
