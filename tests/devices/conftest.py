"""Fixtures for device tests: a SAM simulator on a pty with the real driver, and pcscd with vpcd."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time

import pytest

VPCD_PORT = 35963


class Events:
    """Collects a device's events; `wait_for` blocks until a matching one arrives."""

    def __init__(self, device) -> None:
        self.items: list[tuple[str, object]] = []
        self._cond = threading.Condition()
        device.events.subscribe(self._on)

    def _on(self, name, payload) -> None:
        with self._cond:
            self.items.append((name, payload))
            self._cond.notify_all()

    def names(self, name: str | None = None) -> list:
        with self._cond:
            return [p for n, p in self.items if n == name] if name else [n for n, _ in self.items]

    def wait_for(self, predicate, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for name, payload in self.items:
                    if predicate(name, payload):
                        return payload
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"event not seen; got {[n for n, _ in self.items]}")
                self._cond.wait(left)

    def wait_event(self, name: str, count: int = 1, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [p for n, p in self.items if n == name]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} x {name} not seen; got {[n for n, _ in self.items]}")
                self._cond.wait(left)

    def wait_state(self, state, timeout: float = 10.0):
        return self.wait_for(lambda n, p: n == "state" and p.state == state, timeout)

    def clear(self) -> None:
        with self._cond:
            self.items.clear()


@pytest.fixture
def sam_sim(tmp_path):
    from devices.idcard.sam_simulator import SamSimulator
    sim = SamSimulator(tmp_path / "idcard.tty").start()
    yield sim
    sim.stop()


@pytest.fixture
def id_reader(sam_sim):
    """The real driver, polling fast, on the simulator's pty."""
    from devices.idcard.reader import IdCardReader
    reader = IdCardReader(sam_sim.port, poll_interval=0.02, response_timeout=0.5, read_timeout=1.0,
                          reconnect_interval=0.1)
    events = Events(reader)
    reader.start()
    yield reader, events
    reader.stop()


def _pcscd_running() -> bool:
    return subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def pcscd():
    """pcscd with the vsmartcard virtual reader: the running one (CI: dev.sh starts it) or our own."""
    pytest.importorskip("smartcard")
    proc = None
    if not _pcscd_running():
        binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
        if not os.path.exists(binary) or os.geteuid() != 0:
            pytest.skip("pcscd is not running and cannot be started here (needs root and pcscd)")
        os.makedirs("/run/pcscd", exist_ok=True)
        proc = subprocess.Popen([binary, "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from smartcard.System import readers
    deadline = time.monotonic() + 15
    while True:
        try:
            # (never probe the vpcd port by connecting: a connection IS a card insertion)
            if any("Virtual PCD" in str(r) for r in readers()):
                break
        except Exception:
            pass
        if time.monotonic() > deadline:
            if proc:
                proc.terminate()
            pytest.fail("pcscd has no vsmartcard reader (is vsmartcard-vpcd installed?)")
        time.sleep(0.2)
    # the first slot is the one that listens on 35963
    name = sorted(str(r) for r in readers() if "Virtual PCD" in str(r))[0]
    yield name
    if proc is not None:
        proc.terminate()
        proc.wait(5)
