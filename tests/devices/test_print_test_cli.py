"""`run_kiosk.py print-test receipt|a4 [--json]` as staff run it: exit 0 when printed, 1 with a plain reason."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(data_dir, *args, env=None):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data_dir), "print-test", *args],
                          cwd=ROOT, capture_output=True, text=True, env=environ, timeout=90)


def test_receipt_on_a_network_printer(data_dir, virtual_receipt_printer):
    host, port = virtual_receipt_printer.address
    out = _run(data_dir, "receipt", "--json", env={"KIOSK_RECEIPT_DRIVER": "network", "KIOSK_RECEIPT_HOST": host,
                                                  "KIOSK_RECEIPT_PORT": str(port)})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"printer": "receipt", "ok": True, "state": "online", "reason": None}
    assert virtual_receipt_printer.wait_receipts(1)[0].image().width == 576


@pytest.mark.parametrize("condition, reason, state", [("paper_out", "paper_out", "hardwareError"),
                                                      ("cover_open", "cover_open", "userError"),
                                                      ("silent", "offline", "powerOff")])
def test_receipt_printer_trouble_is_one_reason(data_dir, virtual_receipt_printer, condition, reason, state):
    virtual_receipt_printer.set(condition)
    host, port = virtual_receipt_printer.address
    env = {"KIOSK_RECEIPT_DRIVER": "network", "KIOSK_RECEIPT_HOST": host, "KIOSK_RECEIPT_PORT": str(port)}
    out = _run(data_dir, "receipt", "--json", env=env)
    assert out.returncode == 1
    assert json.loads(out.stdout) == {"printer": "receipt", "ok": False, "state": state, "reason": reason}
    plain = _run(data_dir, "receipt", env=env)
    assert plain.returncode == 1 and plain.stderr.startswith("没有打印出来：")


def test_a4_on_cups_pdf_and_on_a_disabled_queue(data_dir, cups_queue):
    env = {"KIOSK_PRINTER_DRIVER": "cups", "KIOSK_PRINTER_QUEUE": cups_queue}
    out = _run(data_dir, "a4", "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"printer": "a4", "ok": True, "state": "online", "reason": None}
    assert not any((data_dir / "print").iterdir())       # the temporary PDF is gone
    for out in Path("/root/PDF").glob("kiosk-testpage-*"):   # what cups-pdf wrote: the test page
        out.unlink()
    subprocess.run(["cupsdisable", cups_queue], check=True)
    out = _run(data_dir, "a4", "--json", env=env)
    assert out.returncode == 1
    assert json.loads(out.stdout) == {"printer": "a4", "ok": False, "state": "offline", "reason": "offline"}


def test_a4_on_the_simulator_reports_its_real_state(data_dir):
    out = _run(data_dir, "a4", "--json", env={"KIOSK_PRINTER_DRIVER": "simulator"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"printer": "a4", "ok": True, "state": "online", "reason": None}


def test_no_printer_configured(data_dir):
    out = _run(data_dir, "a4", "--json", env={"KIOSK_PRINTER_DRIVER": "none"})
    assert out.returncode == 1
    assert json.loads(out.stdout) == {"printer": "a4", "ok": False, "state": "noDevice", "reason": "no_printer"}
