"""deploy/: the systemd unit, the kiosk X session and the X server snippet say what a terminal needs."""
from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "heze-kiosk.service", encoding="utf-8")
    return unit


def test_the_unit_is_notify_with_a_watchdog_and_always_restarts():
    service = _unit()["Service"]
    assert service["Type"] == "notify" and service["NotifyAccess"] == "all"
    assert int(service["WatchdogSec"]) >= 20 and service["Restart"] == "always"
    assert "kiosk-session" in service["ExecStart"] and "-nolisten tcp" in service["ExecStart"]
    assert _unit()["Install"]["WantedBy"] == "graphical.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_reads_the_unit_without_complaint():
    out = subprocess.run(["systemd-analyze", "verify", str(DEPLOY / "heze-kiosk.service")],
                         capture_output=True, text=True)
    complaints = [line for line in (out.stdout + out.stderr).splitlines()
                  if line.strip() and "is not executable" not in line and "No such file" not in line]
    assert not complaints, complaints      # xinit and the install folder exist only on a terminal


def test_the_session_keeps_the_screen_on_and_is_valid_shell():
    session = (DEPLOY / "kiosk-session").read_text()
    assert "xset s off" in session and "xset -dpms" in session and "exec " in session
    assert (DEPLOY / "kiosk-session").stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(DEPLOY / "kiosk-session")]).returncode == 0


def test_the_x_server_does_not_switch_terminals():
    conf = (DEPLOY / "xorg.conf.d" / "10-heze-kiosk.conf").read_text()
    assert 'Option "DontVTSwitch" "true"' in conf and 'Option "DontZap" "true"' in conf
    lines = [line.strip() for line in conf.splitlines()]
    assert sum(line.startswith("Section ") for line in lines) == lines.count("EndSection") >= 1
