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


# -- printers ---------------------------------------------------------------------------------------
CUPS_PDF_OUT = "/root/PDF"     # cups-pdf's `Out ${HOME}/PDF` for jobs sent by root


def _cupsd_up() -> bool:
    return subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip() == "scheduler is running"


@pytest.fixture(scope="session")
def cupsd():
    """The running cupsd (dev.sh starts it), or one started here; a failure, never a silent skip."""
    if not _cupsd_up():
        if os.geteuid() != 0 or not shutil.which("cupsd"):
            pytest.fail("cupsd is not running and cannot be started here: run ./dev.sh test (installs cups, "
                        "printer-driver-cups-pdf and starts cupsd)")
        subprocess.run(["cupsd"], check=True)
        deadline = time.monotonic() + 10
        while not _cupsd_up():
            if time.monotonic() > deadline:
                pytest.fail("cupsd did not come up")
            time.sleep(0.2)
    if not os.path.exists("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"):
        pytest.fail("printer-driver-cups-pdf is not installed (dev.sh installs it)")
    return True


@pytest.fixture
def cups_queue(cupsd):
    """A cups-pdf queue of this test's own (removed afterwards); jobs land as PDFs in /root/PDF."""
    name = f"kiosk-test-{os.getpid()}-{time.monotonic_ns() % 10 ** 6}"
    subprocess.run(["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"],
                   check=True, capture_output=True)
    yield name
    subprocess.run(["lpadmin", "-x", name], capture_output=True)


def cups_pdf_output(job_id: int, timeout: float = 15.0):
    """The PDF cups-pdf wrote for `job_id` (its name ends in job_<id>.pdf)."""
    import glob
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = glob.glob(os.path.join(CUPS_PDF_OUT, f"*job_{job_id}.pdf"))
        if found and os.path.getsize(found[0]) > 0:
            time.sleep(0.1)
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"cups-pdf wrote no PDF for job {job_id}")


@pytest.fixture
def virtual_receipt_printer():
    """A virtual ESC/POS printer on a free local TCP port."""
    from devices.receipt.virtual_printer import VirtualEscposPrinter
    printer = VirtualEscposPrinter().serve_tcp()
    yield printer
    printer.stop()
