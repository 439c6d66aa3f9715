"""Fixtures for whole flows with real processes.

`platform_server`: the reference platform (platform_server/) started as a SEPARATE process on a free
loopback port with its own database; yields a PlatformProcess with `.url`, `.token`, `.headers(terminal)`,
`.db_path`, `.sql(query)`, `.kill()`, `.restart()`. Use `platform_settings` for terminal Settings that point at it.

`platform_database`: None (the SQLite file, the default) or the URL of a fresh PostgreSQL database in a
throwaway cluster this session starts itself (platform_server.pgtemp). The platform's own test modules run
on both: `pytestmark = BOTH_DATABASES`.
"""
from __future__ import annotations

import pytest

from platform_server.process import PlatformProcess
from tests.conftest import platform_database  # noqa: F401  (re-exported: modules import fixtures by name)

TERMINAL_ID = "HZ-TEST-0001"
BOTH_DATABASES = pytest.mark.parametrize("platform_database", ["sqlite", "postgres"], indirect=True)
# pg_cluster and platform_database live in tests/conftest.py: modules elsewhere import platform_server by name


@pytest.fixture
def platform_server(tmp_path, platform_database):
    """A fresh platform server process (own database) for one test."""
    with PlatformProcess(tmp_path / "platform" / "platform.db", database=platform_database) as server:
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
