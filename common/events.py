"""One thread-safe event source for every layer: drivers, the outbox, the sync worker, the terminal core.

Listeners get `(event, payload)` on the thread that emits; a front end hands them on to its own thread
(the Kivy app through one `Clock` trigger). A listener that raises is logged and never stops the thread
that emitted: a driver's reading loop or the sync worker keeps running whatever a listener does. The log
line names the listener, the event, the exception's type and where it was raised, never the exception's
message (it may carry a name or an ID number); the same failure again is logged once, then only counted
at DEBUG (a camera listener failing on every frame must not fill the disk).
"""
from __future__ import annotations

import logging
import threading
import traceback
from typing import Any, Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, Any], None]
_KEEP_FAILURES = 256   # distinct failures remembered, to log each once


class EventSource:
    """subscribe(fn) -> unsubscribe; emit(event, payload) calls every listener."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._failures: dict[tuple, int] = {}   # (listener, event, type, file, line) -> times seen

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event, payload)` for every event; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return unsubscribe

    def emit(self, event: str, payload: Any = None) -> None:
        """Deliver one event to every listener; a failing listener is logged and skipped."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event, payload)
            except Exception as exc:
                self._failed(listener, event, exc)

    def _failed(self, listener: Listener, event: str, exc: Exception) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        name = getattr(listener, "__qualname__", type(listener).__name__)
        key = (name, event, type(exc).__name__, frames[-1].filename, frames[-1].lineno) if frames else (name, event)
        with self._lock:
            times = self._failures.get(key, 0) + 1
            if times > 1 or len(self._failures) < _KEEP_FAILURES:
                self._failures[key] = times
        if times > 1:
            log.debug("event listener %s failed on %s again (%d times): %s", name, event, times, type(exc).__name__)
            return
        # file, line, function and source line of each frame: code, never the values it held
        log.error("event listener %s failed on %s: %s\n%s", name, event, type(exc).__name__,
                  "".join(traceback.format_list(frames)).rstrip())

    @property
    def listener_count(self) -> int:
        """How many listeners are subscribed (tests check that screens unsubscribe)."""
        with self._lock:
            return len(self._listeners)
