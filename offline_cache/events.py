"""The events the outbox and the sync worker announce (the event source itself is common.events)."""
from __future__ import annotations

from common.events import EventSource  # noqa: F401  (the one event source of every layer)

# The events and what `data` holds (never personal data):
#   "enqueued"     {"local_id", "kind"}
#   "delivered"    {"local_id", "kind", "tracking_no"}
#   "dead"         {"local_id", "kind", "reason"}
#   "alert"        {"code", "message"}          staff must act (401, disk full, corrupt database, ...)
#   "connectivity" {"online": bool}
EVENTS = ("enqueued", "delivered", "dead", "alert", "connectivity")

