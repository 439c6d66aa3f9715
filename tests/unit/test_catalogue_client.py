"""The catalogue refresher asks the platform through the terminal's one client (docs/architecture.md:
every platform call but the sync worker's goes through `terminal.platform`), against the real platform."""
from __future__ import annotations

import time

from kiosk.terminal import Terminal
from kiosk.voice import Voice


def test_the_catalogue_refresher_uses_the_terminals_one_client(platform_settings):  # noqa: F811
    terminal = Terminal(platform_settings, voice=Voice(enabled=False))
    client = terminal.platform
    asked: list[str] = []
    # every answer the terminal's client (its one requests session) gets
    client.session.hooks["response"].append(lambda resp, *a, **k: asked.append(resp.request.path_url))
    terminal.platform_lock.acquire()            # a citizen's question on its way
    try:
        terminal.start(services=True, devices=False)
        time.sleep(1.0)
        assert asked == [] and terminal.catalogue.last is None, "the refresher waits for the lock"
    finally:
        terminal.platform_lock.release()
    try:
        deadline = time.monotonic() + 60
        while terminal.catalogue.last is None:
            assert time.monotonic() < deadline, "no catalogue sync"
            time.sleep(0.05)
        result = terminal.catalogue.last
        assert result.status == "updated", result
        assert terminal.platform is client
    finally:
        terminal.stop()
    assert "/api/v1/catalogue" in asked, "the catalogue came through the terminal's client"
    assert len([p for p in asked if p.startswith("/api/v1/blobs/")]) == result.downloaded > 0, \
        "every file of the pack too"
