"""One thread-safe event source for every layer: drivers, the outbox, the sync worker, the terminal core.

Listeners get `(event, payload)` on the thread that emits; a front end hands them on to its own thread
(the Kivy app through one `Clock` trigger). A listener that raises is logged and never stops the thread
that emitted: a driver's reading loop or the sync worker keeps running whatever a listener does.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, Any], None]


class EventSource:
    """subscribe(fn) -> unsubscribe; emit(event, payload) calls every listener."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

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
            except Exception:
                log.exception("event listener failed on %s", event)

    @property
    def listener_count(self) -> int:
        """How many listeners are subscribed (tests check that screens unsubscribe)."""
        with self._lock:
            return len(self._listeners)
