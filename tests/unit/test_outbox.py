"""The outbox on a real SQLite file: durability, encryption at rest, purge, migrations, storage failures."""
from __future__ import annotations

import os
import re
import sqlite3
import stat

import pytest

from offline_cache import crypto
from offline_cache.export import export_outbox, read_export
from offline_cache.outbox import (MIGRATIONS, SCHEMA_VERSION, Outbox, OutboxCorruptError, OutboxError,
                                  OutboxFullError, OutboxInvalidError, local_prefix)
import sqlite_utils

SECRET_NAME = "欧阳测试"
SECRET_ID = "371729198001010027"
LOCAL_ID = re.compile(r"^HZ0001-\d{8}-\d{4}$")


def payload():
    return {"name": SECRET_NAME, "id_number": SECRET_ID, "text": "村口路灯不亮"}


def raw_files(data_dir):
    """Every byte the outbox left on disk (database, WAL, key excluded)."""
    out = b""
    for p in data_dir.iterdir():
        if p.name.startswith("outbox.db"):
            out += p.read_bytes()
    return out


def test_enqueue_is_durable_and_numbers_are_readable(data_dir):
    box = Outbox(data_dir, "HZ-DEMO-0001")
    first = box.enqueue("complaint", payload(), [("户口簿.jpg", "image/jpeg", b"\xff\xd8page")])
    second = box.enqueue("evaluation", {"score": 5})
    key_before = box.load(first).idem_key
    box.close()
    box = Outbox(data_dir, "HZ-DEMO-0001")  # a restart
    assert LOCAL_ID.match(first) and LOCAL_ID.match(second)
    assert int(second[-4:]) == int(first[-4:]) + 1
    item = box.load(first)
    assert item.body["payload"] == payload() and item.body["local_id"] == first
    assert item.idem_key == key_before  # the same key for every retry, across restarts
    assert box.attachment_data(first, 0) == b"\xff\xd8page"
    assert box.receipt(first)["state"] == "pending" and box.receipt(first)["tracking_no"] is None
    assert box.status()["pending"] == 2
    mode = box._conn.execute("PRAGMA journal_mode").fetchone()[0]
    sync = box._conn.execute("PRAGMA synchronous").fetchone()[0]
    assert mode == "wal" and sync == 2  # 2 = FULL


def test_personal_data_is_encrypted_at_rest_with_a_private_key_file(data_dir):
    box = Outbox(data_dir)
    box.enqueue("complaint", payload(), [("身份证正面.jpg", "image/jpeg", b"PHOTO-BYTES-MARKER")])
    box.close()
    raw = raw_files(data_dir)
    for secret in (SECRET_NAME.encode(), SECRET_ID.encode(), "身份证正面".encode(), b"PHOTO-BYTES-MARKER"):
        assert secret not in raw
    key_file = data_dir / "outbox.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() not in raw


def test_delivery_purges_personal_data_and_keeps_the_receipt(data_dir):
    box = Outbox(data_dir)
    local_id = box.enqueue("application", payload(), [("a.jpg", "image/jpeg", b"x" * 100)])
    box.mark_delivered(local_id, "371700-20261127-000123", "p-1")
    receipt = box.receipt(local_id)
    assert receipt["state"] == "delivered" and receipt["tracking_no"] == "371700-20261127-000123"
    assert receipt["local_id"] == local_id
    sealed = box._conn.execute("SELECT sealed FROM items WHERE local_id=?", (local_id,)).fetchone()[0]
    assert sealed is None
    assert box._conn.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert box.load(local_id) is None
    assert box.status() == {"pending": 0, "delivered": 1, "dead": 0, "oldest_pending_age_s": 0}


def test_dead_letters_are_kept_and_can_be_retried(data_dir):
    box = Outbox(data_dir)
    events = []
    box.events.subscribe(lambda e, d: events.append((e, d)))
    local_id = box.enqueue("complaint", payload())
    box.mark_dead(local_id, "http_422:invalid_submission")
    assert box.status()["dead"] == 1 and box.status()["pending"] == 0
    assert box.receipt(local_id)["dead_reason"] == "http_422:invalid_submission"
    assert ("dead", {"local_id": local_id, "kind": "complaint", "reason": "http_422:invalid_submission"}) in events
    assert box.retry_dead() == 1
    assert box.load(local_id).body["payload"] == payload()  # nothing was dropped


def test_bad_input_is_refused_in_plain_words_and_nothing_is_stored(data_dir):
    box = Outbox(data_dir)
    with pytest.raises(OutboxInvalidError) as exc:
        box.enqueue("lottery", {})
    assert exc.value.code == "outbox_invalid_kind" and "请" in exc.value.message
    with pytest.raises(OutboxInvalidError):
        box.enqueue("complaint", ["not", "a", "dict"])
    with pytest.raises(OutboxInvalidError) as exc:
        box.enqueue("complaint", {"when": object()})
    assert exc.value.code == "outbox_invalid_payload"
    with pytest.raises(OutboxInvalidError) as exc:
        box.enqueue("complaint", {}, [("big.jpg", "image/jpeg", b"x" * (10 * 1024 * 1024 + 1))])
    assert exc.value.code == "outbox_attachment_too_large"
    assert box.status()["pending"] == 0


def test_migrations_upgrade_an_old_database_and_refuse_a_newer_one(data_dir):
    conn = sqlite3.connect(data_dir / "outbox.db", isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version=1")
    conn.execute("INSERT INTO items (local_id, kind, idem_key, created_at, created_ts, state, attempts, "
                 "next_attempt_ts, tracking_no) VALUES ('HZ0001-20261101-0001', 'evaluation', 'k', "
                 "'2026-11-01T00:00:00+08:00', 0, 'delivered', 1, 0, '371700-20261101-000001')")
    conn.close()
    box = Outbox(data_dir)
    assert box._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert box.receipt("HZ0001-20261101-0001")["tracking_no"] == "371700-20261101-000001"
    assert "alerts" in box.db.table_names()
    box._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    box.close()
    with pytest.raises(OutboxError) as exc:
        Outbox(data_dir)
    assert exc.value.code == "outbox_schema_newer"


def test_corrupt_database_is_a_clear_error_and_a_staff_alert(data_dir):
    box = Outbox(data_dir)
    box.enqueue("complaint", payload())
    box.close()
    path = data_dir / "outbox.db"
    for extra in ("outbox.db-wal", "outbox.db-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    damaged = b"this is not a database" + os.urandom(4000)
    path.write_bytes(damaged)
    with pytest.raises(OutboxCorruptError) as exc:
        Outbox(data_dir)
    assert exc.value.code == "outbox_corrupt" and "损坏" in exc.value.message
    assert path.read_bytes() == damaged  # left untouched for recovery, never silently replaced
    alerts = (data_dir / "staff-alerts.log").read_text(encoding="utf-8")
    assert "outbox_corrupt" in alerts


def test_full_storage_refuses_the_submission_and_alerts_staff(data_dir):
    box = Outbox(data_dir, max_bytes=256 * 1024)
    alerts = []
    box.events.subscribe(lambda e, d: alerts.append(d["code"]) if e == "alert" else None)
    stored = []
    with pytest.raises(OutboxFullError) as exc:
        for i in range(100):
            stored.append(box.enqueue("application", {"n": i}, [("scan.jpg", "image/jpeg", os.urandom(30000))]))
    assert exc.value.code == "outbox_disk_full" and "已满" in exc.value.message
    assert alerts == ["outbox_disk_full"]
    # everything acknowledged before is intact; the refused one left nothing behind
    assert box.status()["pending"] == len(stored)
    for i, local_id in enumerate(stored):
        assert box.load(local_id).body["payload"] == {"n": i}
    # once delivered items free their space, the outbox takes submissions again
    for local_id in stored[:3]:
        box.mark_delivered(local_id, "371700-20261127-000001")
    assert LOCAL_ID.match(box.enqueue("evaluation", {"score": 5}))


def test_a_replaced_key_is_refused_at_open_not_at_flush(data_dir):
    import json
    box = Outbox(data_dir)
    box.enqueue("complaint", payload())
    box.close()
    (data_dir / "outbox.key").write_bytes(os.urandom(16))  # valid length, wrong key
    with pytest.raises(OutboxError) as exc:
        Outbox(data_dir)
    assert exc.value.code == "outbox_key_problem" and exc.value.message == "终端加密密钥不可用，暂停受理提交，请联系工作人员"
    alert = json.loads((data_dir / "staff-alerts.log").read_text().splitlines()[-1])
    assert alert["code"] == "outbox_key_problem" and "key_mismatch" in alert["message"]


def test_a_planted_key_on_an_empty_outbox_is_refused_too(data_dir):
    """Nothing sealed yet, but a key someone else chose would seal the next citizen's data."""
    Outbox(data_dir).close()
    (data_dir / "outbox.key").write_bytes(b"0123456789abcdef")
    with pytest.raises(OutboxError):
        Outbox(data_dir)


def test_a_lost_key_with_nothing_sealed_is_replaced_and_the_check_follows(data_dir):
    box = Outbox(data_dir)
    local_id = box.enqueue("complaint", payload())
    box.mark_delivered(local_id, "371700-20261127-000001")  # purged: nothing sealed left
    box.close()
    (data_dir / "outbox.key").unlink()
    box = Outbox(data_dir)
    box.enqueue("complaint", payload())
    box.close()
    Outbox(data_dir).close()  # and the new key passes the check on the next open


def test_an_outbox_from_before_the_key_check_gets_one(data_dir):
    box = Outbox(data_dir)
    box.enqueue("complaint", payload())
    box._conn.execute("DELETE FROM meta")
    box.close()
    Outbox(data_dir).close()  # the right key: the check is written
    (data_dir / "outbox.key").write_bytes(os.urandom(16))
    with pytest.raises(OutboxError):
        Outbox(data_dir)


def test_a_lost_key_is_noticed_not_replaced(data_dir):
    box = Outbox(data_dir)
    box.enqueue("complaint", payload())
    box.close()
    (data_dir / "outbox.key").unlink()
    with pytest.raises(OutboxError) as exc:
        Outbox(data_dir)
    assert exc.value.code == "outbox_key_problem"
    assert not (data_dir / "outbox.key").exists()


def test_sm4_gcm_detects_tampering_and_row_swaps():
    key = os.urandom(16)
    sealed = crypto.seal(key, b"secret", b"row-1")
    assert crypto.open_sealed(key, sealed, b"row-1") == b"secret"
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(key, sealed, b"row-2")
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(key, flipped, b"row-1")
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(os.urandom(16), sealed, b"row-1")


def test_export_is_encrypted_and_carries_the_idempotency_keys(data_dir, tmp_path):
    box = Outbox(data_dir)
    local_id = box.enqueue("complaint", payload(), [("a.jpg", "image/jpeg", b"scan")])
    delivered = box.enqueue("evaluation", {"score": 4})
    box.mark_delivered(delivered, "371700-20261127-000009")
    path, count = export_outbox(box, tmp_path / "usb", "K7QM-2WXD-R9TA-HC4P")
    assert count == 1
    assert SECRET_NAME.encode() not in path.read_bytes() and SECRET_ID.encode() not in path.read_bytes()
    opened = read_export(path, "K7QM-2WXD-R9TA-HC4P")
    [item] = opened["items"]
    assert item["local_id"] == local_id and item["submission"]["payload"] == payload()
    assert item["idempotency_key"] == box.load(local_id).idem_key and item["files"] == {0: b"scan"}
    with pytest.raises(crypto.CryptoError):
        read_export(path, "WRONG-PASS-PHRA-SE00")


def test_local_prefix_is_short_and_stable():
    assert local_prefix("HZ-DEMO-0001") == "HZ0001"
    assert local_prefix("HZ-CX-0123") == "HZ0123"
    assert local_prefix("7") == "T0007"


def test_old_receipts_are_pruned_pending_items_never(data_dir):
    box = Outbox(data_dir)
    old = box.enqueue("evaluation", {"score": 5})
    waiting = box.enqueue("evaluation", {"score": 4})
    box.mark_delivered(old, "371700-20261001-000001")
    box._conn.execute("UPDATE items SET updated_ts=updated_ts-100*86400, created_ts=created_ts-100*86400")
    assert box.prune_delivered(90) == 1
    assert box.receipt(old) is None and box.receipt(waiting)["state"] == "pending"
    assert box.has_pending()


def test_a_write_lock_held_too_long_is_busy_not_an_alarm(data_dir):
    box = Outbox(data_dir)
    box._conn.execute("PRAGMA busy_timeout=100")
    alerts = []
    box.events.subscribe(lambda e, d: alerts.append(d) if e == "alert" else None)
    other = sqlite3.connect(data_dir / "outbox.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a staff tool in the middle of a long write
    try:
        with pytest.raises(OutboxError) as exc:
            box.enqueue("complaint", payload())
        assert exc.value.code == "outbox_busy" and "稍后" in exc.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert alerts == []
    assert LOCAL_ID.match(box.enqueue("complaint", payload()))


def test_migration_4_keeps_old_receipts_and_stores_the_check_code(data_dir):
    conn = sqlite3.connect(data_dir / "outbox.db", isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    MIGRATIONS[1](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version=2")
    conn.execute("INSERT INTO items (local_id, kind, idem_key, created_at, created_ts, state, attempts, "
                 "next_attempt_ts, tracking_no) VALUES ('HZ0001-20261101-0001', 'complaint', 'k', "
                 "'2026-11-01T00:00:00+08:00', 0, 'delivered', 1, 0, '371700-20261101-000001')")
    conn.close()
    box = Outbox(data_dir)
    old = box.receipt_by_tracking_no("371700-20261101-000001")
    assert old["local_id"] == "HZ0001-20261101-0001" and old["check_code"] is None   # delivered before codes
    local_id = box.enqueue("complaint", {"text": "路灯不亮"})
    box.mark_delivered(local_id, "371700-20261127-000123", "p-1", "0427")
    assert box.receipt(local_id)["check_code"] == "0427"
    assert box.receipt_by_tracking_no("371700-20261127-000123")["local_id"] == local_id
    assert box.receipt_by_tracking_no("371700-20261127-999999") is None
    box.close()


@pytest.mark.parametrize("length", [0, 15, 17, 32])
def test_a_key_file_of_the_wrong_length_is_refused_and_left_for_staff(data_dir, length):
    import json
    box = Outbox(data_dir)
    box.enqueue("complaint", payload())
    box.close()
    bad = os.urandom(length)
    (data_dir / "outbox.key").write_bytes(bad)
    with pytest.raises(OutboxError) as exc:
        Outbox(data_dir)
    assert exc.value.code == "outbox_key_problem" and "联系工作人员" in exc.value.message
    assert (data_dir / "outbox.key").read_bytes() == bad       # not replaced: staff must see what happened
    alert = json.loads((data_dir / "staff-alerts.log").read_text().splitlines()[-1])
    assert alert["code"] == "outbox_key_problem" and "key_invalid" in alert["message"]


def test_keys_swapped_between_two_terminals_are_refused_by_both(tmp_path):
    """Two data_dirs restored from each other's backups: each key would open nothing of the other's."""
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        box = Outbox(d)
        box.enqueue("complaint", payload())
        box.close()
    key_a, key_b = (a / "outbox.key").read_bytes(), (b / "outbox.key").read_bytes()
    (a / "outbox.key").write_bytes(key_b)
    (b / "outbox.key").write_bytes(key_a)
    for d in (a, b):
        with pytest.raises(OutboxError) as exc:
            Outbox(d)
        assert exc.value.code == "outbox_key_problem"
    # put back, both open and still hold their item
    (a / "outbox.key").write_bytes(key_a)
    (b / "outbox.key").write_bytes(key_b)
    for d in (a, b):
        box = Outbox(d)
        assert box.status()["pending"] == 1
        box.close()
