"""Staff alert codes and how bad each is: the one list the terminal's heartbeat and the platform's console share.

"fail" (the console shows the terminal red): the terminal cannot take or send submissions any more, or data is
lost or at risk. Every other code is "warn" (amber): something to look at while the terminal still serves.
docs/operations.md says what each code means and what to do.
"""
from __future__ import annotations

WARN, FAIL = "warn", "fail"

FAIL_ALERTS: frozenset[str] = frozenset({
    "outbox_disk_full",        # new submissions are refused
    "outbox_corrupt",          # the outbox database is damaged: queued submissions at risk
    "outbox_io_error",         # the disk gives read/write errors
    "outbox_key_problem",      # queued items cannot be read or sealed
    "outbox_unreadable_item",  # one queued item cannot be decrypted: it is lost unless support recovers it
    "outbox_unreadable",       # the heartbeat could not even read the outbox's alerts
    "platform_unauthorized",   # the platform refused the token: sending has stopped
})


def alert_level(code: str) -> str:
    """FAIL for the codes of FAIL_ALERTS, else WARN."""
    return FAIL if code in FAIL_ALERTS else WARN
