"""Which pack the terminal shows, and the one place screens get guides and search from.

The downloaded pack (offline_cache/catalogue.py, in data_dir) wins; when there is none, or it
cannot be loaded, the pack bundled with the software is used, so a terminal always has guides.
"""
from __future__ import annotations

import logging
from pathlib import Path

from kiosk.guides.lint import errors_only, lint_pack
from kiosk.guides.loader import PackError, load_pack
from kiosk.guides.model import Pack
from kiosk.guides.search import SearchIndex
from offline_cache.catalogue import CatalogueSync, SyncResult, current_pack_dir, read_state

log = logging.getLogger(__name__)


def validate_pack_dir(path: Path) -> list[str]:
    """Errors that keep a downloaded pack from being used (the lint's errors, not its warnings)."""
    return [str(p) for p in errors_only(lint_pack(path))]


def active_pack_dir(settings) -> Path:
    return current_pack_dir(settings.data_dir, settings.content_dir)


def load_active_pack(settings) -> Pack:
    """The downloaded pack if it loads, else the bundled one."""
    path = active_pack_dir(settings)
    try:
        return load_pack(path)
    except PackError as exc:
        if path == Path(settings.content_dir):
            raise
        log.error("downloaded content pack unusable, using the bundled one: %s", exc)
        return load_pack(settings.content_dir)


def sync_catalogue(settings, progress=None) -> SyncResult:
    """Download the platform's catalogue into data_dir (see offline_cache/catalogue.py)."""
    from offline_cache.platform_client import PlatformClient
    client = PlatformClient.from_settings(settings)
    try:
        return CatalogueSync(client, settings.data_dir, validate_pack_dir).sync(progress)
    finally:
        client.close()


class GuideLibrary:
    """The pack as this terminal's level sees it, with its search index; reloads after a sync."""

    def __init__(self, settings):
        self.settings = settings
        self.level = settings.get("terminal", "level")
        self._etag: str | None = None
        self.reload()

    def reload(self) -> None:
        full = load_active_pack(self.settings)
        self.full_pack = full
        self.pack = full.for_level(self.level)
        self.index = SearchIndex.for_pack(full, self.level)
        self._etag = read_state(self.settings.data_dir).get("etag")

    def refresh_if_changed(self) -> bool:
        """Reload when a sync replaced the pack since the last load; True if it did."""
        if read_state(self.settings.data_dir).get("etag") != self._etag:
            self.reload()
            return True
        return False


class CatalogueRefresher:
    """Checks the platform for a new pack every `[content] sync_interval` seconds on a background
    thread; guide screens pick the new pack up on their next visit (GuideLibrary.refresh_if_changed)."""

    def __init__(self, settings, interval: float | None = None):
        import threading
        self.settings = settings
        self.interval = settings.getfloat("content", "sync_interval") if interval is None else interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="catalogue-sync", daemon=True)
        self.last: SyncResult | None = None

    def start(self) -> "CatalogueRefresher":
        if self.interval > 0:
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.last = sync_catalogue(self.settings)
            except Exception:  # noqa: BLE001 - a bad pack or a bug must not end the thread
                log.exception("catalogue refresh failed")
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
