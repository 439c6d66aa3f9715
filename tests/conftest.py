"""Shared fixtures: every test gets its own data_dir; nothing is written outside tmp_path."""
from __future__ import annotations

import os
import sys
import uuid
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    return d


@pytest.fixture
def settings(data_dir: Path):
    """Settings as on a demo terminal, writing only into this test's data_dir."""
    from kiosk.settings import load_settings
    return load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir),
                                            ("terminal", "demo"): "true"})


@pytest.fixture(autouse=True)
def _forget_personal_values():
    yield
    from kiosk.logs import active_redactor
    active_redactor().forget_all()


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster for the session (initdb + pg_ctl in a temporary folder)."""
    from platform_server.pgtemp import TempCluster
    why = TempCluster.unavailable()
    cluster = None
    if not why:
        try:
            cluster = TempCluster().start()
        except RuntimeError as exc:
            why = str(exc)
    if cluster is None:
        warnings.warn(f"PLATFORM TESTS ON POSTGRESQL SKIPPED: {why}")
        pytest.skip(f"PostgreSQL cannot start here, so the platform is NOT tested on it: {why}")
    yield cluster
    cluster.stop()


@pytest.fixture
def platform_database(request):
    """None for SQLite, or the URL of a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database("t_" + uuid.uuid4().hex[:12])
