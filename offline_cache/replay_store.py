"""Which signed 居民码 / 企业码 were already accepted (their `jti`), so a photo of a code cannot be used twice.

A code identifier stays in the store until its code could no longer be accepted anyway
(`exp + skew`); after that the expiry check refuses the code, so the row is dead weight and is purged.
The store is one SQLite file under data_dir; `claim` is atomic, so two readers (camera and scanner)
presenting the same code at the same moment accept it once.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable

from common.private_files import tighten

SCHEMA_VERSION = 1
_MIGRATIONS = {
    1: """
    CREATE TABLE IF NOT EXISTS used_codes (
        issuer     TEXT NOT NULL,
        jti        TEXT NOT NULL,
        keep_until INTEGER NOT NULL,
        PRIMARY KEY (issuer, jti)
    );
    CREATE INDEX IF NOT EXISTS used_codes_keep_until ON used_codes (keep_until);
    """,
}


class ReplayStore:
    """SQLite set of (issuer, jti) pairs, each kept until a given unix time."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: camera and scanner threads share the store, serialised by _lock
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        for suffix in ("", "-wal", "-shm"):  # private whatever an older version left
            tighten(self.path.with_name(self.path.name + suffix))
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for target in sorted(v for v in _MIGRATIONS if v > version):
                self._db.executescript(_MIGRATIONS[target])
                self._db.execute(f"PRAGMA user_version = {int(target)}")

    def claim(self, issuer: str, jti: str, keep_until: int) -> bool:
        """Record the code as used; False when it was already used (a replay)."""
        now = int(self._clock())
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM used_codes WHERE keep_until < ?", (now,))
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO used_codes (issuer, jti, keep_until) VALUES (?, ?, ?)",
                    (issuer, jti, int(keep_until)))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return cur.rowcount == 1

    def seen(self, issuer: str, jti: str) -> bool:
        """True while the code is recorded as used (not yet purged)."""
        with self._lock:
            row = self._db.execute("SELECT keep_until FROM used_codes WHERE issuer = ? AND jti = ?",
                                   (issuer, jti)).fetchone()
        return bool(row) and row[0] >= int(self._clock())

    def purge(self) -> int:
        """Drop entries whose codes can no longer be accepted; returns how many."""
        with self._lock:
            cur = self._db.execute("DELETE FROM used_codes WHERE keep_until < ?", (int(self._clock()),))
            return cur.rowcount

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM used_codes").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
