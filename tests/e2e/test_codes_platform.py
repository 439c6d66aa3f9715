"""居民码 that the terminal cannot verify itself, resolved by the reference platform in its own process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.codes import CodeChecker
from kiosk.identity import IdentitySource
from platform_server.demo_data import DEMO_ENTERPRISE_CODE, DEMO_EXPIRED_CODE, DEMO_RESIDENT_CODE

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_platform_resolves_demo_codes(platform_settings, caplog):
    checker = CodeChecker.from_settings(platform_settings)
    caplog.set_level("DEBUG")
    resident = checker.check(DEMO_RESIDENT_CODE)
    assert resident.ok and not resident.verified_offline
    assert resident.identity().source is IdentitySource.RESIDENT_CODE and resident.name == "王演示"
    enterprise = checker.check(DEMO_ENTERPRISE_CODE)
    assert enterprise.ok and enterprise.identity().is_enterprise
    assert checker.check(DEMO_EXPIRED_CODE).reason == "expired"
    assert checker.check("HZRC:NOBODY").reason == "unknown_code"
    assert "王演示" not in caplog.text and DEMO_RESIDENT_CODE not in caplog.text


def test_platform_going_away_means_needs_network(platform_settings, platform_server):
    checker = CodeChecker.from_settings(platform_settings)
    assert checker.check(DEMO_RESIDENT_CODE).ok
    platform_server.kill()
    refused = checker.check(DEMO_RESIDENT_CODE)
    assert refused.reason == "needs_network" and "身份证" in refused.message


def test_verify_code_cli_against_the_platform(platform_server, data_dir):
    env = {"KIOSK_PLATFORM_URL": platform_server.url, "KIOSK_PLATFORM_TOKEN": platform_server.token,
           "KIOSK_TERMINAL_ID": platform_server.terminal_id,
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, str(ROOT / "run_kiosk.py"), "--data-dir", str(data_dir),
                           "verify-code", "--json", "--show-personal", DEMO_ENTERPRISE_CODE],
                          capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert '"kind": "enterprise"' in proc.stdout and "91371700MA3C0H4L13" in proc.stdout
