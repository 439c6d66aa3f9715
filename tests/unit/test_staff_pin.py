"""The maintenance PIN: salted slow hash, growing lockout with an alert, per-terminal PIN from the CLI."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import staff_pin
from kiosk.settings import load_settings
from kiosk.staff_pin import FREE_TRIES, PinError, StaffPin, check_new_pin, hash_pin, set_pin, verify_hash

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self):
        self.t = 1_800_000_000.0

    def __call__(self):
        return self.t


def _settings(data_dir, extra=None):
    over = {("storage", "data_dir"): str(data_dir)}
    over.update(extra or {})
    return load_settings(env={}, overrides=over)


def test_hash_is_salted_scrypt_and_verifies():
    a, b = hash_pin("731946", n=2 ** 10), hash_pin("731946", n=2 ** 10)
    assert a.startswith("scrypt$") and a != b, "a fresh salt every time"
    assert verify_hash("731946", a) and not verify_hash("731947", a)
    assert hashlib.sha256(b"731946").hexdigest() not in a
    assert not verify_hash("731946", "garbage") and not verify_hash("731946", "")


def test_guessing_meets_growing_delays_and_an_alert(tmp_path):
    alerts, clock = [], Clock()
    set_pin(tmp_path, "731946")
    pin = StaffPin(tmp_path, alert=lambda code, msg: alerts.append((code, msg)), clock=clock)
    waits = []
    for guess in range(FREE_TRIES + 3):
        result = pin.attempt(f"{guess:06d}")
        assert not result.ok
        waits.append(result.wait)
        # the pad refuses to even check while locked, the right PIN included
        if result.wait:
            locked = pin.attempt("731946")
            assert locked.locked and not locked.ok and "后再试" in locked.message
            clock.t += result.wait
    assert waits[:FREE_TRIES - 1] == [0] * (FREE_TRIES - 1), "a typo or two costs nothing"
    assert waits[FREE_TRIES - 1:] == [30, 60, 120, 240]
    assert [c for c, _ in alerts] == [staff_pin.ALERT_CODE] * 4
    assert all("731946" not in m and "00000" not in m for _, m in alerts), "no PIN in an alert"
    # 151 guesses would now take days, not 17 s
    total = sum(min(staff_pin.MAX_DELAY, 30 * 2 ** k) for k in range(151 - FREE_TRIES))
    assert total > 24 * 3600
    # the lockout survives a restart (a new StaffPin on the same data_dir)
    clock.t += 0
    pin.attempt("000000")
    assert StaffPin(tmp_path, clock=clock).wait_left() > 0
    clock.t += staff_pin.MAX_DELAY
    assert StaffPin(tmp_path, clock=clock).attempt("731946").ok
    assert StaffPin(tmp_path, clock=clock).attempt("000001").wait == 0, "a correct PIN resets the count"


def test_clock_set_back_cannot_lock_for_ever(tmp_path):
    clock = Clock()
    (tmp_path / staff_pin.LOCKOUT_FILE).write_text(json.dumps({"failures": 9, "until": clock.t + 10 ** 9}))
    assert StaffPin(tmp_path, clock=clock).wait_left() <= staff_pin.MAX_DELAY


def test_demo_pin_only_in_demo_mode_and_only_without_a_pin(tmp_path):
    assert StaffPin.from_settings(_settings(tmp_path, {("terminal", "demo"): "true"})).attempt("2580").ok
    assert not StaffPin.from_settings(_settings(tmp_path / "prod")).attempt("2580").ok
    set_pin(tmp_path, "731946")
    demo = StaffPin.from_settings(_settings(tmp_path, {("terminal", "demo"): "true"}))
    assert not demo.attempt("2580").ok and demo.attempt("731946").ok


def test_config_hash_and_legacy_sha256_migration(tmp_path):
    fleet = StaffPin.from_settings(_settings(tmp_path / "a", {("staff", "pin_hash"): hash_pin("482915", n=2 ** 10)}))
    assert fleet.attempt("482915").ok
    legacy = _settings(tmp_path / "b", {("staff", "pin_sha256"): hashlib.sha256(b"482915").hexdigest()})
    assert StaffPin.from_settings(legacy).attempt("482915").ok
    stored = (tmp_path / "b" / staff_pin.PIN_FILE)
    assert stored.read_text().startswith("scrypt$"), "migrated to the salted hash on first use"
    assert stored.stat().st_mode & 0o777 == 0o600


def test_weak_pins_refused():
    for weak in ("2580", "123456", "111111", "987654", "12a456", "123456789"):
        with pytest.raises(PinError):
            check_new_pin(weak)
    check_new_pin("731946")


def test_set_pin_command_writes_a_private_file_and_config_masks_the_hash(tmp_path):
    data = tmp_path / "data"
    run = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data), "set-pin", "--stdin"],
                         input="731946\n", cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    stored = data / staff_pin.PIN_FILE
    assert stored.stat().st_mode & 0o777 == 0o600
    assert "731946" not in stored.read_text() and StaffPin(data).attempt("731946").ok
    bad = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data), "set-pin", "--stdin"],
                         input="1234\n", cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and StaffPin(data).attempt("731946").ok, "a refused PIN changes nothing"
    secret = hash_pin("731946", n=2 ** 10)
    shown = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data), "config", "--json"],
                           env={"KIOSK_STAFF_PIN_HASH": secret, "KIOSK_STAFF_PIN_SHA256": "ab" * 32,
                                "PATH": "/usr/bin:/bin"}, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    staff = json.loads(shown.stdout)["settings"]["staff"]
    assert staff["pin_hash"] == "***" and staff["pin_sha256"] == "***"
    assert secret not in shown.stdout and "ab" * 32 not in shown.stdout


def test_staff_alert_without_an_outbox_goes_to_the_alert_log(tmp_path):
    staff_pin.staff_alert(tmp_path, None, "staff_pin_guessing", "5 wrong maintenance PINs")
    line = json.loads((tmp_path / "staff-alerts.log").read_text().splitlines()[-1])
    assert line["code"] == "staff_pin_guessing"
    assert (tmp_path / "staff-alerts.log").stat().st_mode & 0o777 == 0o600
