"""Codes that are not RC1 go to the platform: a real HTTP server in its own process answers."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.codes import REASONS
from kiosk.codes.resolver import PlatformResolver
from kiosk.identity import IdentitySource
from offline_cache.platform_client import PlatformClient


def _resolver(url, token="t0ken", connect_timeout=5.0, read_timeout=5.0):
    return PlatformResolver(PlatformClient(url, token, "HZ-TEST-1", connect_timeout=connect_timeout),
                            read_timeout=read_timeout)


@pytest.fixture(scope="module")
def server_url():
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("resolve_server.py"))],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(5)


@pytest.fixture
def resolver(server_url):
    return _resolver(server_url, connect_timeout=2, read_timeout=1)


def test_resident_code_resolves_to_an_identity(resolver):
    result = resolver.resolve("CODE-RESIDENT")
    assert result.ok and result.kind == "resident" and result.sub == "11010519491231002X"
    ident = result.identity()
    assert ident.source is IdentitySource.RESIDENT_CODE and not ident.verified_offline and ident.name == "赵六"


def test_enterprise_code(resolver):
    result = resolver.resolve("CODE-ENTERPRISE")
    assert result.ok and result.identity().is_enterprise and result.sub == "91350100M000100Y43"


@pytest.mark.parametrize("text, reason", [
    ("CODE-EXPIRED", "expired"),
    ("CODE-UNKNOWN", "unknown_code"),
    ("CODE-BUSY", "needs_network"),
    ("CODE-BROKEN", "platform_error"),
    ("CODE-BADID", "bad_check_digit"),
    ("CODE-SLOW", "needs_network"),       # read timeout of 1 s: the citizen is not kept waiting
])
def test_refusals_from_the_platform(resolver, text, reason):
    result = resolver.resolve(text)
    assert not result.ok and result.reason == reason and result.message == REASONS[reason]


def test_wrong_token_is_a_platform_error(server_url):
    result = _resolver(server_url, "wrong").resolve("CODE-RESIDENT")
    assert result.reason == "platform_error"


def test_offline_says_needs_network(caplog):
    # nothing listens on port 9 of loopback: connection refused, as on a village terminal offline
    result = _resolver("http://127.0.0.1:9", connect_timeout=1).resolve("CODE-RESIDENT")
    assert result.reason == "needs_network"
    assert "请使用身份证" in result.message
    assert "CODE-RESIDENT" not in caplog.text
    assert _resolver("", "t").resolve("anything").reason == "needs_network"


def test_checker_sends_non_rc1_text_to_the_platform(server_url, settings, caplog):
    from kiosk.codes import CodeChecker
    from kiosk.settings import load_settings
    s = load_settings(env={}, overrides={("storage", "data_dir"): str(settings.data_dir),
                                         ("platform", "url"): server_url, ("platform", "token"): "t0ken"})
    checker = CodeChecker.from_settings(s)
    caplog.set_level("DEBUG")
    result = checker.check("CODE-RESIDENT\r\n")   # a serial scanner's line ending is not part of the code
    assert result.ok and result.name == "赵六"
    assert "赵六" not in caplog.text and "11010519491231002X" not in caplog.text
