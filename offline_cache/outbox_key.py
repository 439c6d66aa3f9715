"""The outbox key, checked against the database it belongs to when the outbox opens.

The key lives in data_dir/outbox.key (0600), the sealed rows in outbox.db. A key file replaced by other
bytes of the right length would otherwise only be noticed at the next flush (every item a dead letter
as "tampered") — and new submissions would meanwhile be sealed under a key somebody else chose. So the
database keeps a canary sealed with its key (meta "key_check"); opening the outbox with a key that does
not open the canary is refused like a missing key: plain message, staff alert, nothing sealed.
"""
from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Callable

from offline_cache import crypto

CANARY = b"heze-kiosk outbox key check v1"
AAD = b"outbox:key_check"


def load_checked_key(conn: sqlite3.Connection, key_path: Path,
                     tx: Callable[[], AbstractContextManager]) -> bytes:
    """The outbox key, or CryptoError ("key_missing", "key_invalid", "key_mismatch").

    A new key is made only while nothing is sealed (a lost key must be noticed, not papered over); the
    canary is written on first use and re-written only with such a new key.
    """
    sealed_rows = conn.execute("SELECT count(*) FROM items WHERE sealed IS NOT NULL").fetchone()[0]
    existed = Path(key_path).exists()
    key = crypto.load_or_create_key(key_path, create=sealed_rows == 0)
    row = conn.execute("SELECT value FROM meta WHERE name='key_check'").fetchone()
    if row is None or (not existed and sealed_rows == 0):
        sample = conn.execute("SELECT local_id, sealed FROM items WHERE sealed IS NOT NULL LIMIT 1").fetchone()
        if sample is not None and not _opens(key, sample[1], sample[0].encode()):
            raise crypto.CryptoError("key_mismatch", f"key file {Path(key_path).name} does not open this outbox")
        with tx():
            conn.execute("INSERT INTO meta (name, value) VALUES ('key_check', ?) ON CONFLICT(name) DO UPDATE "
                         "SET value=excluded.value WHERE ?", (crypto.seal(key, CANARY, AAD), row is not None))
        row = conn.execute("SELECT value FROM meta WHERE name='key_check'").fetchone()
    if not _opens(key, row[0], AAD, CANARY):
        raise crypto.CryptoError("key_mismatch", f"key file {Path(key_path).name} does not belong to this outbox")
    return key


def _opens(key: bytes, sealed: bytes, aad: bytes, expected: bytes | None = None) -> bool:
    try:
        plain = crypto.open_sealed(key, sealed, aad)
    except crypto.CryptoError:
        return False
    return expected is None or plain == expected
