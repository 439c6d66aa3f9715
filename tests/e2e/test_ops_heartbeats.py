"""The operations console reads every heartbeat the platform accepts, on SQLite and PostgreSQL.

A terminal of an older version beats with only `at`, `version` and `outbox` (everything else of
platform_server/schemas.py Heartbeat is optional): its pages show 未报告 instead of a 500. A terminal whose
outbox is damaged says so with a "fail" alert (common/alerts.py) and is red, not amber.
Staff log in with plain HTTP here (test_ops_console.py drives the same console in a browser).
"""
from __future__ import annotations

import re

import pytest
import requests

from offline_cache.outbox import Outbox
from offline_cache.platform_client import PlatformClient
from offline_cache.sync import SyncWorker
from tests.e2e.conftest import BOTH_DATABASES
from tests.e2e.test_ops_console import A, B, PASSWORD, STAFF, TOKENS, ops  # noqa: F401  (the console fixture)

pytestmark = [pytest.mark.e2e, BOTH_DATABASES]
OUTBOX = {"pending": 0, "dead": 0, "oldest_pending_age_s": 0}


def logged_in(server) -> requests.Session:
    s = requests.Session()
    page = s.get(server.url + "/ops/login", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = s.post(server.url + "/ops/login", data={"csrf": token, "username": STAFF, "password": PASSWORD},
               allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    return s


def beat(server, terminal, body):
    token = next(t for t, tid in TOKENS.items() if tid == terminal)
    return requests.post(f"{server.url}/api/v1/terminals/{terminal}/heartbeat", json=body, timeout=10,
                         headers={"Authorization": f"Bearer {token}", "X-Terminal-Id": terminal})


def row_level(html: str, terminal: str) -> str:
    return re.search(rf'data-terminal="{terminal}" data-level="(\w+)"', html).group(1)


@pytest.mark.parametrize("body", [
    {"at": "2026-11-30T10:00:00+08:00", "version": "0.0.9", "outbox": OUTBOX},
    {"at": "2026-11-30T10:00:00+08:00", "version": "0.0.9", "outbox": OUTBOX, "content_version": None,
     "free_disk_mb": None, "uptime_s": None, "terminal": None, "devices": [], "alerts": []},
], ids=["only-the-required-fields", "optional-fields-null"])
def test_an_older_terminals_heartbeat_shows_on_every_page(ops, body):  # noqa: F811
    assert beat(ops, A, body).status_code == 204
    staff = logged_in(ops)
    page = staff.get(f"{ops.url}/ops/terminals/{A}", timeout=10)
    assert page.status_code == 200, page.text[:300]
    assert 'data-level="green"' in page.text and "0.0.9" in page.text
    check = re.search(r'<table id="self-check">(.*?)</table>', page.text, re.S).group(1)
    assert check.count("未报告") == 3          # content pack, free disk, uptime
    if "devices" not in body:
        assert "终端未报告设备" in page.text and "终端未报告告警" in page.text
    fleet = staff.get(f"{ops.url}/ops/", timeout=10)
    assert fleet.status_code == 200 and row_level(fleet.text, A) == "green"
    assert staff.get(f"{ops.url}/ops/?level=green", timeout=10).status_code == 200


def test_a_terminal_whose_outbox_is_damaged_is_red(ops, tmp_path):  # noqa: F811
    """The terminal's own heartbeat (offline_cache/heartbeat.py through the sync worker): outbox_corrupt and
    outbox_key_problem stop the terminal, so they go as "fail"; an empty receipt roll stays a warning."""
    for terminal, code, level in ((A, "outbox_corrupt", "red"), (B, "receipt_paper_out", "amber")):
        data = tmp_path / terminal
        data.mkdir(mode=0o700)
        box = Outbox(data, terminal)
        box.alert(code, "raised by the test")
        token = next(t for t, tid in TOKENS.items() if tid == terminal)
        worker = SyncWorker(box, PlatformClient(ops.url, token, terminal, connect_timeout=2, read_timeout=10),
                            devices=lambda: [{"name": "idcard", "state": "online", "detail": ""}])
        assert worker.send_heartbeat()
        box.close()
    staff = logged_in(ops)
    fleet = staff.get(f"{ops.url}/ops/", timeout=10).text
    assert row_level(fleet, A) == "red" and row_level(fleet, B) == "amber"
    page = staff.get(f"{ops.url}/ops/terminals/{A}", timeout=10).text
    assert 'data-level="red"' in page and "告警 outbox_corrupt" in page and "故障（fail）" in page


def test_an_older_terminals_warn_alert_of_a_failing_code_is_red_too(ops):  # noqa: F811
    """Terminals from before the levels sent every alert as "warn": the console knows the code."""
    body = {"at": "2026-11-30T10:00:00+08:00", "version": "0.0.9", "outbox": OUTBOX,
            "alerts": [{"code": "outbox_key_problem", "level": "warn"}]}
    assert beat(ops, A, body).status_code == 204
    assert row_level(logged_in(ops).get(f"{ops.url}/ops/", timeout=10).text, A) == "red"
