"""A tiny thread-safe event source: the outbox and the sync worker announce, the app listens.

Listeners run on the thread that emits (the sync worker's, usually); a Kivy app hands the event over
with `Clock.schedule_once` inside its listener. A listener that raises is logged, never fatal.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]

# The events and what `data` holds (never personal data):
#   "enqueued"     {"local_id", "kind"}
#   "delivered"    {"local_id", "kind", "tracking_no"}
#   "dead"         {"local_id", "kind", "reason"}
#   "alert"        {"code", "message"}          staff must act (401, disk full, corrupt database, ...)
#   "connectivity" {"online": bool}
EVENTS = ("enqueued", "delivered", "dead", "alert", "connectivity")


class EventSource:
    """subscribe(fn) -> unsubscribe; emit(event, data) calls every listener."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event, data)` for every event; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return unsubscribe

    def emit(self, event: str, data: dict[str, Any]) -> None:
        """Deliver one event to every listener."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event, data)
            except Exception:
                log.exception("event listener failed on %s", event)
