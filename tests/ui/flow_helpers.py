"""Helpers of the 好差评 / 吐槽找茬 / 办件查询 UI tests: type on the keypad, wait for the real platform."""
from __future__ import annotations

import json
import sqlite3
import time


def open_tile(app, ui, title: str, screen: str):
    """Home, tap the tile called `title`, expect `screen`; returns that screen."""
    app.home()
    ui.frames()
    for _page in range(10):     # a citizen turns the home pages (下一页) until the tile shows
        if any(type(w).__name__ == "ServiceTile" for w in ui.find(text=title)):
            break
        ui.tap(ui.button("下一页"))
        ui.frames()
    ui.tap(ui.button(title))
    assert app.sm.current == screen
    return app.sm.current_screen


def complain(app, ui) -> str:
    """A quick 吐槽找茬 from home without a phone number; returns the receipt's local id."""
    app.home()
    ui.frames()
    ui.tap(ui.button("吐槽找茬"))
    ui.tap(ui.button("等太久"))
    ui.tap(ui.button("就在这个大厅"))
    ui.tap(ui.button("不留电话"))
    ui.tap(ui.button("提交"))          # on the review: 看一遍，没问题就提交
    assert app.sm.current == "receipt"
    return app.sm.current_screen.local_id


def visible_items(ui):
    """The GuideItems of the shown page (their row is not hidden), top to bottom."""
    ui.frames(2)
    items = [w for w in ui.find(cls_name="GuideItem") if w.parent is not None and w.parent.opacity > 0]
    return sorted(items, key=lambda w: -w.to_window(*w.pos)[1])


def type_digits(ui, digits: str) -> None:
    for d in digits:
        ui.tap(ui.button(d))


def shown_text(ui) -> str:
    """Every label's text on the current screen, joined (what a citizen can read)."""
    return " ".join(str(w.text) for w in ui.find() if type(w).__name__ in ("Label", "KLabel", "FlowTitle",
                                                                            "FlowHint", "FlowError", "ReviewWords"))


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


def traces(screen, *secrets: str) -> list[str]:
    """Where `secrets` (a phone, a note) are still held by the screen: its attributes, its Kivy properties
    and every widget it holds (attached or not), followed into lists, dicts and plain objects.

    Digits are compared without the keypad's grouping spaces and dashes. The screen manager, parents
    and other screens are not followed (they are not the screen's own), nor the shared pinyin lexicon."""
    from kivy.event import EventDispatcher
    from kivy.uix.screenmanager import Screen

    def plain(text: str) -> str:
        return text.replace(" ", "").replace("-", "")

    wanted = [plain(s) for s in secrets]
    found: list[str] = []
    seen: set[int] = set()

    def visit(obj, path: str, depth: int) -> None:
        if depth > 8 or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, str):
            if any(w in plain(obj) for w in wanted):
                found.append(path)
            return
        if obj is None or isinstance(obj, (bool, int, float, bytes)) or callable(obj) and not hasattr(obj, "__dict__"):
            return
        if type(obj).__name__ in ("Lexicon", "KioskApp", "TourApp", "Terminal", "Texture"):
            return
        if isinstance(obj, Screen) and obj is not screen:
            return
        if isinstance(obj, dict):
            for key, value in obj.items():
                visit(value, f"{path}[{key!r}]", depth + 1)
            return
        if isinstance(obj, (list, tuple, set, frozenset)):
            for i, value in enumerate(obj):
                visit(value, f"{path}[{i}]", depth + 1)
            return
        if isinstance(obj, EventDispatcher):
            for name in obj.properties():
                if name in ("parent", "manager"):
                    continue
                try:
                    value = getattr(obj, name)
                except Exception:  # noqa: BLE001 - a property that cannot be read holds nothing
                    continue
                visit(value, f"{path}.{name}", depth + 1)
        for name, value in getattr(obj, "__dict__", {}).items():
            visit(value, f"{path}.{name}", depth + 1)

    visit(screen, type(screen).__name__, 0)
    from screens.widgets.audit import walk
    for widget in walk(screen):
        visit(widget, f"widget {type(widget).__name__}", 1)
    return found


def strings_still_held(secrets) -> list[tuple[str, str]]:
    """(start of the string, container type) for every string held in any dict, list, tuple or set of the
    process that contains one of `secrets` — the objects `secrets` themselves excepted."""
    import gc
    gc.collect()
    leaks = []
    for obj in gc.get_objects():
        # type(), not isinstance(): a WeakProxy of a dead widget raises ReferenceError on isinstance()
        if type(obj) is dict:
            items = list(obj.values()) + list(obj.keys())
        elif type(obj) in (list, tuple, set):
            items = list(obj)
        else:
            continue
        for item in items:
            if type(item) is str and any(s in item for s in secrets) and all(item is not s for s in secrets):
                leaks.append((item[:40], type(obj).__name__))
    return leaks
