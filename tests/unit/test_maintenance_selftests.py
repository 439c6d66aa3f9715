"""The maintenance self-tests (kiosk/maintenance) against the simulator twins, the real platform
process and real SQLite files: what staff read, the figures, and that no personal data shows unmasked."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.maintenance import device_tests, system_tests
from kiosk.maintenance.results import Context
from kiosk.maintenance.selftests import TESTS, as_checks, run_test, run_unattended
from kiosk.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def _settings(data_dir, **extra):
    over = {("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true",
            ("platform", "url"): "http://127.0.0.1:9", ("scanner", "driver"): "simulator"}
    over.update({tuple(k.split("__")): v for k, v in extra.items()})
    return load_settings(env={}, overrides=over)


@pytest.fixture
def rig(data_dir):
    """The demo terminal's devices (simulator twins), started as the kiosk starts them."""
    from kiosk.devices_hub import DeviceHub
    from kiosk.voice import Voice
    settings = _settings(data_dir)
    hub = DeviceHub(settings)
    hub.start_all()
    ctx = Context(settings=settings, device=hub.get, voice=Voice(enabled=True))
    yield ctx, hub
    hub.stop_all()


def test_every_test_has_a_chinese_title_and_prompt():
    keys = [t.key for t in TESTS]
    assert keys == ["idcard", "sscard", "camera", "doccam", "scanner", "receipt", "a4", "touch", "sound",
                    "network", "storage"]
    for test in TESTS:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in test.title + test.prompt)


def test_idcard_reads_a_laid_card_shows_it_masked_with_the_read_time(rig):
    ctx, hub = rig
    record = hub.get("idcard").sim.cards["resident"]     # what the demo card holds, to look for it
    result = run_test("idcard", ctx)
    assert result.ok, result.summary
    assert result.state == "online" and result.figures["read_ms"] > 0
    assert "读卡用时" in result.summary
    shown = " ".join(result.lines)
    assert record.id_number not in shown and record.name not in shown
    assert record.id_number[:4] + "*" in shown and record.id_number[-4:] in shown


def test_sscard_gives_the_atr_and_a_masked_read(rig):
    ctx, hub = rig
    result = run_test("sscard", ctx)
    assert result.ok, result.summary
    assert "ATR 3B 80 80 01 01" in result.lines
    record = hub.get("sscard").cards["default"]
    assert record.ssn not in " ".join(result.lines) and record.name not in " ".join(result.lines)
    assert result.figures["read_ms"] >= 0 and result.figures["atr_bytes"] == 5


def test_card_tests_without_a_person_only_ask_the_state(rig):
    ctx, hub = rig
    import dataclasses
    quiet = dataclasses.replace(ctx, person=False)
    for key in ("idcard", "sscard"):
        result = run_test(key, quiet)
        assert result.ok and result.state == "online" and "在线" in result.summary


def test_cameras_show_live_frames_with_sharpness_and_brightness(rig):
    import dataclasses
    ctx, hub = rig
    seen = []
    live = dataclasses.replace(ctx, frame=seen.append)
    for key in ("camera", "doccam"):
        seen.clear()
        result = run_test(key, live)
        assert result.level in ("ok", "warn"), result.summary
        assert len(seen) >= 3, "the screen gets live frames"
        assert 0 <= result.figures["sharpness"] <= 2 and 0 <= result.figures["brightness"] <= 255
        assert result.figures["fps"] > 1
        assert not hub.get(key).running, "an on-demand camera is released again"


def test_picture_figures_tell_a_dark_blurred_picture_from_a_crisp_one():
    import numpy as np
    crisp = np.zeros((480, 640, 3), np.uint8)
    crisp[:, 320:] = 220
    dark_flat = np.full((480, 640, 3), 12, np.uint8)
    a, b = device_tests.picture_figures(crisp), device_tests.picture_figures(dark_flat)
    assert a["sharpness"] > 0.5 and b["sharpness"] == 0.0
    assert b["brightness"] < 20 < a["brightness"]


def test_the_code_camera_test_reads_a_code_and_shows_only_its_length(rig):
    """A terminal that scans with its camera: the camera's self-test reads a code held up to it (the
    simulator shows one as the technician's phone), and the scanner's test points to it."""
    ctx, hub = rig
    result = run_test("camera", ctx)
    assert result.figures["code_length"] == len(device_tests.TEST_CODE), result.lines
    assert "读到了二维码" in " ".join(result.lines)
    assert device_tests.TEST_CODE not in result.summary + " ".join(result.lines)
    assert not hub.get("camera").running
    import dataclasses
    unattended = run_test("camera", dataclasses.replace(ctx, person=False))    # no phone held up
    assert "code_length" not in unattended.figures and "没看到二维码" in " ".join(unattended.lines)


def test_without_a_scanner_the_scanner_test_points_to_the_camera(data_dir):
    from kiosk.devices_hub import DeviceHub
    settings = _settings(data_dir, scanner__driver="none", camera__driver="simulator")
    hub = DeviceHub(settings)
    ctx = Context(settings=settings, device=hub.get, person=True)
    result = run_test("scanner", ctx)
    assert result.ok and "扫码摄像头" in result.summary and result.state == "noDevice"


def test_the_camera_test_says_a_missing_picture_plainly(data_dir):
    from devices.base import NoDevice
    ctx = Context(settings=_settings(data_dir), device=NoDevice)
    result = run_test("camera", ctx)
    assert result.level == "warn" and result.state == "noDevice" and "没有配置" in result.summary


def test_scanner_waits_for_a_code_and_shows_only_its_length(rig):
    ctx, _hub = rig
    result = run_test("scanner", ctx)
    assert result.ok and result.figures["code_length"] == len(device_tests.TEST_CODE)
    assert device_tests.TEST_CODE not in result.summary + " ".join(result.lines)


def test_receipt_printer_prints_a_test_page_and_reports_paper_out(rig):
    ctx, hub = rig
    printer = hub.get("receipt")
    before = len(list(Path(printer.out_dir).glob("*.png"))) if hasattr(printer, "out_dir") else None
    result = run_test("receipt", ctx)
    assert result.ok and "测试页已打印" in result.summary and result.state == "online"
    if before is not None:
        assert len(list(Path(printer.out_dir).glob("*.png"))) == before + 1
    printer.simulate("paper_out")
    try:
        result = run_test("receipt", ctx)
    finally:
        printer.simulate("ok")
    assert result.level == "fail" and "没有纸" in result.summary


def test_receipt_paper_near_end_prints_and_warns(rig):
    ctx, hub = rig
    hub.get("receipt").simulate("paper_near_end")
    try:
        result = run_test("receipt", ctx)
    finally:
        hub.get("receipt").simulate("ok")
    assert result.level == "warn" and "纸快用完了" in result.summary and "paper_near_end" in result.lines
    assert "测试页已打印" in result.summary


def test_a4_printer_prints_a_test_page(rig):
    ctx, hub = rig
    result = run_test("a4", ctx)
    assert result.ok, result.summary
    hub.get("printer").simulate("offline")
    try:
        result = run_test("a4", ctx)
    finally:
        hub.get("printer").simulate("ok")
    assert result.level == "fail"


def test_touch_grid_has_the_corners_and_names_what_was_missed():
    grid = system_tests.TouchGrid(1920, 1080)
    assert len(grid.targets) == 12
    corners = {(60.0, 60.0), (1860.0, 60.0), (60.0, 1020.0), (1860.0, 1020.0)}
    assert corners <= set(grid.targets)
    assert grid.tap(960, 540) is None and grid.misses == 1
    for x, y in grid.targets[:-1]:
        assert grid.tap(x + 5, y - 5) is not None
    result = grid.result()
    assert not grid.done and result.level == "warn" and "右上角" in result.summary
    grid.tap(1855, 1018)
    result = grid.result()
    assert grid.done and result.ok and result.figures["hit"] == 12 and "平均偏差" in result.summary


def test_sound_synthesizes_a_sentence_it_can_measure(data_dir):
    import shutil
    from kiosk.voice import Voice
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is missing (dev.sh installs it)")
    voice = Voice(enabled=True, audio_check=lambda: False)     # a terminal whose speaker is unplugged
    ctx = Context(settings=_settings(data_dir), device=None, voice=voice)
    result = system_tests.sound(ctx)
    assert result.level == "warn" and "没有找到声卡" in result.summary
    assert 1.0 < result.figures["speech_s"] < 15 and result.figures["peak"] > 0.05
    result = system_tests.sound(Context(settings=ctx.settings, device=None, voice=voice, person=False))
    assert result.ok


def test_network_measures_latency_and_clock_offset_against_the_platform(platform_settings):
    ctx = Context(settings=platform_settings, device=None)
    result = run_test("network", ctx)
    assert result.ok, result.summary
    assert 0 <= result.figures["latency_ms"] < 5000 and abs(result.figures["clock_offset_s"]) <= 2
    assert "平台可以连通" in result.summary


def test_network_says_unreachable_and_a_refused_token(platform_settings, data_dir):
    result = run_test("network", Context(settings=_settings(data_dir), device=None))
    assert result.level == "fail" and "连不上平台" in result.summary
    assert "Error" not in result.summary and result.state.endswith("Error"), "the error's name in small print"
    platform_settings._p.set("platform", "token", "wrong-token")
    result = run_test("network", Context(settings=platform_settings, device=None))
    assert result.level == "fail" and "401" in result.summary


def test_clock_offset_from_the_date_header():
    import email.utils
    header = email.utils.formatdate(1_000_100.0, usegmt=True)
    assert system_tests.clock_offset(header, 1_000_000.0, 1_000_000.0) == 100.0
    assert system_tests.clock_offset("not a date", 0, 0) is None and system_tests.clock_offset(None, 0, 0) is None


def test_storage_checks_free_space_and_the_outbox_integrity(data_dir):
    from offline_cache.outbox import Outbox
    settings = _settings(data_dir)
    outbox = Outbox(data_dir)
    outbox.close()
    result = run_test("storage", Context(settings=settings, device=None))
    assert result.ok and result.figures["integrity"] == "ok" and result.figures["free_mb"] > 0
    db = data_dir / "outbox.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 400)
    conn.commit()
    conn.close()
    raw = bytearray(db.read_bytes())
    for offset in range(4096 * 3, len(raw) - 4096, 4096):   # damage the b-tree pages, keep the header
        raw[offset:offset + 64] = b"\xff" * 64
    db.write_bytes(bytes(raw))
    result = run_test("storage", Context(settings=settings, device=None))
    assert result.level == "fail" and result.figures["integrity"] == "damaged" and "损坏" in result.summary


def test_unattended_run_skips_touch_and_prints_only_on_simulators(rig):
    ctx, hub = rig
    results = run_unattended(ctx)
    keys = [r.test for r in results]
    assert "touch" not in keys and keys[0] == "idcard" and keys[-1] == "storage"
    checks = as_checks(results)
    assert all({"check", "level", "state", "detail", "figures"} <= c.keys() for c in checks)
    by = {r.test: r for r in results}
    assert by["receipt"].ok and "测试页已打印" in by["receipt"].summary, "the simulator printer gets its page"
    assert by["network"].level == "fail"


def test_diagnose_selftest_keeps_the_report_shape(data_dir):
    out = subprocess.run([sys.executable, str(ROOT / "run_kiosk.py"), "--data-dir", str(data_dir), "diagnose",
                          "--json", "--selftest", "--settle", "1"],
                         capture_output=True, text=True, timeout=180, cwd=ROOT,
                         env={**__import__("os").environ, "KIOSK_TERMINAL_DEMO": "true",
                              "KIOSK_PLATFORM_URL": "http://127.0.0.1:9"})
    report = json.loads(out.stdout)
    assert {"terminal", "level", "version", "overall", "checks"} <= report.keys()
    assert out.returncode == 2 and report["overall"] == "fail"       # no platform at port 9
    checks = {c["check"]: c for c in report["checks"]}
    assert {"device:idcard", "outbox", "platform", "storage", "content"} <= checks.keys()
    assert {f"selftest:{k}" for k in ("idcard", "camera", "receipt", "a4", "sound", "network", "storage")} \
        <= checks.keys()
    assert all({"check", "level", "state", "detail"} <= c.keys() for c in report["checks"])
    assert checks["selftest:storage"]["figures"]["integrity"] == "ok"
