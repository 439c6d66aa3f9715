"""Helpers of the 好差评 / 吐槽找茬 / 办件查询 UI tests: type on the keypad, wait for the real platform."""
from __future__ import annotations

import json
import sqlite3
import time


def open_tile(app, ui, title: str, screen: str):
    """Home, tap the tile called `title`, expect `screen`; returns that screen."""
    app.home()
    ui.frames()
    ui.tap(ui.button(title))
    assert app.sm.current == screen
    return app.sm.current_screen


def type_digits(ui, digits: str) -> None:
    for d in digits:
        ui.tap(ui.button(d))


def shown_text(ui) -> str:
    """Every label's text on the current screen, joined (what a citizen can read)."""
    return " ".join(str(w.text) for w in ui.find() if type(w).__name__ in ("Label", "KLabel", "FlowTitle",
                                                                            "FlowHint", "FlowError"))


def outbox_count(app, kind: str) -> int:
    return sum(1 for row in app.sync.outbox.items(limit=100000) if row["kind"] == kind)


def wait_delivered(app, ui, local_id: str, timeout: float = 30.0) -> dict:
    """Pump frames until the sync worker has delivered `local_id` to the platform; returns the receipt row."""
    deadline = time.monotonic() + timeout
    row = app.sync.outbox.receipt(local_id)
    while row["state"] != "delivered" and time.monotonic() < deadline:
        ui.frames(2)
        time.sleep(0.05)
        row = app.sync.outbox.receipt(local_id)
    assert row["state"] == "delivered", f"not delivered: {row['state']} {row['last_error']}"
    return row


def platform_body(app, local_id: str) -> dict:
    """The submission as the real platform process stored it."""
    with sqlite3.connect(f"file:{app.platform.db_path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT body FROM submissions WHERE local_id=?", (local_id,)).fetchone()
    assert row is not None, "platform has no such submission"
    return json.loads(row[0])
