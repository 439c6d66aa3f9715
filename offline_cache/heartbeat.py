"""The heartbeat body: the terminal's self-check as the platform's operations console reads it (issue 12).

Devices, outbox depth and oldest age, dead letters, software and content versions, free disk, uptime, the open
staff alerts (codes only) and where the terminal stands. No personal data. The platform's pydantic model
(platform_server/schemas.py `Heartbeat`) keeps in step with this.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from common.alerts import FAIL, WARN, alert_level
from offline_cache.outbox import ALERT_LOG, CST, now_rfc3339

log = logging.getLogger(__name__)
ALERT_OPEN_S = 24 * 3600   # an alert counts as open in the heartbeat for a day
MAX_ALERTS = 10
ALERT_LOG_TAIL = 64 * 1024  # bytes of staff-alerts.log read per beat


def terminal_info(settings) -> dict[str, str]:
    """Where the terminal stands, for the console's filters (name, level, county region code)."""
    if settings is None:
        return {}
    try:
        return {"name": settings.get("terminal", "name")[:64], "level": settings.get("terminal", "level"),
                "region_code": settings.get("terminal", "region_code")}
    except Exception:
        return {}


def open_alerts(outbox) -> list[dict[str, str]]:
    """Staff alerts of the last ALERT_OPEN_S seconds, newest first, each at its level (common/alerts.py: "fail"
    for the alerts that stop the terminal or lose data, which the console shows red).

    The outbox's alert table does not hold the storage alerts (outbox_corrupt, outbox_disk_full,
    outbox_io_error: the database is what failed), so data_dir/staff-alerts.log, which every alert reaches
    first, is read too."""
    cutoff = (datetime.now(CST) - timedelta(seconds=ALERT_OPEN_S)).isoformat(timespec="seconds")
    found: dict[tuple[str, str], None] = {}
    unreadable = False
    try:
        rows = outbox.alerts(limit=MAX_ALERTS)
    except Exception:
        rows, unreadable = [], True
    for r in rows + _logged_alerts(outbox):
        at, code = str(r.get("at") or ""), str(r.get("code") or "")[:64]
        if code and at >= cutoff:
            found[(at, code)] = None
    newest = sorted(found, reverse=True)[:MAX_ALERTS]
    alerts = [{"code": code, "at": at, "level": alert_level(code)} for at, code in newest]
    if unreadable:
        alerts.insert(0, {"code": "outbox_unreadable", "level": FAIL})
    return alerts


def _logged_alerts(outbox) -> list[dict[str, Any]]:
    """The latest lines of data_dir/staff-alerts.log ({"at", "code", "message"} each); [] when unreadable."""
    try:
        with open(Path(outbox.data_dir) / ALERT_LOG, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - ALERT_LOG_TAIL))
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except (OSError, AttributeError, TypeError):
        return []
    out = []
    for line in lines[-MAX_ALERTS * 4:]:
        try:
            item = json.loads(line)
        except ValueError:
            continue          # the first line of the tail may be cut
        if isinstance(item, dict):
            out.append(item)
    return out


def build(outbox, version: str, devices: Callable[[], list[dict[str, Any]]] | None, terminal: dict[str, str],
          self_check: Callable[[], dict[str, Any]] | None, uptime_s: float) -> dict[str, Any]:
    """One heartbeat body; a failing `self_check` adds an alert instead of stopping the beat."""
    status = outbox.status()
    body: dict[str, Any] = {
        "at": now_rfc3339(), "version": version,
        "devices": devices() if devices else [],
        "outbox": {k: status[k] for k in ("pending", "dead", "oldest_pending_age_s")},
        "uptime_s": int(uptime_s),
        "alerts": open_alerts(outbox),
    }
    try:
        body["free_disk_mb"] = int(shutil.disk_usage(outbox.data_dir).free // (1024 * 1024))
    except (OSError, AttributeError):
        pass
    if terminal:
        body["terminal"] = dict(terminal)
    if self_check:
        try:
            body.update(self_check())
        except Exception:   # a broken check must not stop the beat that reports it
            log.exception("self-check for the heartbeat failed")
            body["alerts"].append({"code": "self_check_failed", "level": WARN})
    return body
