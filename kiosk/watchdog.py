"""systemd's notify protocol for the kiosk (deploy/heze-kiosk.service: Type=notify, WatchdogSec).

    dog = Watchdog.from_environment()
    dog.ready()            # READY=1 once the first frame is on the display
    dog.ping()             # WATCHDOG=1 from the app's main loop, every `dog.interval` seconds
    dog.stopping()         # STOPPING=1 on a clean stop

The messages go through `sdnotify` (PyPI) to the datagram socket systemd names in NOTIFY_SOCKET.
Without NOTIFY_SOCKET (development, the tests, the demo) every call does nothing. The interval is
half of WATCHDOG_USEC, as sd_watchdog_enabled(3) advises; a main loop that hangs stops the pings
and systemd restarts the app (Restart=always).
"""
from __future__ import annotations

import logging
import os
from typing import Mapping

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 10.0


class Watchdog:
    """Tells systemd the app is ready and still alive; a no-op outside systemd."""

    def __init__(self, socket_path: str | None, watchdog_usec: int | None = None) -> None:
        self.socket_path = socket_path or None
        self.interval = watchdog_usec / 2e6 if watchdog_usec else DEFAULT_INTERVAL
        self.watching = bool(watchdog_usec)
        self._notifier = None
        if self.socket_path:
            import sdnotify
            previous = os.environ.get("NOTIFY_SOCKET")
            os.environ["NOTIFY_SOCKET"] = self.socket_path     # sdnotify reads the address from here
            try:
                self._notifier = sdnotify.SystemdNotifier()
            finally:
                if previous is None:
                    os.environ.pop("NOTIFY_SOCKET", None)
                else:
                    os.environ["NOTIFY_SOCKET"] = previous
            if self._notifier.socket is None:
                log.warning("NOTIFY_SOCKET %s cannot be reached; no notifications", self.socket_path)
                self._notifier = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "Watchdog":
        """From NOTIFY_SOCKET and WATCHDOG_USEC. WATCHDOG_PID names the service's main process: under xinit
        (deploy/heze-kiosk.service) that is xinit, an ancestor of the app, and the pings are the app's to
        send (NotifyAccess=all); a WATCHDOG_PID that is neither this process nor an ancestor is another
        process's watchdog, and ignored."""
        usec = environ.get("WATCHDOG_USEC", "")
        pid = environ.get("WATCHDOG_PID", "")
        if pid and not _is_self_or_ancestor(pid):
            usec = ""
        return cls(environ.get("NOTIFY_SOCKET"), int(usec) if usec.isdigit() else None)

    @property
    def enabled(self) -> bool:
        return self._notifier is not None

    def _send(self, message: str) -> None:
        if self._notifier is not None:
            self._notifier.notify(message)

    def ready(self, status: str = "") -> None:
        """READY=1 (and a STATUS line systemctl status shows)."""
        self._send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def ping(self) -> None:
        """WATCHDOG=1: the main loop is turning."""
        self._send("WATCHDOG=1")

    def status(self, text: str) -> None:
        self._send(f"STATUS={text}")

    def stopping(self) -> None:
        self._send("STOPPING=1")


def _is_self_or_ancestor(pid: str) -> bool:
    """Whether process `pid` is this process or one of its ancestors (read from /proc)."""
    if not pid.isdigit():
        return False
    current = os.getpid()
    for _ in range(64):
        if current == int(pid):
            return True
        try:
            with open(f"/proc/{current}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            return False
        parent = int(stat[stat.rindex(b")") + 2:].split()[1])     # the field after the state
        if parent <= 0 or parent == current:
            return False
        current = parent
    return False
