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


def sync_catalogue(settings, progress=None, *, client=None, lock=None) -> SyncResult:
    """Download the platform's catalogue into data_dir (see offline_cache/catalogue.py): through `client`
    (the terminal's one platform client, `lock` held for each exchange), else a client made for this sync
    (the `content sync` command runs without a terminal)."""
    own = client is None
    if own:
        from offline_cache.platform_client import PlatformClient
        client = PlatformClient.from_settings(settings)
    try:
        return CatalogueSync(client, settings.data_dir, validate_pack_dir, lock=lock).sync(progress)
    finally:
        if own:
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
    thread; guide screens pick the new pack up on their next visit (GuideLibrary.refresh_if_changed).
    `platform` gives the terminal's one client (`lambda: terminal.platform`), used under `lock`."""

    def __init__(self, settings, interval: float | None = None, *, platform=None, lock=None):
        import threading
        self.settings = settings
        self.platform = platform
        self.lock = lock if lock is not None else threading.Lock()
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
                self.last = self._sync()
            except Exception:  # noqa: BLE001 - a bad pack or a bug must not end the thread
                log.exception("catalogue refresh failed")
            self._stop.wait(self.interval)

    def _sync(self) -> SyncResult:
        if self.platform is None:
            return sync_catalogue(self.settings)
        with self.lock:
            client = self.platform()
        return sync_catalogue(self.settings, client=client, lock=self.lock)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
