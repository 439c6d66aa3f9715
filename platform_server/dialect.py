"""Where the platform's tables live: a SQLite file (the embedded default) or PostgreSQL (a database URL).

`open_target("platform.db")` or `open_target("postgresql://user@host/db")` gives a `Target`; its `connect()`
answers a connection with the sqlite3 shape the rest of platform_server uses: `execute(sql, params)` with `?`
placeholders, rows readable by index and by column name (`dict(row)` works), `close()`. For PostgreSQL the
`?` become `%s`, connections come from a small pool (a PostgreSQL connection is a server process: opening
one per request would cost more than the request), and a write transaction takes one advisory lock, which
gives the same "no two writers interleave" rule as SQLite's BEGIN IMMEDIATE.

The SQL itself stays portable: ON CONFLICT ... DO NOTHING/UPDATE instead of INSERT OR IGNORE, a `rowid`
column of its own (BIGSERIAL) where SQLite's implicit rowid orders rows.
"""
from __future__ import annotations

import queue
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable

WRITE_LOCK = 371700   # the advisory lock id every PostgreSQL write transaction holds


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def describe(target: str | Path) -> str:
    """The target without a password, for log lines and the console's footer."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", str(target))


class Row(tuple):
    """A tuple that also answers row["column"] and keys(), like sqlite3.Row."""
    names: tuple[str, ...] = ()

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor):
    names = tuple(c.name for c in cursor.description or ())
    cls = type("PgRow", (Row,), {"names": names, "__slots__": ()})
    return lambda values: cls(values)


def _pg_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PgConnection:
    """A pooled psycopg connection with the sqlite3 surface the platform uses."""
    dialect = "postgres"

    def __init__(self, raw, pool: "PgPool") -> None:
        self.raw = raw
        self._pool = pool

    def execute(self, sql: str, params: Iterable[Any] = ()):
        return self.raw.execute(_pg_sql(sql), tuple(params))

    def executescript(self, script: str) -> None:
        self.raw.execute(script)   # several statements in one call: psycopg allows it without parameters

    def close(self) -> None:
        raw, self.raw = self.raw, None
        if raw is not None:
            self._pool.give_back(raw)


class PgPool:
    """Up to `size` idle connections kept open; more are opened under load and closed when returned."""

    def __init__(self, url: str, size: int = 16) -> None:
        self.url = url
        self._idle: queue.LifoQueue = queue.LifoQueue(maxsize=size)

    def take(self):
        import psycopg
        try:
            raw = self._idle.get_nowait()
            if not raw.closed:
                return raw
        except queue.Empty:
            pass
        return psycopg.connect(self.url, autocommit=True, row_factory=_row_factory)

    def give_back(self, raw) -> None:
        import psycopg
        try:
            if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raw.execute("ROLLBACK")
            self._idle.put_nowait(raw)
        except Exception:
            raw.close()


_pools: dict[str, PgPool] = {}
_pools_lock = threading.Lock()


def connect(target: str | Path):
    """A connection to `target` (a SQLite path or a PostgreSQL URL) in autocommit mode."""
    if is_url(target):
        with _pools_lock:
            pool = _pools.setdefault(str(target), PgPool(str(target)))
        return PgConnection(pool.take(), pool)
    conn = sqlite3.connect(str(target), timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def is_postgres(conn) -> bool:
    return getattr(conn, "dialect", "sqlite") == "postgres"


def begin_write(conn) -> None:
    """Start a transaction that no other writer interleaves with."""
    if is_postgres(conn):
        conn.execute("BEGIN")
        conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
    else:
        conn.execute("BEGIN IMMEDIATE")


def begin(conn) -> None:
    """Start a plain transaction (rows of one key only: no global write lock on PostgreSQL)."""
    conn.execute("BEGIN" if is_postgres(conn) else "BEGIN IMMEDIATE")


def pg_script(script: str) -> str:
    """A SQLite schema script in PostgreSQL's words: doubles, bytea, an own rowid where rows are ordered."""
    script = re.sub(r"\bREAL\b", "DOUBLE PRECISION", script)
    script = re.sub(r"\bBLOB\b", "BYTEA", script)
    for table in ("heartbeats", "tracking_events"):
        script = script.replace(f"CREATE TABLE IF NOT EXISTS {table} (",
                                f"CREATE TABLE IF NOT EXISTS {table} (\n        rowid BIGSERIAL PRIMARY KEY,")
    return script
