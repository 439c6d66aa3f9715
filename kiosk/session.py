"""The citizen's session: it owns everything personal, and `wipe()` leaves nothing behind.

Everything a citizen gives during a visit lives here: the identity, the state of every flow
(`forms`, one typed state object per flow, see kiosk/flows/base.py), captured pages (`attachments`)
and this visit's receipts. Screens keep no personal data of their own: they show the state of a flow.
Submissions leave the session only through the encrypted outbox.
"""
from __future__ import annotations

import threading
import time
import uuid
from typing import Any, Callable, TypeVar

from kiosk.identity import Identity
from kiosk.logs import active_redactor
from kiosk.redact import Redactor

T = TypeVar("T")


class Session:
    """One citizen's visit, from the first touch to the reset."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, redactor: Redactor | None = None):
        self._clock = clock
        self._lock = threading.RLock()
        self._wipe_listeners: list[Callable[[], None]] = []
        # the terminal core passes its own; by default the one the log records go through
        self.redactor = redactor if redactor is not None else active_redactor()
        self._reset_fields()

    def _reset_fields(self) -> None:
        self.id = uuid.uuid4().hex
        self.started_at = self._clock()
        self.identity: Identity | None = None
        self.elderly: bool | None = None          # None = the terminal's default
        self.forms: dict[str, Any] = {}           # flow name -> that flow's state (a dict or a dataclass)
        self.attachments: list[dict[str, Any]] = []  # {"name", "content_type", "data": bytes}
        self.receipts: list[dict[str, Any]] = []
        self.scratch: dict[str, Any] = {}         # per-visit state that is not a form

    # -- identity ----------------------------------------------------------------------
    def identify(self, identity: Identity) -> None:
        """The citizen identified (card, code); their values are masked in every log line from now on."""
        with self._lock:
            if self.identity is not None and self.identity is not identity:
                self.identity.wipe()
            self.identity = identity
            self.redactor.remember(*identity.personal_values())

    @property
    def identified(self) -> bool:
        return self.identity is not None

    def remember_personal(self, *values: str) -> None:
        """Values typed by the citizen (phone, address, a note) that logs must never show."""
        self.redactor.remember(*values)

    # -- flow state --------------------------------------------------------------------
    def form(self, name: str, factory: Callable[[], T], fresh: bool = False) -> T:
        """The state of flow `name` in this visit, made with `factory()` the first time (or when `fresh`)."""
        with self._lock:
            state = self.forms.get(name)
            if state is None or fresh:
                if state is not None:
                    _clear(state)
                state = self.forms[name] = factory()
            return state

    # -- wiping ------------------------------------------------------------------------
    def on_wipe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener()` after every wipe; returns a function that stops it."""
        self._wipe_listeners.append(listener)
        return lambda: self._wipe_listeners.remove(listener) if listener in self._wipe_listeners else None

    def wipe(self) -> None:
        """Forget everything personal, tell every listener, and start a fresh session."""
        with self._lock:
            if self.identity is not None:
                self.identity.wipe()
            for state in self.forms.values():
                _clear(state)
            for attachment in self.attachments:
                attachment.clear()
            for receipt in self.receipts:
                receipt.clear()
            self.scratch.clear()
            self._reset_fields()
            self.redactor.forget_all()
        for listener in list(self._wipe_listeners):
            listener()

    def is_empty(self) -> bool:
        """True when the session holds nothing personal (what a test after wipe() checks)."""
        return (self.identity is None and not self.forms and not self.attachments
                and not self.receipts and not self.scratch and self.redactor.known_count() == 0)


def _clear(state: Any) -> None:
    """Empty a flow's state in place, so that nothing that still holds it keeps personal values."""
    clear = getattr(state, "clear", None)
    if callable(clear):
        clear()
