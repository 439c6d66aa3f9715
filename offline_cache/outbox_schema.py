"""The outbox database's schema as numbered migrations (PRAGMA user_version); never edit one that shipped."""
from __future__ import annotations

import sqlite_utils


def _migration_1(db: sqlite_utils.Database) -> None:
    db["items"].create({
        "local_id": str, "kind": str, "idem_key": str, "created_at": str, "created_ts": float,
        "state": str, "sealed": bytes, "attempts": int, "last_error": str, "next_attempt_ts": float,
        "delivered_at": str, "tracking_no": str, "platform_id": str, "dead_reason": str, "updated_ts": float,
    }, pk="local_id", not_null={"kind", "idem_key", "created_at", "created_ts", "state", "attempts",
                                "next_attempt_ts"}, defaults={"attempts": 0})
    db["items"].create_index(["idem_key"], unique=True)
    db["items"].create_index(["state", "next_attempt_ts"])
    db["attachments"].create({"local_id": str, "position": int, "sha256": str, "sealed": bytes,
                              "uploaded": int}, pk=("local_id", "position"),
                             not_null={"sha256", "sealed", "uploaded"}, defaults={"uploaded": 0})
    db["counters"].create({"name": str, "value": int}, pk="name", not_null={"value"})


def _migration_2(db: sqlite_utils.Database) -> None:
    # staff alerts kept in the database too, so `outbox status` shows why the worker stopped
    db["alerts"].create({"id": int, "at": str, "code": str, "message": str}, pk="id", not_null={"at", "code"})


def _migration_3(db: sqlite_utils.Database) -> None:
    # small named values; "key_check" holds a canary sealed with the outbox key (offline_cache.outbox_key)
    db["meta"].create({"name": str, "value": bytes}, pk="name")


def _migration_4(db: sqlite_utils.Database) -> None:
    # issue 16: the platform's 查询码 is kept with the 办件编号 (the receipt prints both); typed numbers are
    # looked up by tracking_no to tell this terminal's own submissions from others'
    db["items"].add_column("check_code", str)
    db["items"].create_index(["tracking_no"])


MIGRATIONS = [_migration_1, _migration_2, _migration_3, _migration_4]
SCHEMA_VERSION = len(MIGRATIONS)
