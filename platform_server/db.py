"""SQLite storage of the reference platform: submissions, tracking, attachments, idempotency, heartbeats, codes.

One short-lived connection per request (the WSGI server is threaded); every write runs in
`BEGIN IMMEDIATE` so that two requests never interleave their read-then-write steps.
"""
from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

CST = timezone(timedelta(hours=8))  # the platform's local time (Asia/Shanghai, no DST)

SCHEMA = [
    # version 1
    """
    CREATE TABLE IF NOT EXISTS idempotency (
        key          TEXT PRIMARY KEY,
        terminal_id  TEXT NOT NULL,
        endpoint     TEXT NOT NULL,
        body_hash    TEXT NOT NULL,
        state        TEXT NOT NULL,          -- in_flight | done
        started_ts   REAL NOT NULL,
        status       INTEGER,
        response     TEXT,
        completed_ts REAL
    );
    CREATE TABLE IF NOT EXISTS submissions (
        id           TEXT PRIMARY KEY,
        tracking_no  TEXT NOT NULL UNIQUE,
        terminal_id  TEXT NOT NULL,
        kind         TEXT NOT NULL,
        local_id     TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        idem_key     TEXT NOT NULL,
        body         TEXT NOT NULL,
        status       TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS submissions_local ON submissions (terminal_id, local_id);
    CREATE TABLE IF NOT EXISTS tracking_events (
        tracking_no  TEXT NOT NULL,
        at           TEXT NOT NULL,
        status       TEXT NOT NULL,
        note         TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS tracking_events_no ON tracking_events (tracking_no);
    CREATE TABLE IF NOT EXISTS tracking_kinds (
        tracking_no  TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        status       TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS attachments (
        sha256       TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        size         INTEGER NOT NULL,
        data         BLOB NOT NULL,
        created_at   TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS counters (
        name         TEXT PRIMARY KEY,
        value        INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS heartbeats (
        terminal_id  TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        body         TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS heartbeats_terminal ON heartbeats (terminal_id, received_at);
    CREATE TABLE IF NOT EXISTS codes (
        code         TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,          -- resident | enterprise
        number       TEXT NOT NULL,          -- id_number or uscc
        name         TEXT NOT NULL,
        expires_ts   REAL                    -- NULL: never
    );
    """,
    # version 2 (issue 16): idempotency keys per terminal; a tracked matter knows its terminal and 查询码
    """
    CREATE TABLE idempotency_v2 (
        terminal_id  TEXT NOT NULL,
        key          TEXT NOT NULL,
        endpoint     TEXT NOT NULL,
        body_hash    TEXT NOT NULL,
        state        TEXT NOT NULL,          -- in_flight | done
        started_ts   REAL NOT NULL,
        status       INTEGER,
        response     TEXT,
        completed_ts REAL,
        PRIMARY KEY (terminal_id, key)
    );
    INSERT INTO idempotency_v2 SELECT terminal_id, key, endpoint, body_hash, state, started_ts, status, response,
        completed_ts FROM idempotency;
    DROP TABLE idempotency;
    ALTER TABLE idempotency_v2 RENAME TO idempotency;
    ALTER TABLE tracking_kinds ADD COLUMN terminal_id TEXT;   -- NULL: no terminal owns it (demo data)
    ALTER TABLE tracking_kinds ADD COLUMN check_code TEXT;    -- NULL: only its own terminal can look it up
    UPDATE tracking_kinds SET terminal_id = (SELECT s.terminal_id FROM submissions s
                                             WHERE s.tracking_no = tracking_kinds.tracking_no);
    """,
]

HEARTBEATS_KEPT = 500  # per terminal: enough for a day of minute beats plus some history


def now_rfc3339() -> str:
    """Current time as RFC 3339 with the +08:00 offset."""
    return datetime.now(CST).isoformat(timespec="seconds")


def connect(db_path: str | Path) -> sqlite3.Connection:
    """A connection in autocommit mode; writes go through `write()`."""
    conn = sqlite3.connect(str(db_path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


@contextlib.contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction that holds the lock from its first statement."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def init_db(db_path: str | Path, seed_codes: list[dict] | None = None,
            seed_tracking: list[dict] | None = None) -> None:
    """Create or upgrade the schema (PRAGMA user_version) and load the demo tables once."""
    conn = connect(db_path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(SCHEMA, start=1):
            if number <= version:
                continue
            conn.executescript("BEGIN IMMEDIATE;" + script + f"; PRAGMA user_version={number}; COMMIT;")
        with write(conn):
            for code in seed_codes or []:
                conn.execute("INSERT OR IGNORE INTO codes (code, kind, number, name, expires_ts) VALUES (?,?,?,?,?)",
                             (code["code"], code["kind"], code["number"], code["name"], code.get("expires_ts")))
            for item in seed_tracking or []:
                if conn.execute("SELECT 1 FROM tracking_kinds WHERE tracking_no=?", (item["tracking_no"],)).fetchone():
                    conn.execute("UPDATE tracking_kinds SET check_code=? WHERE tracking_no=? AND check_code IS NULL",
                                 (item.get("check_code"), item["tracking_no"]))
                    continue
                conn.execute("INSERT INTO tracking_kinds (tracking_no, kind, status, check_code) VALUES (?,?,?,?)",
                             (item["tracking_no"], item["kind"], item["events"][-1]["status"], item.get("check_code")))
                for ev in item["events"]:
                    conn.execute("INSERT INTO tracking_events (tracking_no, at, status, note) VALUES (?,?,?,?)",
                                 (item["tracking_no"], ev["at"], ev["status"], ev["note"]))
    finally:
        conn.close()


def next_tracking_no(conn: sqlite3.Connection, region: str) -> str:
    """371700-20261127-000123: region code, the platform's local date, a per-day sequence."""
    day = datetime.now(CST).strftime("%Y%m%d")
    name = f"tracking:{day}"
    conn.execute("INSERT INTO counters (name, value) VALUES (?, 1) "
                 "ON CONFLICT(name) DO UPDATE SET value = value + 1", (name,))
    value = conn.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()[0]
    return f"{region}-{day}-{value:06d}"


def new_check_code() -> str:
    """The receipt's 查询码: 4 random digits (not derived from the number, so the number does not give it away)."""
    return f"{secrets.randbelow(10000):04d}"


def store_heartbeat(conn: sqlite3.Connection, terminal_id: str, body: dict) -> None:
    """Keep the latest HEARTBEATS_KEPT beats of each terminal."""
    with write(conn):
        conn.execute("INSERT INTO heartbeats (terminal_id, received_at, body) VALUES (?,?,?)",
                     (terminal_id, now_rfc3339(), json.dumps(body, ensure_ascii=False)))
        conn.execute("""DELETE FROM heartbeats WHERE terminal_id=? AND rowid NOT IN
                        (SELECT rowid FROM heartbeats WHERE terminal_id=? ORDER BY rowid DESC LIMIT ?)""",
                     (terminal_id, terminal_id, HEARTBEATS_KEPT))


def latest_heartbeat(conn: sqlite3.Connection, terminal_id: str) -> dict | None:
    """The last heartbeat body of a terminal with its receive time, or None."""
    row = conn.execute("SELECT received_at, body FROM heartbeats WHERE terminal_id=? ORDER BY rowid DESC LIMIT 1",
                       (terminal_id,)).fetchone()
    if row is None:
        return None
    return {"received_at": row["received_at"], **json.loads(row["body"])}
