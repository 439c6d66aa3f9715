import subprocess
import sys
from pathlib import Path

from kiosk.diagnostics import FAIL, OK, WARN, check_devices, check_outbox, check_platform, report
from kiosk.settings import load_settings
from offline_cache.outbox import Outbox

ROOT = Path(__file__).resolve().parents[2]


def _settings(data_dir, extra=None):
    over = {("storage", "data_dir"): str(data_dir), ("platform", "url"): "http://127.0.0.1:9"}
    over.update(extra or {})
    return load_settings(env={}, overrides=over)


def test_device_levels():
    rows = check_devices([{"name": "idcard", "state": "online"}, {"name": "scanner", "state": "noDevice"},
                          {"name": "sscard", "state": "hardwareError", "detail": "reader gone"}])
    assert [r["level"] for r in rows] == [OK, WARN, FAIL]


def test_outbox_check_reports_dead_letters_and_missing_outbox(data_dir):
    assert check_outbox(None, "disk full")["level"] == FAIL
    outbox = Outbox(data_dir, "HZ-T-1")
    try:
        assert check_outbox(outbox)["level"] == OK
        local_id = outbox.enqueue("help_request", {"reason": "operate"})
        outbox.db.conn.execute("UPDATE items SET state='dead' WHERE local_id=?", (local_id,))
        outbox.db.conn.commit()
        row = check_outbox(outbox)
        assert row["level"] == WARN and row["dead"] == 1
    finally:
        outbox.close()


def test_unreachable_platform_is_a_failure(data_dir):
    row = check_platform(_settings(data_dir), timeout=1)
    assert row["level"] == FAIL and "unreachable" in row["detail"]


def test_report_overall_is_the_worst(data_dir):
    result = report(_settings(data_dir), [{"name": "idcard", "state": "online"}], None, "gone", 1)
    assert result["overall"] == FAIL
    assert {c["check"] for c in result["checks"]} >= {"device:idcard", "outbox", "platform", "storage", "content"}


def test_diagnose_command_exit_code_and_json(data_dir):
    out = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data_dir), "diagnose", "--json",
                          "--settle", "0.5"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "KIOSK_PLATFORM_URL": "http://127.0.0.1:9"})
    import json
    result = json.loads(out.stdout)
    assert out.returncode == 2 and result["overall"] == FAIL
    platform = next(c for c in result["checks"] if c["check"] == "platform")
    assert platform["level"] == FAIL
