"""Fixtures of the unit tests that drive the terminal core against the real platform process."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import platform_server, platform_settings  # noqa: F401  (fixtures, by name)


@pytest.fixture
def terminal(platform_settings):  # noqa: F811
    """A Terminal without a display or devices, its outbox and sync worker delivering to the platform;
    `terminal.seen` lists every (event, data) of its event stream."""
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    t = Terminal(platform_settings, voice=Voice(enabled=False))
    t.start(services=True, devices=False)
    events: list[tuple[str, dict]] = []
    t.events.subscribe(lambda event, data: events.append((event, dict(data))))
    t.seen = events
    yield t
    t.stop()


BUNDLED_PACK = Path(__file__).resolve().parents[2] / "config" / "content"


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    """A copy of the bundled content pack that a test may break."""
    dest = tmp_path / "pack"
    shutil.copytree(BUNDLED_PACK, dest)
    return dest
