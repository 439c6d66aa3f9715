"""A full terminal disk, as the citizen sees it: a plain message on screen, no receipt promised, staff alerted."""
from __future__ import annotations

import json

import pytest

from offline_cache.outbox_errors import OutboxFullError
from tests.ui.flow_helpers import open_tile, outbox_count, shown_text

pytestmark = pytest.mark.ui


def _fill_the_outbox(box) -> tuple[int, list[str]]:
    """No page left: the database may not grow, and small items fill its free pages and leaf space."""
    with box._lock:
        old_max = box._conn.execute("PRAGMA max_page_count").fetchone()[0]
        pages = box._conn.execute("PRAGMA page_count").fetchone()[0]
        box._conn.execute(f"PRAGMA max_page_count={pages}")
    fillers = []
    with pytest.raises(OutboxFullError):
        for _ in range(20000):
            fillers.append(box.enqueue("help_request", {}))
    return old_max, fillers


def _make_room(box, old_max: int, fillers: list[str]) -> None:
    with box._lock:
        marks = ",".join("?" * len(fillers))
        with box._conn:
            box._conn.execute(f"DELETE FROM items WHERE local_id IN ({marks})", fillers)
        box._conn.execute(f"PRAGMA max_page_count={old_max}")


def test_a_full_disk_tells_the_citizen_plainly_and_promises_no_receipt(kiosk_app):
    app, ui = kiosk_app
    box, worker = app.sync.outbox, app.sync.worker
    alerts = app.settings.data_dir / "staff-alerts.log"
    seen = len(alerts.read_text().splitlines()) if alerts.exists() else 0
    worker.stop()             # delivering (and so purging) items would make room again mid-test
    old_max, fillers = _fill_the_outbox(box)
    try:
        before = outbox_count(app, "complaint")
        open_tile(app, ui, "吐槽找茬", "complaint")
        ui.tap(ui.button("等太久"))
        ui.tap(ui.button("就在这个大厅"))
        ui.tap(ui.button("不留电话"))
        ui.tap(ui.button("提交"))
        assert app.sm.current == "notice", "no receipt screen for a submission that was not stored"
        shown = shown_text(ui)
        assert "没能提交" in shown
        assert "终端存储空间已满，本次提交未能保存，请联系工作人员" in shown
        assert ui.button("呼叫帮办") and ui.button("首页")   # a way on: staff, or start again
        assert not app.session.receipts and outbox_count(app, "complaint") == before
        codes = [json.loads(line)["code"] for line in alerts.read_text().splitlines()[seen:]]
        assert "outbox_disk_full" in codes
    finally:
        _make_room(box, old_max, fillers)
        worker.start()
    # space is back: the same complaint goes through and gets its receipt
    open_tile(app, ui, "吐槽找茬", "complaint")
    ui.tap(ui.button("等太久"))
    ui.tap(ui.button("就在这个大厅"))
    ui.tap(ui.button("不留电话"))
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt" and app.sm.current_screen.local_id
