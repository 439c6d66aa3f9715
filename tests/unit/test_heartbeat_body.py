"""The heartbeat carries the self-check the operations console judges a terminal by (issue 12)."""
from __future__ import annotations

from offline_cache.outbox import Outbox
from offline_cache.platform_client import PlatformClient
from offline_cache.sync import SyncWorker
from platform_server.ops.fleet import AMBER, GREEN, RED, judge
from platform_server.schemas import Heartbeat


def worker(data_dir, settings=None, **kw):
    box = Outbox(data_dir, "HZ-DEMO-0001")
    return box, SyncWorker(box, PlatformClient("http://127.0.0.1:9", "t", "HZ-DEMO-0001"), settings,
                           devices=lambda: [{"name": "idcard", "state": "online", "detail": ""}], **kw)


def test_the_body_carries_every_self_check_field_and_the_platform_accepts_it(settings, data_dir):
    box, w = worker(data_dir, settings, self_check=lambda: {"content_version": "2026.11.27"})
    box.alert("printer_paper_out", "receipt printer has no paper")
    body = w.heartbeat_body()
    assert body["content_version"] == "2026.11.27"
    assert body["free_disk_mb"] > 0 and body["uptime_s"] >= 0
    assert body["outbox"] == {"pending": 0, "dead": 0, "oldest_pending_age_s": 0}
    assert [a["code"] for a in body["alerts"]] == ["printer_paper_out"]
    assert body["terminal"]["region_code"] == settings.get("terminal", "region_code")
    Heartbeat.model_validate(body)           # the platform's schema keeps in step
    assert judge(body, 0, 300)[0] == AMBER   # an open alert is a warning on the console
    box.close()


def test_a_broken_self_check_still_beats_and_says_so(data_dir):
    def broken():
        raise OSError("pack unreadable")
    box, w = worker(data_dir, self_check=broken)
    body = w.heartbeat_body()
    assert {"code": "self_check_failed", "level": "warn"} in body["alerts"]
    Heartbeat.model_validate(body)
    box.close()


def test_states_green_amber_red():
    beat = {"devices": [{"name": "idcard", "state": "online"}], "outbox": {"pending": 0, "dead": 0,
            "oldest_pending_age_s": 0}, "free_disk_mb": 5000, "alerts": []}
    assert judge(beat, 10, 300) == (GREEN, [])
    assert judge(beat, 301, 300)[0] == RED
    assert judge({**beat, "outbox": {"pending": 40, "dead": 0, "oldest_pending_age_s": 4000}}, 0, 300)[0] == AMBER
    assert judge({**beat, "devices": [{"name": "printer", "state": "hardwareError"}]}, 0, 300)[0] == RED
    assert judge({**beat, "free_disk_mb": 50}, 0, 300)[0] == RED


def test_alerts_that_stop_the_terminal_go_as_fail(data_dir):
    """outbox_key_problem is in the outbox's alert table; outbox_corrupt only in staff-alerts.log (the database
    is what failed): both go at "fail", so the console shows the terminal red; a paper-out stays a warning."""
    box, w = worker(data_dir)
    box.alert("receipt_paper_out", "no paper")
    box.alert("outbox_key_problem", "key file unusable")
    box.alert("outbox_corrupt", "database damaged")
    levels = {a["code"]: a["level"] for a in w.heartbeat_body()["alerts"]}
    assert levels == {"receipt_paper_out": "warn", "outbox_key_problem": "fail", "outbox_corrupt": "fail"}
    body = w.heartbeat_body()
    Heartbeat.model_validate(body)
    assert judge(body, 0, 300)[0] == RED
    box.close()
