"""Staff accounts of the operations console: username + salted scrypt hash in the platform database.

A wrong password costs the asker time (a fixed pause) and, after LOCK_AFTER wrong ones in a row, locks the
account for LOCK_S seconds, doubling with each further wrong one (up to LOCK_MAX_S). The answer to a wrong
password and to an unknown user is the same.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import datetime

from platform_server import db

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}
LOCK_AFTER = 5
LOCK_S = 30.0
LOCK_MAX_S = 3600.0
WRONG_PAUSE_S = 0.5
_DUMMY_SALT = secrets.token_hex(16)


class StaffError(ValueError):
    """A username or password that cannot be stored."""


def _hash(password: str, salt: str) -> str:
    return hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), **SCRYPT).hex()


def add_staff(target, username: str, password: str) -> None:
    """Create or reset a staff account (the password is stored only as a salted scrypt hash)."""
    username = username.strip()
    if not username or len(username) > 64 or not username.isprintable():
        raise StaffError("用户名须为 1–64 个可见字符")
    if len(password) < 10:
        raise StaffError("密码至少 10 个字符")
    salt = secrets.token_hex(16)
    conn = db.connect(target)
    try:
        with db.write(conn):
            conn.execute("INSERT INTO staff (username, salt, hash, created_at) VALUES (?,?,?,?) "
                         "ON CONFLICT (username) DO UPDATE SET salt=excluded.salt, hash=excluded.hash, "
                         "failed=0, locked_until=0",
                         (username, salt, _hash(password, salt), datetime.now(db.CST).isoformat(timespec="seconds")))
    finally:
        conn.close()


def check_login(conn, username: str, password: str, now: float | None = None) -> tuple[bool, float]:
    """(ok, seconds to wait before the next try). Wrong and unknown look the same from outside."""
    now = time.time() if now is None else now
    row = conn.execute("SELECT salt, hash, failed, locked_until FROM staff WHERE username=?",
                       (username,)).fetchone()
    if row is not None and row["locked_until"] > now:
        return False, row["locked_until"] - now
    if row is None:
        _hash(password, _DUMMY_SALT)   # the same work as for a real account
        time.sleep(WRONG_PAUSE_S)
        return False, 0.0
    if hmac.compare_digest(_hash(password, row["salt"]), row["hash"]):
        with db.write(conn):
            conn.execute("UPDATE staff SET failed=0, locked_until=0 WHERE username=?", (username,))
        return True, 0.0
    failed = row["failed"] + 1
    wait = 0.0
    if failed >= LOCK_AFTER:
        wait = min(LOCK_MAX_S, LOCK_S * 2 ** (failed - LOCK_AFTER))
    with db.write(conn):
        conn.execute("UPDATE staff SET failed=?, locked_until=? WHERE username=?",
                     (failed, now + wait if wait else 0.0, username))
    time.sleep(WRONG_PAUSE_S)
    return False, wait
