"""Terminal states from the heartbeats: green (recent beat, all well), amber (warnings), red (silent for longer
than `silent_after` seconds, or a failing check). Every rule names its reason, so staff see why."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from common.alerts import FAIL, FAIL_ALERTS, WARN
from platform_server import db

GREEN, AMBER, RED = "green", "amber", "red"
LEVEL_WORDS = {GREEN: "正常", AMBER: "注意", RED: "故障"}
# XFS4IoT device states (shared/specs/devices.md); "noDevice" (not configured here) and "deviceBusy" are fine
FAIL_STATES = {"hardwareError", "powerOff", "fraudAttempt", "error", "failed", "fail"}
WARN_STATES = {"offline", "userError", "potentialFraud", "warn", "warning", "degraded"}
OUTBOX_BACKLOG = 20            # pending items
OUTBOX_OLD_S = 30 * 60         # oldest pending item
LOW_DISK_MB, FAIL_DISK_MB = 1024, 100
# what a page reads of a heartbeat; a terminal of an older version sends only `at`, `version` and `outbox`
# (platform_server/schemas.py Heartbeat), so every other field may be absent and shows as 未报告
SHOWN_FIELDS = {"version": None, "content_version": None, "free_disk_mb": None, "uptime_s": None, "devices": None,
                "alerts": None, "terminal": None}
OUTBOX_FIELDS = ("pending", "dead", "oldest_pending_age_s")


@dataclass
class TerminalState:
    terminal_id: str
    level: str                  # green | amber | red
    reasons: list[str] = field(default_factory=list)
    last_at: str = ""
    silent_s: int = 0
    silent: bool = False
    region_code: str = ""
    place_level: str = ""
    beat: dict = field(default_factory=dict)

    @property
    def words(self) -> str:
        return LEVEL_WORDS[self.level]


def failing(alert: dict) -> bool:
    """An alert that makes the terminal red: sent as "fail", or of a code that is (common/alerts.py; a terminal
    of an older version sent every alert as "warn")."""
    return alert.get("level") == FAIL or alert.get("code") in FAIL_ALERTS


def judge(beat: dict, silent_s: float, silent_after: float) -> tuple[str, list[str]]:
    """(level, reasons) of one heartbeat seen `silent_s` seconds after it arrived."""
    red: list[str] = []
    amber: list[str] = []
    if silent_s > silent_after:
        red.append(f"{int(silent_s)} 秒没有心跳")
    for dev in beat.get("devices") or []:
        state = str(dev.get("state", ""))
        if state in FAIL_STATES:
            red.append(f"设备 {dev.get('name')}: {state}")
        elif state in WARN_STATES:
            amber.append(f"设备 {dev.get('name')}: {state}")
    box = beat.get("outbox") or {}
    if box.get("pending", 0) >= OUTBOX_BACKLOG or box.get("oldest_pending_age_s", 0) >= OUTBOX_OLD_S:
        amber.append(f"待发送积压 {box.get('pending', 0)} 件，最早 {box.get('oldest_pending_age_s', 0) // 60} 分钟")
    if box.get("dead", 0):
        amber.append(f"退信 {box['dead']} 件")
    disk = beat.get("free_disk_mb")
    if disk is not None and disk < FAIL_DISK_MB:
        red.append(f"磁盘剩余 {disk} MB")
    elif disk is not None and disk < LOW_DISK_MB:
        amber.append(f"磁盘剩余 {disk} MB")
    for alert in beat.get("alerts") or []:
        (red if failing(alert) else amber).append(f"告警 {alert.get('code')}")
    if red:
        return RED, red + amber
    return (AMBER, amber) if amber else (GREEN, [])


def shown(beat: dict) -> dict:
    """The heartbeat as the pages read it: every field present, None where the terminal did not report it
    (devices and alerts: None = not reported, [] = none)."""
    out = {**SHOWN_FIELDS, **{k: beat.get(k) for k in SHOWN_FIELDS}}
    box = beat.get("outbox") or {}
    out["outbox"] = {k: box.get(k) for k in OUTBOX_FIELDS}
    out["terminal"] = {k: (out["terminal"] or {}).get(k) or None for k in ("name", "level", "region_code")}
    if out["alerts"] is not None:
        out["alerts"] = [{**a, "level": FAIL if failing(a) else WARN} for a in out["alerts"]]
    return out


def _state(row, now: float, silent_after: float) -> TerminalState:
    beat = json.loads(row["body"])
    silent_s = max(0.0, now - row["last_ts"])
    level, reasons = judge(beat, silent_s, silent_after)
    return TerminalState(row["terminal_id"], level, reasons, row["last_at"], int(silent_s), silent_s > silent_after,
                         row["region_code"] or "", row["level"] or "", shown(beat))


def fleet(conn, now: float, silent_after: float, *, region: str = "", level: str = "") -> list[TerminalState]:
    """Every terminal that ever beat, red first, then amber, then green; filtered by county and state."""
    sql, params = "SELECT * FROM terminals", []
    if region:
        sql += " WHERE region_code=?"
        params.append(region)
    states = [_state(r, now, silent_after) for r in conn.execute(sql + " ORDER BY terminal_id", params)]
    if level:
        states = [s for s in states if s.level == level]
    order = {RED: 0, AMBER: 1, GREEN: 2}
    return sorted(states, key=lambda s: (order[s.level], s.terminal_id))


def regions(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT region_code FROM terminals ORDER BY region_code")]


def one(conn, terminal_id: str, now: float, silent_after: float) -> TerminalState | None:
    row = conn.execute("SELECT * FROM terminals WHERE terminal_id=?", (terminal_id,)).fetchone()
    return _state(row, now, silent_after) if row is not None else None


def history(conn, terminal_id: str, silent_after: float, limit: int = 50) -> list[dict]:
    """The terminal's latest beats, newest first, each with the level it had when it arrived and the gap
    before it (a gap longer than silent_after was a silent spell)."""
    rows = list(conn.execute("SELECT received_at, received_ts, body FROM heartbeats WHERE terminal_id=? "
                             "ORDER BY rowid DESC LIMIT ?", (terminal_id, limit + 1)))
    out = []
    for i, row in enumerate(rows[:limit]):
        beat = json.loads(row["body"])
        level, reasons = judge(beat, 0, silent_after)
        older = rows[i + 1]["received_ts"] if i + 1 < len(rows) else None
        gap = int(row["received_ts"] - older) if older is not None and row["received_ts"] is not None else None
        out.append({"at": row["received_at"], "level": level, "reasons": reasons, "gap_s": gap,
                    "silent_before": gap is not None and gap > silent_after,
                    "pending": (beat.get("outbox") or {}).get("pending"), "version": beat.get("version")})
    return out


def fmt_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, db.CST).isoformat(timespec="seconds")
