"""Starts the terminal's outbox and its sync worker (and, in demo mode, the local reference platform)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

log = logging.getLogger(__name__)


@dataclass
class SyncService:
    outbox: object | None
    worker: object | None
    problem: str = ""   # plain words for staff when the outbox could not open

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.outbox is not None:
            self.outbox.close()


def start_sync(settings, device_statuses=None) -> SyncService:
    """Open the outbox under data_dir and start delivering it; never raises (the kiosk must start)."""
    from offline_cache.outbox import Outbox, OutboxError
    from offline_cache.platform_client import PlatformClient
    from offline_cache.sync import SyncWorker
    try:
        outbox = Outbox.from_settings(settings)
    except OutboxError as exc:
        log.error("outbox could not open: %s", exc)
        return SyncService(None, None, getattr(exc, "message", str(exc)))
    except Exception as exc:  # corrupt file, full disk: the terminal still guides, staff are alerted
        log.exception("outbox could not open")
        return SyncService(None, None, f"outbox unavailable: {type(exc).__name__}")
    worker = SyncWorker(outbox, PlatformClient.from_settings(settings), settings, devices=device_statuses,
                        self_check=lambda: {"content_version": content_version(settings)})
    worker.start()
    return SyncService(outbox, worker)


def content_version(settings) -> str:
    """The installed content pack's version (pack.yaml `version`), "" when there is none."""
    import yaml
    try:
        with open(Path(settings.content_dir) / "pack.yaml", encoding="utf-8") as fh:
            meta = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError):
        return ""
    return str(meta.get("version", ""))[:64] if isinstance(meta, dict) else ""


def start_demo_platform(settings):
    """In demo mode, run the reference platform on loopback and point [platform] url at it."""
    url = settings.get("platform", "url")
    host = urlparse(url).hostname or ""
    if not settings.demo or (url and host not in ("127.0.0.1", "localhost")):
        return None
    from platform_server.process import PlatformProcess
    platform = PlatformProcess(Path(settings.data_dir) / "demo-platform" / "platform.db",
                               token=settings.get("platform", "token"),
                               terminal_id=settings.get("terminal", "id"), content=settings.content_dir
                               if Path(settings.content_dir).is_dir() else None)
    try:
        platform.start()
    except Exception:
        log.exception("demo platform did not start; the kiosk runs offline and queues submissions")
        return None
    settings._p.set("platform", "url", platform.url)
    log.info("demo platform listening on %s", platform.url)
    return platform
