"""Storage of the reference platform: submissions, tracking, attachments, idempotency, heartbeats, codes,
staff, terminals and feedback cases.

A SQLite file by default, PostgreSQL when given a database URL (platform_server.dialect). One short-lived
connection per request (the WSGI server is threaded); every write runs in `write()` (BEGIN IMMEDIATE, or
an advisory lock on PostgreSQL) so that two requests never interleave their read-then-write steps.
"""
from __future__ import annotations

import contextlib
import json
import secrets
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from platform_server import dialect

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
    # version 3 (issue 12): the operations console — staff, the fleet's latest state, feedback cases
    """
    CREATE TABLE staff (
        username     TEXT PRIMARY KEY,
        salt         TEXT NOT NULL,
        hash         TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        failed       INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0
    );
    CREATE TABLE terminals (
        terminal_id  TEXT PRIMARY KEY,
        last_ts      REAL NOT NULL,          -- the platform's clock when the last beat arrived
        last_at      TEXT NOT NULL,
        body         TEXT NOT NULL,          -- the last heartbeat
        region_code  TEXT NOT NULL DEFAULT '',
        level        TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX terminals_region ON terminals (region_code);
    ALTER TABLE heartbeats ADD COLUMN received_ts REAL;
    CREATE TABLE cases (
        tracking_no   TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,         -- evaluation (real-name 差评) | complaint (吐槽找茬)
        terminal_id   TEXT NOT NULL,
        opened_at     TEXT NOT NULL,
        due_date      TEXT NOT NULL,         -- YYYY-MM-DD, rectify_days working days after opening
        summary       TEXT NOT NULL,         -- words of the reasons / the problem; no personal data
        phone_masked  TEXT NOT NULL,
        state         TEXT NOT NULL,         -- open | called_back | rectified | closed
        callback_note TEXT, callback_at TEXT,
        rectification TEXT, rectified_at TEXT,
        feedback      TEXT, closed_at TEXT
    );
    CREATE INDEX cases_state ON cases (state, due_date);
    """,
]

HEARTBEATS_KEPT = 500  # per terminal: enough for a day of minute beats plus some history


def now_rfc3339() -> str:
    """Current time as RFC 3339 with the +08:00 offset."""
    return datetime.now(CST).isoformat(timespec="seconds")


def connect(target: str | Path):
    """A connection in autocommit mode (SQLite file or PostgreSQL URL); writes go through `write()`."""
    return dialect.connect(target)


@contextlib.contextmanager
def write(conn, *, serial: bool = True) -> Iterator:
    """One write transaction that holds the lock from its first statement.

    serial=False on PostgreSQL: only row locks (for writes that touch one terminal's own rows).
    """
    if serial:
        dialect.begin_write(conn)
    else:
        dialect.begin(conn)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _migrate_sqlite(conn) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(SCHEMA, start=1):
        if number <= version:
            continue
        conn.executescript("BEGIN IMMEDIATE;" + script + f"; PRAGMA user_version={number}; COMMIT;")


def _migrate_postgres(conn) -> None:
    with write(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            conn.execute("INSERT INTO schema_version (version) VALUES (0)")
        version = row[0] if row else 0
        for number, script in enumerate(SCHEMA, start=1):
            if number > version:
                conn.executescript(dialect.pg_script(script))
                conn.execute("UPDATE schema_version SET version=?", (number,))


def run_script(target: str | Path, script: str) -> None:
    """Run a CREATE ... IF NOT EXISTS script of another module (e.g. platform_server.documents)."""
    conn = connect(target)
    try:
        if dialect.is_postgres(conn):
            with write(conn):
                conn.executescript(dialect.pg_script(script))
        else:
            conn.executescript(script)   # sqlite3 runs a script in its own transaction
    finally:
        conn.close()


def init_db(db_path: str | Path, seed_codes: list[dict] | None = None,
            seed_tracking: list[dict] | None = None) -> None:
    """Create or upgrade the schema (migrations in SCHEMA) and load the demo tables once."""
    conn = connect(db_path)
    try:
        if dialect.is_postgres(conn):
            _migrate_postgres(conn)
        else:
            _migrate_sqlite(conn)
        with write(conn):
            for code in seed_codes or []:
                conn.execute("INSERT INTO codes (code, kind, number, name, expires_ts) VALUES (?,?,?,?,?) "
                             "ON CONFLICT DO NOTHING",
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


def next_tracking_no(conn, region: str) -> str:
    """371700-20261127-000123: region code, the platform's local date, a per-day sequence."""
    day = datetime.now(CST).strftime("%Y%m%d")
    name = f"tracking:{day}"
    conn.execute("INSERT INTO counters (name, value) VALUES (?, 1) "
                 "ON CONFLICT(name) DO UPDATE SET value = counters.value + 1", (name,))
    value = conn.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()[0]
    return f"{region}-{day}-{value:06d}"


def new_check_code() -> str:
    """The receipt's 查询码: 4 random digits (not derived from the number, so the number does not give it away)."""
    return f"{secrets.randbelow(10000):04d}"


def store_heartbeat(conn, terminal_id: str, body: dict, now: float | None = None) -> None:
    """Keep the latest HEARTBEATS_KEPT beats of each terminal and its latest state in `terminals`.

    `now`: the platform's clock (seconds since the epoch) when the beat arrived. A heartbeat is committed
    without waiting for the disk (SQLite synchronous=NORMAL in WAL mode, PostgreSQL synchronous_commit=off):
    a power cut may lose the last moment's beats, never the database, and the next beat comes within a minute.
    Submissions keep their full fsync.
    """
    now = time.time() if now is None else now
    at = datetime.fromtimestamp(now, CST).isoformat(timespec="seconds")
    text = json.dumps(body, ensure_ascii=False)
    info = body.get("terminal") or {}
    if not dialect.is_postgres(conn):
        conn.execute("PRAGMA synchronous=NORMAL")   # this connection only lives for this request
    with write(conn, serial=False):
        if dialect.is_postgres(conn):
            conn.execute("SET LOCAL synchronous_commit = off")
        conn.execute("INSERT INTO heartbeats (terminal_id, received_at, received_ts, body) VALUES (?,?,?,?)",
                     (terminal_id, at, now, text))
        conn.execute("INSERT INTO terminals (terminal_id, last_ts, last_at, body, region_code, level) "
                     "VALUES (?,?,?,?,?,?) ON CONFLICT (terminal_id) DO UPDATE SET last_ts=excluded.last_ts, "
                     "last_at=excluded.last_at, body=excluded.body, region_code=excluded.region_code, "
                     "level=excluded.level",
                     (terminal_id, now, at, text, str(info.get("region_code", "")), str(info.get("level", ""))))
        # one beat in 50 trims the history (a range delete below the terminal's 500th newest beat)
        if secrets.randbelow(50) == 0:
            cut = conn.execute("SELECT rowid FROM heartbeats WHERE terminal_id=? ORDER BY rowid DESC "
                               "LIMIT 1 OFFSET ?", (terminal_id, HEARTBEATS_KEPT)).fetchone()
            if cut is not None:
                conn.execute("DELETE FROM heartbeats WHERE terminal_id=? AND rowid<=?", (terminal_id, cut[0]))


def latest_heartbeat(conn, terminal_id: str) -> dict | None:
    """The last heartbeat body of a terminal with its receive time, or None."""
    row = conn.execute("SELECT received_at, body FROM heartbeats WHERE terminal_id=? ORDER BY rowid DESC LIMIT 1",
                       (terminal_id,)).fetchone()
    if row is None:
        return None
    return {"received_at": row["received_at"], **json.loads(row["body"])}
