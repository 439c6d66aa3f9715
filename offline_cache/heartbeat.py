"""The heartbeat body: the terminal's self-check as the platform's operations console reads it (issue 12).

Devices, outbox depth and oldest age, dead letters, software and content versions, free disk, uptime, the open
staff alerts (codes only) and where the terminal stands. No personal data. The platform's pydantic model
(platform_server/schemas.py `Heartbeat`) keeps in step with this.
"""
from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta
from typing import Any, Callable

from offline_cache.outbox import CST, now_rfc3339

log = logging.getLogger(__name__)
ALERT_OPEN_S = 24 * 3600   # an alert counts as open in the heartbeat for a day


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
    """Staff alerts of the last ALERT_OPEN_S seconds (the outbox records them), newest first."""
    cutoff = (datetime.now(CST) - timedelta(seconds=ALERT_OPEN_S)).isoformat(timespec="seconds")
    try:
        rows = outbox.alerts(limit=10)
    except Exception:
        return [{"code": "outbox_unreadable", "level": "fail"}]
    return [{"code": str(r["code"])[:64], "at": str(r["at"]), "level": "warn"}
            for r in rows if str(r["at"]) >= cutoff]


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
            body["alerts"].append({"code": "self_check_failed", "level": "warn"})
    return body
