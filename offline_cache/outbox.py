"""The durable, encrypted outbox: what a citizen submits is on disk before the screen says "已提交".

- One SQLite file (data_dir/outbox.db) in WAL mode with synchronous=FULL: a commit survives a power cut.
- `enqueue` is ONE transaction holding the submission, its attachments and its Idempotency-Key (made once,
  reused for every retry, across restarts).
- Personal data (payload, attachment names and bytes) is sealed with SM4-GCM (offline_cache.crypto); the
  key lives in data_dir/outbox.key (0600), never in the database. After delivery the sealed data is
  purged; the row keeps only what the receipt needs (local number, kind, times, tracking number).
- Schema changes are numbered migrations (PRAGMA user_version, offline_cache.outbox_schema); the key is
  checked against the database at open (offline_cache.outbox_key); errors in offline_cache.outbox_errors.
- Failures that lose the ability to store (full disk, corrupt file, missing key) raise OutboxError with a
  plain-words Chinese message and a stable code, and raise a staff alert.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

import sqlite_utils

from common.private_files import tighten
from offline_cache import crypto
from offline_cache.events import EventSource
from offline_cache.outbox_errors import (MSG_BUSY, MSG_CORRUPT, MSG_FULL, MSG_IO, MSG_KEY,  # noqa: F401
                                         MSG_SCHEMA, OutboxCorruptError, OutboxError, OutboxFullError,
                                         OutboxInvalidError)
from offline_cache.outbox_key import load_checked_key
from offline_cache.outbox_schema import MIGRATIONS, SCHEMA_VERSION  # noqa: F401  (re-exported)
from offline_cache.outbox_staff import DEAD, DELIVERED, PENDING, StaffQueries

log = logging.getLogger(__name__)

CST = timezone(timedelta(hours=8))
from common.kinds import KINDS  # noqa: E402
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
DB_NAME = "outbox.db"
KEY_NAME = "outbox.key"
ALERT_LOG = "staff-alerts.log"

_RECEIPT_KEYS = ("local_id", "kind", "created_at", "state", "tracking_no", "check_code", "delivered_at", "attempts",
                 "last_error", "dead_reason")


@dataclass
class AttachmentRef:
    position: int
    sha256: str
    uploaded: bool


@dataclass
class Pending:
    """One queued submission, decrypted for sending (lives only in the worker's memory)."""
    local_id: str
    kind: str
    idem_key: str
    attempts: int
    body: dict[str, Any]          # the spec's submission JSON
    attachments: list[AttachmentRef]


def now_rfc3339() -> str:
    """RFC 3339 with the +08:00 offset, as the platform expects."""
    return datetime.now(CST).isoformat(timespec="seconds")


def local_prefix(terminal_id: str) -> str:
    """HZ-DEMO-0001 -> HZ0001: the letters of the first part and the last four digits."""
    letters = re.sub(r"[^A-Z]", "", terminal_id.upper().split("-")[0])[:4] or "T"
    digits = re.sub(r"\D", "", terminal_id)[-4:].rjust(4, "0")
    return letters + digits


class Outbox(StaffQueries):
    """The queue of submissions on this terminal. Thread-safe; several processes may open the same file.

    What staff ask of it (counts, rows, alerts, dead letters back, export) is offline_cache.outbox_staff."""

    def __init__(self, data_dir: str | os.PathLike, terminal_id: str = "HZ-DEMO-0001", *,
                 max_bytes: int = 0, events: EventSource | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.key_path = self.data_dir / KEY_NAME
        self.terminal_id = terminal_id
        self.prefix = local_prefix(terminal_id)
        self.events = events or EventSource()
        self._lock = threading.RLock()
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            with self._guard("open"):
                self._conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None,
                                             check_same_thread=False)
                self.db = sqlite_utils.Database(self._conn)
                self._configure(max_bytes)
                for suffix in ("", "-wal", "-shm"):  # SQLite gives WAL/SHM the database file's mode
                    tighten(self.path.with_name(self.path.name + suffix))
                self._migrate()
                self._check_integrity()
            self._key = self._load_key()
        except BaseException:
            if getattr(self, "_conn", None) is not None:
                self._conn.close()
            raise

    @classmethod
    def from_settings(cls, settings, events: EventSource | None = None) -> "Outbox":
        """The terminal's outbox: [storage] data_dir, [terminal] id, [outbox] max_size_mb."""
        return cls(settings.data_dir, settings.get("terminal", "id"),
                   max_bytes=int(settings.getfloat("outbox", "max_size_mb") * 1024 * 1024), events=events)

    # -- opening ---------------------------------------------------------------------------------
    def _configure(self, max_bytes: int) -> None:
        c = self._conn
        c.execute("PRAGMA busy_timeout=30000")
        mode = c.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise OutboxError("outbox_no_wal", MSG_IO, f"journal_mode is {mode}")
        c.execute("PRAGMA synchronous=FULL")
        # purged personal data is overwritten with zeros, not left in free pages
        c.execute("PRAGMA secure_delete=ON")
        c.execute("PRAGMA temp_store=MEMORY")  # no sort spill files outside the database
        if max_bytes:
            page = c.execute("PRAGMA page_size").fetchone()[0]
            c.execute(f"PRAGMA max_page_count={max(16, int(max_bytes) // page)}")

    def _migrate(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise OutboxError("outbox_schema_newer", MSG_SCHEMA,
                              f"database schema {version} is newer than this software ({SCHEMA_VERSION})")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self._tx():
                MIGRATIONS[number - 1](self.db)
                self._conn.execute(f"PRAGMA user_version={number}")
            log.info("outbox schema migrated to version %d", number)

    def _check_integrity(self) -> None:
        result = self._conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed (quick_check)")

    def _load_key(self) -> bytes:
        try:
            with self._lock:
                return load_checked_key(self._conn, self.key_path, self._tx)
        except crypto.CryptoError as exc:
            self.alert("outbox_key_problem", f"{exc.code}: outbox key file unusable")
            raise OutboxError("outbox_key_problem", MSG_KEY, exc.code) from None
        except OSError as exc:
            self._raise_storage(exc, "key")
            raise

    def close(self) -> None:
        """Close the database (the object is unusable afterwards)."""
        with self._lock:
            self._conn.close()

    # -- plumbing --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once (no deadlock between processes)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn SQLite and OS storage failures into OutboxError with an alert."""
        try:
            yield
        except OutboxError:
            raise
        except sqlite3.DatabaseError as exc:
            self._raise_storage(exc, action)
            raise
        except OSError as exc:
            self._raise_storage(exc, action)
            raise

    def _raise_storage(self, exc: BaseException, action: str) -> None:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc).lower()
        if primary in (5, 6) or "database is locked" in text:
            # another process held the write lock past busy_timeout: nothing lost, try again shortly
            raise OutboxError("outbox_busy", MSG_BUSY, f"database busy during {action}") from None
        if primary == 13 or "disk is full" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
            self.alert("outbox_disk_full", f"storage full during {action}")
            raise OutboxFullError("outbox_disk_full", MSG_FULL, f"storage full during {action}") from None
        if primary in (11, 26) or "malformed" in text or "not a database" in text:
            self.alert("outbox_corrupt", f"database file {self.path.name} is damaged ({action})")
            raise OutboxCorruptError("outbox_corrupt", MSG_CORRUPT,
                                     f"database file {self.path} is damaged; it was left untouched") from None
        self.alert("outbox_io_error", f"storage error during {action}: {type(exc).__name__}")
        raise OutboxError("outbox_io_error", MSG_IO, f"storage error during {action}: {type(exc).__name__}") \
            from None

    def alert(self, code: str, message: str) -> None:
        """Tell staff: a line in data_dir/staff-alerts.log, the log, the database, and an "alert" event.

        Each step is best effort: on a full disk the file may not take it, the event still goes out.
        """
        at = now_rfc3339()
        log.error("staff alert %s: %s", code, message)
        try:
            fd = os.open(self.data_dir / ALERT_LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"at": at, "code": code, "message": message}, ensure_ascii=False) + "\n")
        except OSError:
            pass
        conn = getattr(self, "_conn", None)
        if conn is not None and code not in ("outbox_disk_full", "outbox_corrupt", "outbox_io_error"):
            try:
                with self._tx():
                    self.db["alerts"].insert({"at": at, "code": code, "message": message})
            except (sqlite3.Error, OutboxError):
                pass
        self.events.emit("alert", {"code": code, "message": message})

    def _counter(self, name: str) -> int:
        return self._conn.execute("INSERT INTO counters (name, value) VALUES (?, 1) "
                                  "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
                                  (name,)).fetchone()[0]

    # -- the UI side -----------------------------------------------------------------------------
    def enqueue(self, kind: str, payload: dict[str, Any],
                attachments: Sequence[tuple[str, str, bytes]] = ()) -> str:
        """Store one submission durably and return its provisional local number (e.g. HZ0001-20261127-0007).

        When this returns, the submission, its attachments and its Idempotency-Key are committed with
        synchronous=FULL. Raises OutboxInvalidError for bad input and OutboxError for storage trouble;
        in both cases nothing was stored.
        """
        if kind not in KINDS:
            raise OutboxInvalidError("outbox_invalid_kind", "提交类型不正确，请重新选择事项", f"kind {kind!r}")
        if not isinstance(payload, dict):
            raise OutboxInvalidError("outbox_invalid_payload", "提交内容格式不正确，请重新填写", "payload not a dict")
        files = []
        for position, item in enumerate(attachments):
            name, content_type, data = item
            if not isinstance(data, (bytes, bytearray)) or len(data) > MAX_ATTACHMENT_BYTES:
                raise OutboxInvalidError("outbox_attachment_too_large", "材料文件过大（最大 10 MB），请重新拍摄",
                                         f"attachment {position} too large or not bytes")
            files.append((position, str(name), str(content_type or "application/octet-stream"), bytes(data),
                          hashlib.sha256(data).hexdigest()))
        now = time.time()
        created_at = now_rfc3339()
        day = datetime.now(CST).strftime("%Y%m%d")
        with self._guard("enqueue"), self._tx() as c:
            local_id = f"{self.prefix}-{day}-{self._counter('local:' + day):04d}"
            body = {"kind": kind, "local_id": local_id, "created_at": created_at, "payload": payload,
                    "attachments": [{"sha256": sha, "name": name, "content_type": ctype, "size": len(data)}
                                    for _, name, ctype, data, sha in files]}
            try:
                plain = json.dumps(body, ensure_ascii=False).encode("utf-8")
            except (TypeError, ValueError):
                raise OutboxInvalidError("outbox_invalid_payload", "提交内容格式不正确，请重新填写",
                                         "payload is not JSON-serialisable") from None
            c.execute("INSERT INTO items (local_id, kind, idem_key, created_at, created_ts, state, sealed, attempts, "
                      "next_attempt_ts, updated_ts) VALUES (?,?,?,?,?,?,?,0,?,?)",
                      (local_id, kind, str(uuid.uuid4()), created_at, now, PENDING,
                       crypto.seal(self._key, plain, local_id.encode()), now, now))
            for position, _, _, data, sha in files:
                c.execute("INSERT INTO attachments (local_id, position, sha256, sealed, uploaded) VALUES (?,?,?,?,0)",
                          (local_id, position, sha, crypto.seal(self._key, data, f"{local_id}:{position}".encode())))
        self.events.emit("enqueued", {"local_id": local_id, "kind": kind})
        return local_id

    def receipt(self, local_id: str) -> dict[str, Any] | None:
        """What the receipt shows: local number at once, the platform's tracking number once delivered."""
        with self._guard("receipt"), self._lock:
            row = self._conn.execute(f"SELECT {', '.join(_RECEIPT_KEYS)} FROM items WHERE local_id=?",
                                     (local_id,)).fetchone()
        return None if row is None else dict(zip(_RECEIPT_KEYS, row))

    def receipt_by_tracking_no(self, tracking_no: str) -> dict[str, Any] | None:
        """The receipt of one of this terminal's delivered submissions by its 办件编号 (None: not ours)."""
        with self._guard("receipt"), self._lock:
            row = self._conn.execute(f"SELECT {', '.join(_RECEIPT_KEYS)} FROM items WHERE tracking_no=? LIMIT 1",
                                     (tracking_no,)).fetchone()
        return None if row is None else dict(zip(_RECEIPT_KEYS, row))

    # -- the worker side -------------------------------------------------------------------------
    def due(self, now: float | None = None, limit: int = 1) -> list[str]:
        """Local ids of pending items whose next attempt is due, oldest first."""
        now = time.time() if now is None else now
        with self._guard("due"), self._lock:
            return [r[0] for r in self._conn.execute(
                "SELECT local_id FROM items WHERE state=? AND next_attempt_ts<=? ORDER BY created_ts LIMIT ?",
                (PENDING, now, limit))]

    def has_pending(self) -> bool:
        """True while anything waits for delivery (cheap: one index probe)."""
        with self._guard("has_pending"), self._lock:
            return self._conn.execute("SELECT 1 FROM items WHERE state=? LIMIT 1", (PENDING,)).fetchone() is not None

    def prune_delivered(self, keep_days: float) -> int:
        """Forget receipts of items delivered more than `keep_days` ago; returns how many."""
        cutoff = time.time() - keep_days * 86400
        with self._guard("prune"), self._tx() as c:
            return c.execute("DELETE FROM items WHERE state=? AND updated_ts<?", (DELIVERED, cutoff)).rowcount

    def next_due_ts(self) -> float | None:
        """When the earliest pending item becomes due (None: nothing pending)."""
        with self._guard("next_due"), self._lock:
            return self._conn.execute("SELECT min(next_attempt_ts) FROM items WHERE state=?",
                                      (PENDING,)).fetchone()[0]

    def load(self, local_id: str) -> Pending | None:
        """Decrypt one pending item for sending; None when it is no longer pending."""
        with self._guard("load"), self._lock:
            row = self._conn.execute("SELECT kind, idem_key, attempts, sealed FROM items WHERE local_id=? AND state=?",
                                     (local_id, PENDING)).fetchone()
            if row is None:
                return None
            atts = [AttachmentRef(p, s, bool(u)) for p, s, u in self._conn.execute(
                "SELECT position, sha256, uploaded FROM attachments WHERE local_id=? ORDER BY position", (local_id,))]
        body = json.loads(crypto.open_sealed(self._key, row[3], local_id.encode()))
        return Pending(local_id, row[0], row[1], row[2], body, atts)

    def attachment_data(self, local_id: str, position: int) -> bytes:
        """The decrypted bytes of one attachment."""
        with self._guard("attachment"), self._lock:
            row = self._conn.execute("SELECT sealed FROM attachments WHERE local_id=? AND position=?",
                                     (local_id, position)).fetchone()
        if row is None:
            raise KeyError(f"{local_id} has no attachment {position}")
        return crypto.open_sealed(self._key, row[0], f"{local_id}:{position}".encode())

    def set_uploaded(self, local_id: str, sha256s: Sequence[str], uploaded: bool = True) -> None:
        """Remember which attachments the platform holds (False: it said attachment_missing)."""
        with self._guard("set_uploaded"), self._tx() as c:
            for sha in sha256s:
                c.execute("UPDATE attachments SET uploaded=? WHERE local_id=? AND sha256=?",
                          (int(uploaded), local_id, sha))

    def record_retry(self, local_id: str, error: str, delay: float) -> None:
        """Count a failed attempt, remember its error (a code, no personal data), schedule the next one."""
        now = time.time()
        with self._guard("record_retry"), self._tx() as c:
            c.execute("UPDATE items SET attempts=attempts+1, last_error=?, next_attempt_ts=?, updated_ts=? "
                      "WHERE local_id=? AND state=?", (error[:200], now + max(0.0, delay), now, local_id, PENDING))

    def mark_delivered(self, local_id: str, tracking_no: str, platform_id: str = "", check_code: str = "") -> None:
        """The platform has it: keep the receipt (with its 查询码), purge the personal data (body, attachments)."""
        with self._guard("mark_delivered"), self._tx() as c:
            cur = c.execute("UPDATE items SET state=?, tracking_no=?, platform_id=?, check_code=?, delivered_at=?, "
                            "sealed=NULL, attempts=attempts+1, last_error=NULL, updated_ts=? WHERE local_id=? AND "
                            "state=?", (DELIVERED, tracking_no, platform_id, check_code or None, now_rfc3339(),
                                        time.time(), local_id, PENDING))
            c.execute("DELETE FROM attachments WHERE local_id=?", (local_id,))
            kind = c.execute("SELECT kind FROM items WHERE local_id=?", (local_id,)).fetchone()
        if cur.rowcount:
            self.events.emit("delivered", {"local_id": local_id, "kind": kind[0] if kind else "",
                                           "tracking_no": tracking_no})

    def mark_dead(self, local_id: str, reason: str) -> None:
        """A permanent refusal: keep the item (never dropped) for staff, stop retrying it."""
        with self._guard("mark_dead"), self._tx() as c:
            cur = c.execute("UPDATE items SET state=?, dead_reason=?, last_error=?, attempts=attempts+1, "
                            "updated_ts=? WHERE local_id=? AND state=?",
                            (DEAD, reason[:200], reason[:200], time.time(), local_id, PENDING))
            kind = c.execute("SELECT kind FROM items WHERE local_id=?", (local_id,)).fetchone()
        if cur.rowcount:
            self.events.emit("dead", {"local_id": local_id, "kind": kind[0] if kind else "", "reason": reason})

    def wake_all(self) -> None:
        """Make every pending item due now (the network just came back)."""
        with self._guard("wake_all"), self._tx() as c:
            c.execute("UPDATE items SET next_attempt_ts=? WHERE state=?", (time.time(), PENDING))
