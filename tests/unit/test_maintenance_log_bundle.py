"""The maintenance event log and the diagnostics bundle: readable, kept across a restart, and nothing
personal or secret inside (a made-up citizen's data and the terminal's secrets are looked for)."""
from __future__ import annotations

import json
import os
import zipfile

import pytest

from kiosk.maintenance import bundle
from kiosk.maintenance.eventlog import EventLog
from kiosk.settings import load_settings

CITIZEN = {"name": "欧阳小明", "id_number": "372901199001011234", "phone": "13812345678",
           "address": "菏泽市牡丹区中华路 88 号"}
TOKEN = "tok-7f3a9c2e55d1"


def _settings(data_dir):
    from kiosk.staff_pin import hash_pin
    return load_settings(env={}, overrides={
        ("storage", "data_dir"): str(data_dir), ("platform", "token"): TOKEN,
        ("platform", "url"): "https://heze:pa55word@platform.example/api",
        ("staff", "pin_hash"): hash_pin("480213", n=2 ** 10), ("codes", "issuers"): "kid1=" + "ab" * 32})


def test_core_events_become_plain_chinese_lines(data_dir):
    log = EventLog(data_dir)
    log.on_core_event("device", {"device": "idcard", "event": "state", "state": "powerOff"})
    log.on_core_event("device", {"device": "idcard", "event": "card_presented"})
    log.on_core_event("outbox", {"event": "delivered", "local_id": "HZ-0001-000007", "kind": "application"})
    log.on_core_event("outbox", {"event": "dead", "local_id": "HZ-0001-000008", "kind": "evaluation",
                                 "reason": f"422 phone {CITIZEN['phone']} rejected"})
    log.on_core_event("outbox", {"event": "alert", "code": "outbox_disk_full", "message": "storage full"})
    log.on_core_event("outbox", {"event": "connectivity", "online": False})
    texts = [EventLog.line(e) for e in log.entries()]
    assert "身份证读卡器：断电或没有连接" in texts[-1] and "网络断开" in texts[0]
    assert any("读到一张卡" in t for t in texts) and any("已送达平台" in t for t in texts)
    assert any("[告警]" in t and "outbox_disk_full" in t for t in texts)
    assert not any(CITIZEN["phone"] in t for t in texts), "the dead letter's reason is redacted"
    assert [e["kind"] for e in log.entries(kind="alert")] == ["alert"]


def test_the_log_survives_a_restart_and_reads_old_alerts(data_dir):
    (data_dir / "staff-alerts.log").write_text(json.dumps(
        {"at": "2026-11-30T08:00:00+08:00", "code": "staff_pin_guessing", "message": "3 wrong PINs"}) + "\n")
    log = EventLog(data_dir)
    assert log.read_alert_log(data_dir) == 1
    log.add("staff", "进入维护模式")
    again = EventLog(data_dir)
    assert [e["text"] for e in again.entries()] == ["进入维护模式"]
    assert oct((data_dir / "events.jsonl").stat().st_mode & 0o777) == "0o600"
    assert again.read_alert_log(data_dir) == 1 and again.read_alert_log(data_dir) == 0, "read in once"


def test_the_file_is_cut_back_when_it_grows(data_dir):
    log = EventLog(data_dir, keep_lines=20)
    for n in range(200):
        log.add("device", f"第 {n} 条")
    lines = (data_dir / "events.jsonl").read_text().splitlines()
    assert len(lines) <= 41 and json.loads(lines[-1])["text"] == "第 199 条"


def test_a_listener_hears_new_entries_and_can_leave(data_dir):
    log = EventLog(None)
    heard = []
    stop = log.subscribe(heard.append)
    log.add("selftest", "网络与平台：正常")
    stop()
    log.add("selftest", "存储：正常")
    assert [e["text"] for e in heard] == ["网络与平台：正常"]


def test_removable_targets_come_from_the_mount_table(tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /media/staff/KINGSTON vfat rw 0 0\n"
                      f"tmpfs /run/user/0 tmpfs rw 0 0\n/dev/sdc1 /mnt vfat rw 0 0\n")
    assert bundle.removable_targets(str(mounts)) == [] or all(
        str(p).startswith("/media/") for p in bundle.removable_targets(str(mounts)))
    os.makedirs("/media/heze-test-stick", exist_ok=True)
    try:
        mounts.write_text("/dev/sdb1 /media/heze-test-stick vfat rw 0 0\n/dev/sda1 / ext4 rw 0 0\n")
        assert [str(p) for p in bundle.removable_targets(str(mounts))] == ["/media/heze-test-stick"]
    finally:
        os.rmdir("/media/heze-test-stick")


@pytest.fixture
def busy_data_dir(data_dir):
    """A data_dir after a day's work: logs that slipped a citizen's data, alerts, the outbox and its key,
    the PIN file: what must and must not reach the bundle."""
    from kiosk.staff_pin import set_pin
    from offline_cache.outbox import Outbox
    outbox = Outbox(data_dir)
    outbox.enqueue("evaluation", {"level": 5, "name": CITIZEN["name"], "phone": CITIZEN["phone"]})
    outbox.alert("outbox_disk_full", "storage full during enqueue")
    outbox.close()
    set_pin(data_dir, "480213")
    (data_dir / "kiosk.log").write_text(
        f"2026-11-30 08:00:00 INFO kiosk: card read for {CITIZEN['id_number']} phone {CITIZEN['phone']}\n"
        f"2026-11-30 08:00:01 INFO offline_cache: sending with Bearer {TOKEN}\n")
    (data_dir / "kiosk.log.1").write_text("2026-11-29 08:00:00 INFO kiosk: started\n")
    return data_dir


def test_the_bundle_has_what_staff_need_and_nothing_personal_or_secret(busy_data_dir, tmp_path):
    settings = _settings(busy_data_dir)
    log = EventLog(busy_data_dir)
    log.add("device", f"扫码器：读到一个码 {CITIZEN['id_number']}")
    stick = tmp_path / "stick"
    stick.mkdir()
    selfcheck = {"terminal": "HZ-DEMO-0001", "overall": "ok", "checks": [{"check": "storage", "level": "ok"}]}
    path = bundle.export(stick, settings, selfcheck, log.entries())
    assert path.parent == stick and path.suffix == ".zip" and not list(stick.glob("*.part"))
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        blob = "\n".join(zf.read(n).decode("utf-8") for n in names)
        config = json.loads(zf.read("config.json"))
    assert {"manifest.json", "config.json", "selfcheck.json", "events.jsonl", "logs/kiosk.log", "logs/kiosk.log.1",
            "logs/staff-alerts.log"} <= names
    assert not any(n.endswith((".db", ".key", "staff-pin")) for n in names)
    assert config["settings"]["platform"]["token"] == "***" and config["settings"]["staff"]["pin_hash"] == "***"
    assert config["settings"]["platform"]["url"] == "https://***@platform.example/api"
    for value in list(CITIZEN.values()) + [TOKEN, "pa55word", "ab" * 32, "scrypt$"]:
        assert value not in blob, f"{value!r} leaked into the bundle"
    assert "outbox_disk_full" in blob and "started" in blob and "card read for ***" in blob   # masked, not dropped


def test_export_to_a_missing_folder_says_so(data_dir, tmp_path):
    with pytest.raises(OSError):
        bundle.export(tmp_path / "no-stick", _settings(data_dir), {}, [])
