"""The systemd notifications go to a real unix datagram socket named by NOTIFY_SOCKET."""
from __future__ import annotations

import os
import socket
import subprocess

from kiosk.watchdog import Watchdog


def _listen(tmp_path):
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    return path, sock


def test_ready_and_watchdog_pings_reach_the_socket(tmp_path):
    path, sock = _listen(tmp_path)
    try:
        dog = Watchdog.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000"})
        assert dog.enabled and dog.watching and dog.interval == 10.0
        dog.ready("serving")
        dog.ping()
        dog.ping()
        dog.stopping()
        got = [sock.recv(4096).decode() for _ in range(4)]
    finally:
        sock.close()
    assert got == ["READY=1\nSTATUS=serving", "WATCHDOG=1", "WATCHDOG=1", "STOPPING=1"]
    assert "NOTIFY_SOCKET" not in os.environ or os.environ["NOTIFY_SOCKET"] != path


def test_nothing_happens_without_notify_socket():
    dog = Watchdog.from_environment({})
    assert not dog.enabled and not dog.watching and dog.interval == 10.0
    dog.ready()
    dog.ping()      # no socket, no error


def test_a_watchdog_meant_for_another_process_is_ignored(tmp_path):
    path, sock = _listen(tmp_path)
    sock.close()
    other = subprocess.Popen(["sleep", "30"])          # a process that is not this one's ancestor
    try:
        dog = Watchdog.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "4000000",
                                         "WATCHDOG_PID": str(other.pid)})
    finally:
        other.kill()
        other.wait()
    assert not dog.watching and dog.interval == 10.0


def test_the_watchdog_of_the_service_main_process_above_the_app_is_kept(tmp_path):
    """Under xinit the service's main PID is xinit, the app's ancestor: WatchdogSec=30 gives pings every 15 s
    (this process's parent stands in for xinit)."""
    path, sock = _listen(tmp_path)
    sock.close()
    dog = Watchdog.from_environment({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000",
                                     "WATCHDOG_PID": str(os.getppid())})
    assert dog.watching and dog.interval == 15.0


def test_an_abstract_socket_address_works(tmp_path):
    name = f"heze-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    try:
        Watchdog.from_environment({"NOTIFY_SOCKET": "@" + name}).ping()
        assert sock.recv(64) == b"WATCHDOG=1"
    finally:
        sock.close()
