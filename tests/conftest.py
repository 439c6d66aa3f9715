"""Shared fixtures: every test gets its own data_dir; nothing is written outside tmp_path."""
from __future__ import annotations

import os
import sys
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
