"""Hands a citizen's submission to the encrypted outbox and follows it to delivery.

The flow screens call `submit()`; it returns the provisional local number at once (the submission is
durable by then) or raises `SubmitError` with plain words for the citizen. Nothing personal is logged.
"""
from __future__ import annotations

import logging
from typing import Any, Sequence

log = logging.getLogger(__name__)

from common.kinds import KIND_NAMES  # noqa: E402,F401  (re-exported for the screens)

MSG_NO_OUTBOX = "这台机器暂时不能保存您的提交，请联系工作人员。您填的内容没有丢，工作人员可以帮您办。"


class SubmitError(Exception):
    """The submission was NOT stored; `message` tells the citizen what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message


def submit(sync, session, kind: str, payload: dict[str, Any],
           attachments: Sequence[tuple[str, str, bytes]] = ()) -> str:
    """Store durably in the outbox, wake the sync worker, remember the receipt in the session."""
    from offline_cache.outbox import OutboxError
    if sync is None or sync.outbox is None:
        log.error("submission of kind %s refused: outbox unavailable", kind)
        raise SubmitError("outbox_unavailable", MSG_NO_OUTBOX)
    identity = session.identity
    body = dict(payload)
    if identity is not None:
        body.setdefault("applicant", {
            "source": identity.source.value, "name": identity.name, "number": identity.number,
            "is_enterprise": identity.is_enterprise,
        })
    try:
        local_id = sync.outbox.enqueue(kind, body, attachments)
    except OutboxError as exc:
        log.error("submission of kind %s not stored: %s", kind, exc.code)
        raise SubmitError(exc.code, exc.message) from None
    session.receipts.append({"local_id": local_id, "kind": kind})
    if sync.worker is not None:
        sync.worker.wake()
    log.info("submission %s (%s) queued", local_id, kind)
    return local_id


def receipt_state(sync, local_id: str) -> dict[str, Any]:
    """What the receipt screen shows now: state (pending|delivered|dead), tracking_no, its 查询码, online flag."""
    info: dict[str, Any] = {"state": "pending", "tracking_no": None, "check_code": None, "online": None}
    if sync is None or sync.outbox is None:
        return info
    row = sync.outbox.receipt(local_id) or {}
    info.update({k: row.get(k) for k in ("state", "tracking_no", "check_code")})
    info["state"] = info["state"] or "pending"
    if sync.worker is not None:
        info["online"] = sync.worker.online
    return info
