"""Fixtures for whole flows with real processes.

`platform_server`: the reference platform (platform_server/) started as a SEPARATE process on a free
loopback port with its own SQLite file; yields a PlatformProcess with `.url`, `.token`, `.headers(terminal)`,
`.db_path`, `.kill()`, `.restart()`. Use `platform_settings` for terminal Settings that point at it.
"""
from __future__ import annotations

import pytest

from platform_server.process import PlatformProcess

TERMINAL_ID = "HZ-TEST-0001"


@pytest.fixture
def platform_server(tmp_path):
    """A fresh platform server process (own database) for one test."""
    with PlatformProcess(tmp_path / "platform" / "platform.db") as server:
        yield server


@pytest.fixture
def platform_settings(data_dir, platform_server):
    """Terminal settings wired to `platform_server`, with fast retries for tests."""
    from kiosk.settings import load_settings
    return load_settings(env={}, overrides={
        ("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true", ("terminal", "id"): TERMINAL_ID,
        ("platform", "url"): platform_server.url, ("platform", "token"): platform_server.token,
        ("platform", "connect_timeout"): "2", ("platform", "read_timeout"): "5",
        ("outbox", "retry_initial"): "0.05", ("outbox", "retry_max"): "0.5"})
