"""The citizen's session: it owns everything personal, and `wipe()` leaves nothing behind.

Screens keep no personal data of their own: they read it from the session when shown and clear
their widgets on `session_wiped`. Submissions leave the session only through the encrypted outbox.
"""
from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Callable

from kiosk.identity import Identity
from kiosk.redact import REDACTOR


class Session:
    """One citizen's visit, from the first touch to the reset."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.RLock()
        self._wipe_listeners: list[Callable[[], None]] = []
        self._reset_fields()

    def _reset_fields(self) -> None:
        self.id = uuid.uuid4().hex
        self.started_at = self._clock()
        self.identity: Identity | None = None
        self.elderly: bool | None = None          # None = the terminal's default
        self.forms: dict[str, dict[str, Any]] = {}  # flow name -> field values
        self.attachments: list[dict[str, Any]] = []  # {"name", "content_type", "data": bytes}
        self.receipts: list[dict[str, Any]] = []
        self.scratch: dict[str, Any] = {}         # per-flow state that is not a form

    # -- identity ----------------------------------------------------------------------
    def identify(self, identity: Identity) -> None:
        with self._lock:
            if self.identity is not None and self.identity is not identity:
                self.identity.wipe()
            self.identity = identity
            REDACTOR.remember(*identity.personal_values())

    @property
    def identified(self) -> bool:
        return self.identity is not None

    def remember_personal(self, *values: str) -> None:
        """Values typed by the citizen (phone, address) that logs must never show."""
        REDACTOR.remember(*values)

    # -- wiping ------------------------------------------------------------------------
    def on_wipe(self, listener: Callable[[], None]) -> None:
        self._wipe_listeners.append(listener)

    def wipe(self) -> None:
        """Forget everything personal, tell every listener, and start a fresh session."""
        with self._lock:
            if self.identity is not None:
                self.identity.wipe()
            for form in self.forms.values():
                form.clear()
            for attachment in self.attachments:
                attachment.clear()
            for receipt in self.receipts:
                receipt.clear()
            self.scratch.clear()
            self._reset_fields()
            REDACTOR.forget_all()
        for listener in list(self._wipe_listeners):
            listener()

    def is_empty(self) -> bool:
        """True when the session holds nothing personal (what a test after wipe() checks)."""
        return (self.identity is None and not self.forms and not self.attachments
                and not self.receipts and not self.scratch and REDACTOR.known_count() == 0)
