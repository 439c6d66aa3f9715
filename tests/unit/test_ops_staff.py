"""Staff accounts of the operations console: salted scrypt, same answer for unknown users, lock-out."""
from __future__ import annotations

import pytest

from platform_server import db
from platform_server.ops import staff


@pytest.fixture
def target(tmp_path, monkeypatch):
    monkeypatch.setattr(staff, "WRONG_PAUSE_S", 0.0)
    path = tmp_path / "platform.db"
    db.init_db(path)
    staff.add_staff(path, "zhang", "long enough pw")
    return path


def test_only_a_salted_hash_is_stored(target):
    conn = db.connect(target)
    row = conn.execute("SELECT salt, hash FROM staff WHERE username='zhang'").fetchone()
    assert "long enough pw" not in (row["salt"] + row["hash"]) and len(row["salt"]) == 32
    assert staff.check_login(conn, "zhang", "long enough pw") == (True, 0.0)
    assert staff.check_login(conn, "nobody", "long enough pw") == (False, 0.0)
    with pytest.raises(staff.StaffError):
        staff.add_staff(target, "li", "short")


def test_wrong_passwords_lock_the_account_and_doubling(target):
    conn = db.connect(target)
    now = 1_000_000.0
    for _ in range(staff.LOCK_AFTER - 1):
        assert staff.check_login(conn, "zhang", "wrong", now) == (False, 0.0)
    assert staff.check_login(conn, "zhang", "wrong", now) == (False, staff.LOCK_S)
    # locked: even the right password is refused until the time is up
    assert staff.check_login(conn, "zhang", "long enough pw", now + 1)[0] is False
    assert staff.check_login(conn, "zhang", "wrong", now + staff.LOCK_S + 1) == (False, 2 * staff.LOCK_S)
    assert staff.check_login(conn, "zhang", "long enough pw", now + 4 * staff.LOCK_S)[0] is True
