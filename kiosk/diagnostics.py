"""Terminal self-check for maintenance staff: devices, outbox, platform, content, storage.

One report (a dict with no personal data) feeds both the `diagnose` command, run over SSH or by a
remote-management agent, and the on-screen maintenance mode. Each check says ok / warn / fail with
a plain sentence staff can act on.
"""
from __future__ import annotations

import contextlib
import shutil
import time
from typing import Any

import requests

OK, WARN, FAIL = "ok", "warn", "fail"
DEVICE_OK = {"online"}
DEVICE_WARN = {"noDevice", "offline", "deviceBusy"}


def check_devices(statuses: list[dict]) -> list[dict[str, Any]]:
    out = []
    for s in statuses:
        level = OK if s["state"] in DEVICE_OK else WARN if s["state"] in DEVICE_WARN else FAIL
        out.append({"check": f"device:{s['name']}", "level": level, "state": s["state"],
                    "detail": s.get("detail", "")})
    return out


def check_outbox(outbox, problem: str = "") -> dict[str, Any]:
    if outbox is None:
        return {"check": "outbox", "level": FAIL, "detail": problem or "outbox not open"}
    try:
        status = outbox.status()
        alerts = outbox.alerts(5)
    except Exception as exc:  # corrupt or unreadable: that is the finding
        return {"check": "outbox", "level": FAIL, "detail": f"{type(exc).__name__}"}
    level = OK
    detail = f"pending {status['pending']}, dead {status['dead']}, oldest {status['oldest_pending_age_s']} s"
    if status["dead"]:
        level = WARN
        detail += " — dead letters need staff (outbox retry-dead)"
    if status["oldest_pending_age_s"] > 3600:
        level = WARN
        detail += " — nothing delivered for over an hour"
    return {"check": "outbox", "level": level, "detail": detail, **status,
            "alerts": [{"at": a.get("at"), "code": a.get("code")} for a in alerts]}


def check_platform(settings, timeout: float = 3.0, client=None, lock=None) -> dict[str, Any]:
    """Is the platform reachable with this terminal's token, and how fast does it answer?

    `client` is the terminal core's platform client (used under `lock`); staff tools pass none."""
    url = settings.get("platform", "url")
    if not url:
        return {"check": "platform", "level": WARN, "detail": "no [platform] url configured"}
    if client is None:
        from offline_cache.platform_client import PlatformClient
        client = PlatformClient.from_settings(settings)
    started = time.monotonic()
    try:
        with (lock if lock is not None else contextlib.nullcontext()):
            r = client.request("GET", "/api/v1/catalogue", timeout=(timeout, timeout))
    except requests.RequestException as exc:
        return {"check": "platform", "level": FAIL, "detail": f"unreachable ({type(exc).__name__})"}
    ms = int((time.monotonic() - started) * 1000)
    if r.status_code == 401:
        return {"check": "platform", "level": FAIL, "detail": "token refused (401): check [platform] token"}
    if r.status_code >= 500:
        return {"check": "platform", "level": FAIL, "detail": f"server error {r.status_code}"}
    return {"check": "platform", "level": OK, "detail": f"answers in {ms} ms", "ms": ms}


def check_storage(settings, min_free_mb: int = 500) -> dict[str, Any]:
    usage = shutil.disk_usage(settings.data_dir)
    free_mb = usage.free // (1024 * 1024)
    level = OK if free_mb >= min_free_mb else WARN if free_mb >= 50 else FAIL
    return {"check": "storage", "level": level, "detail": f"{free_mb} MB free in data_dir", "free_mb": free_mb}


def check_content(settings) -> dict[str, Any]:
    try:
        from kiosk.guides.store import load_active_pack
        pack = load_active_pack(settings)
    except Exception as exc:
        return {"check": "content", "level": FAIL, "detail": f"no usable content pack ({type(exc).__name__})"}
    return {"check": "content", "level": OK, "detail": f"{pack.title} {pack.version}, {len(pack.matters)} matters"}


def report(settings, statuses: list[dict], outbox=None, outbox_problem: str = "",
           platform_timeout: float = 3.0, client=None, lock=None) -> dict[str, Any]:
    """The whole self-check; `overall` is the worst level found."""
    from kiosk import __version__
    checks = check_devices(statuses)
    checks += [check_outbox(outbox, outbox_problem), check_platform(settings, platform_timeout, client, lock),
               check_storage(settings), check_content(settings)]
    for check in checks:
        check.setdefault("state", "")     # every check has the same keys: {check, level, state, detail}
    order = {OK: 0, WARN: 1, FAIL: 2}
    overall = max((c["level"] for c in checks), key=order.__getitem__, default=OK)
    return {"terminal": settings.get("terminal", "id"), "level": settings.get("terminal", "level"),
            "version": __version__, "overall": overall, "checks": checks}
