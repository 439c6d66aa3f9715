"""The maintenance PIN: a salted slow hash per terminal, and a lockout that grows with every wrong try.

Where the PIN lives (first found wins):
1. data_dir/staff-pin (0600), written by `run_kiosk.py set-pin` — the terminal's own PIN;
2. `[staff] pin_hash` in a config file (the same `scrypt$...` text, for a fleet-wide PIN);
3. `[staff] pin_sha256` (old, unsalted; read only to migrate): the first correct entry re-hashes the PIN
   into data_dir/staff-pin, and a warning asks staff to remove the old key;
4. none of these: only the demo PIN 2580, and only in demo mode.

Wrong tries: the first FREE_TRIES cost nothing (a typo); after that every wrong PIN locks the pad for
BASE_DELAY seconds doubled per further try, up to MAX_DELAY, and raises a staff alert. The count is kept
in data_dir/staff-pin-lockout.json (0600), so a restart does not reset it; a correct PIN does.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import os
import time
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)

DEMO_PIN = "2580"
PIN_FILE = "staff-pin"
LOCKOUT_FILE = "staff-pin-lockout.json"
FREE_TRIES = 3
BASE_DELAY = 30.0
MAX_DELAY = 3600.0
MIN_LENGTH, MAX_LENGTH = 6, 8   # the maintenance keypad takes at most 8 digits
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
ALERT_CODE = "staff_pin_guessing"


class PinError(ValueError):
    """A PIN that cannot be set (too short, not digits, too easy); the message says why in plain words."""


def hash_pin(pin: str, n: int = SCRYPT_N) -> str:
    """`scrypt$N$r$p$salt$hash` (hex) with a fresh 16-byte salt."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_hash(pin: str, stored: str) -> bool:
    """Constant-time check of `pin` against a `hash_pin` string; False for anything malformed."""
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        want = bytes.fromhex(digest)
        got = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(want), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def check_new_pin(pin: str) -> None:
    """Raise PinError unless `pin` is 6–8 digits and not a run like 111111 or 123456."""
    if not pin.isdigit() or not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise PinError(f"维护密码须为 {MIN_LENGTH}–{MAX_LENGTH} 位数字")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if len(steps) == 1 and steps & {0, 1, 9}:
        raise PinError("维护密码太简单（重复或连续的数字），请换一个")


def _write_private(path: Path, text: str) -> None:
    """Write `text` atomically into a 0600 file."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def set_pin(data_dir: str | os.PathLike, pin: str) -> Path:
    """Store this terminal's PIN (salted scrypt) in data_dir/staff-pin and clear any lockout."""
    check_new_pin(pin)
    path = Path(data_dir) / PIN_FILE
    _write_private(path, hash_pin(pin) + "\n")
    (Path(data_dir) / LOCKOUT_FILE).unlink(missing_ok=True)
    return path


@dataclasses.dataclass
class Attempt:
    ok: bool
    wait: float = 0.0          # seconds until the next try is accepted (0 = now)
    locked: bool = False       # this try was not even checked: the pad is locked

    @property
    def message(self) -> str:
        """What the staff member reads on the PIN pane."""
        if self.ok:
            return ""
        if self.wait > 0:
            return StaffPin.locked_message(self.wait)
        return "密码不对，请重新输入"


def _words(seconds: float) -> str:
    seconds = int(seconds + 0.999)
    return f"{seconds} 秒" if seconds < 120 else f"{(seconds + 59) // 60} 分钟"


class StaffPin:
    """The PIN check for one terminal. `alert(code, message)` is called when someone keeps guessing."""

    def __init__(self, data_dir: str | os.PathLike, *, demo: bool = False, pin_hash: str = "",
                 legacy_sha256: str = "", alert: Callable[[str, str], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.data_dir = Path(data_dir)
        self.demo = demo
        self.config_hash = pin_hash.strip()
        self.legacy = legacy_sha256.strip().lower()
        self.alert = alert
        self.clock = clock

    @classmethod
    def from_settings(cls, settings, alert: Callable[[str, str], None] | None = None) -> "StaffPin":
        return cls(settings.data_dir, demo=settings.demo, pin_hash=settings.get("staff", "pin_hash"),
                   legacy_sha256=settings.get("staff", "pin_sha256"), alert=alert)

    @staticmethod
    def locked_message(wait: float) -> str:
        return f"密码错误次数过多，请 {_words(wait)}后再试"

    # -- state -----------------------------------------------------------------------------
    def _stored(self) -> str:
        try:
            return (self.data_dir / PIN_FILE).read_text().strip()
        except FileNotFoundError:
            return self.config_hash

    def _lockout(self) -> dict:
        try:
            state = json.loads((self.data_dir / LOCKOUT_FILE).read_text())
            return {"failures": int(state["failures"]), "until": float(state["until"])}
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return {"failures": 0, "until": 0.0}

    def wait_left(self) -> float:
        """Seconds before the pad takes another try (a clock set back cannot stretch it past MAX_DELAY)."""
        return max(0.0, min(self._lockout()["until"] - self.clock(), MAX_DELAY))

    # -- the check ---------------------------------------------------------------------------
    def _matches(self, pin: str) -> bool:
        stored = self._stored()
        if stored:
            return verify_hash(pin, stored)
        if self.legacy:
            if hmac.compare_digest(hashlib.sha256(pin.encode()).hexdigest(), self.legacy):
                _write_private(self.data_dir / PIN_FILE, hash_pin(pin) + "\n")
                log.warning("staff PIN migrated from [staff] pin_sha256 to data_dir/%s; "
                            "remove pin_sha256 from the configuration", PIN_FILE)
                return True
            return False
        return self.demo and hmac.compare_digest(pin, DEMO_PIN)

    def attempt(self, pin: str) -> Attempt:
        """Check one entered PIN, counting wrong ones; never checks while the pad is locked."""
        wait = self.wait_left()
        if wait > 0:
            return Attempt(ok=False, wait=wait, locked=True)
        if self._matches(pin):
            (self.data_dir / LOCKOUT_FILE).unlink(missing_ok=True)
            log.info("maintenance PIN accepted")
            return Attempt(ok=True)
        state = self._lockout()
        failures = state["failures"] + 1
        delay = 0.0
        if failures >= FREE_TRIES:
            delay = min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_TRIES))
        _write_private(self.data_dir / LOCKOUT_FILE,
                       json.dumps({"failures": failures, "until": self.clock() + delay}))
        log.warning("wrong maintenance PIN (%d in a row)", failures)
        if delay and self.alert is not None:
            self.alert(ALERT_CODE, f"{failures} wrong maintenance PINs in a row; "
                                   f"PIN pad locked for {int(delay)} s")
        return Attempt(ok=False, wait=delay)


def staff_alert(data_dir: str | os.PathLike, outbox, code: str, message: str) -> None:
    """Raise a staff alert where the others go: through the outbox (staff-alerts.log, its alert table,
    the heartbeat) when it is open, else straight into data_dir/staff-alerts.log."""
    if outbox is not None:
        outbox.alert(code, message)
        return
    from offline_cache.outbox import ALERT_LOG, now_rfc3339
    log.error("staff alert %s: %s", code, message)
    try:
        fd = os.open(Path(data_dir) / ALERT_LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"at": now_rfc3339(), "code": code, "message": message}, ensure_ascii=False) + "\n")
    except OSError:
        pass
