"""暂停服务 on the terminal's other displays (a customer-facing monitor), without Kivy.

Kivy has one window per process, so each other display gets a small process of its own
(`run_kiosk.py out-of-service-display`, screens/out_of_service_display.py). This module parses
`[ui] other_displays`, starts one such process per display when staff mode begins, tells them
the words to show, and stops them when the attract screen returns.

The parent talks to a child over the child's stdin, one JSON object a line ({"status": …,
"help_phone": …}); the child leaves as soon as that pipe closes, so a terminal that crashes or is
killed leaves no 暂停服务 behind on the public screen. A child that cannot start is logged
(redacted) and put in the maintenance event log in plain Chinese; staff mode never waits for it.
"""
from __future__ import annotations

import collections
import json
import logging
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from typing import Callable, Sequence

from kiosk.logs import redact

log = logging.getLogger(__name__)

READY = "READY"             # the child's first line on stdout once its window shows the picture
EXIT_NO_DISPLAY = 3         # the child's exit code when it cannot connect to its X display
_NAME = re.compile(r"^[A-Za-z0-9._\-]*:\d+(\.\d+)?$")
_GEOMETRY = re.compile(r"^(\d+)x(\d+)\+(\d+)\+(\d+)$")


@dataclass(frozen=True)
class OtherDisplay:
    """One other display: an X display name (":0.1", ":1") and an optional window rectangle
    (width, height, x, y) for a second monitor that is part of the same X screen."""
    name: str
    geometry: tuple[int, int, int, int] | None = None

    @property
    def label(self) -> str:
        if self.geometry is None:
            return self.name
        w, h, x, y = self.geometry
        return f"{self.name} {w}x{h}+{x}+{y}"


def parse(raw: str) -> list[OtherDisplay]:
    """`:0.1, :0 1920x1080+1920+0` -> displays; ValueError with a plain message on a bad entry."""
    out = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        name, _, rest = item.partition(" ")
        rest = rest.strip()
        if not _NAME.match(name):
            raise ValueError(f"[ui] other_displays: {name!r} is not an X display name like :0.1 or :1")
        geometry = None
        if rest:
            m = _GEOMETRY.match(rest)
            if not m:
                raise ValueError(f"[ui] other_displays: {rest!r} should look like 1920x1080+1920+0")
            geometry = tuple(int(v) for v in m.groups())
            if geometry[0] == 0 or geometry[1] == 0:
                raise ValueError(f"[ui] other_displays: {rest!r} has no width or height")
        out.append(OtherDisplay(name, geometry))
    return out


class _Child:
    """One running display process and what it said."""

    def __init__(self, display: OtherDisplay, proc: subprocess.Popen):
        self.display, self.proc = display, proc
        self.ready = threading.Event()
        self.wanted = True
        self.output: collections.deque[str] = collections.deque(maxlen=20)


class OtherDisplays:
    """Shows 暂停服务 on every configured other display while `show` is in force, until `hide`.

    `argv(display)` is the command line of one child (the front end knows its own entry point);
    `note(text, level)` puts a plain-Chinese line in the maintenance event log."""

    def __init__(self, displays: Sequence[OtherDisplay], argv: Callable[[OtherDisplay], list[str]],
                 note: Callable[[str, str], None] | None = None, env: dict[str, str] | None = None):
        self.displays = list(displays)
        self._argv = argv
        self._note = note or (lambda _text, _level: None)
        self._env = dict(os.environ if env is None else env)
        self._children: dict[OtherDisplay, _Child] = {}
        self._lock = threading.Lock()

    @property
    def children(self) -> dict[OtherDisplay, _Child]:
        """The running children by display (a copy)."""
        with self._lock:
            return dict(self._children)

    def show(self, words: dict[str, str]) -> None:
        """Start a child on every display that has none, or send the new words to the running one.
        Never raises and never waits for a child's window."""
        line = (json.dumps(words, ensure_ascii=False) + "\n").encode("utf-8")
        for display in self.displays:
            with self._lock:
                child = self._children.get(display)
            if child is not None and child.proc.poll() is None:
                self._send(child, line)
                continue
            self._start(display, line)

    def _start(self, display: OtherDisplay, first_line: bytes) -> None:
        env = dict(self._env, DISPLAY=display.name)
        try:
            proc = subprocess.Popen(self._argv(display), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, env=env, close_fds=True)
        except Exception as exc:   # OSError, or a command line that cannot be made (no font)
            self._failed(display, f"could not start: {exc}", "显示程序没能启动")
            return
        child = _Child(display, proc)
        with self._lock:
            self._children[display] = child
        self._send(child, first_line)
        threading.Thread(target=self._watch, args=(child,), name=f"other-display {display.name}",
                         daemon=True).start()

    @staticmethod
    def _send(child: _Child, line: bytes) -> None:
        try:
            child.proc.stdin.write(line)
            child.proc.stdin.flush()
        except (OSError, ValueError):
            pass   # it has just died: its watcher reports it

    def _watch(self, child: _Child) -> None:
        for raw in child.proc.stdout:
            text = raw.decode("utf-8", "replace").rstrip()
            if text == READY:
                child.ready.set()
                log.info("暂停服务 shown on other display %s", child.display.label)
            elif text:
                child.output.append(text)
        code = child.proc.wait()
        with self._lock:
            if self._children.get(child.display) is child:
                del self._children[child.display]
        if child.wanted:
            words = "连接不上这块显示屏" if code == EXIT_NO_DISPLAY else f"显示程序意外退出（代码 {code}）"
            self._failed(child.display, f"exited with {code}: " + " | ".join(child.output), words)

    def _failed(self, display: OtherDisplay, detail: str, words: str) -> None:
        log.warning("other display %s: %s", display.label, redact(detail))
        try:
            self._note(f"另一块显示屏 {display.label} 没能显示“暂停服务”：{words}", "warn")
        except Exception:   # the event log failing must not stop staff mode either
            log.exception("could not note an other display's failure")

    def hide(self) -> None:
        """Stop every child: close its pipe (it leaves by itself) and ask it to terminate."""
        with self._lock:
            children = list(self._children.values())
        for child in children:
            child.wanted = False
            try:
                child.proc.stdin.close()
            except OSError:
                pass
            if child.proc.poll() is None:
                try:
                    child.proc.terminate()
                except OSError:
                    pass

    def wait_ready(self, timeout: float) -> bool:
        """True when every started child shows its picture within `timeout` seconds (tests, bench)."""
        import time
        deadline = time.monotonic() + timeout
        for child in self.children.values():
            if not child.ready.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    def wait_gone(self, timeout: float) -> bool:
        """True when no child is left within `timeout` seconds."""
        import time
        deadline = time.monotonic() + timeout
        while self.children:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True
