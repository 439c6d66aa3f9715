"""Request bodies as pydantic models: every field of a submission, heartbeat and code resolution is checked
(each kind's payload: platform_server/payloads.py; the documents, licence and facts bodies: their blueprints).

Strict types (a bool is not a number, "5" is not 5), RFC 3339 times with an offset, sizes that cannot be
negative, scores one to five. `validate(model, data)` returns the model or raises BadInput 422 with
the names of the refused fields ("created_at", "attachments[0].size", "payload.score").
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Sequence, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from common.kinds import KINDS
from platform_server.errors import BadInput
from platform_server.payloads import PAYLOADS

MAX_ATTACHMENT = 10 * 1024 * 1024
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")


def _rfc3339(value: str) -> str:
    if not _RFC3339.match(value):
        raise ValueError("not an RFC 3339 time with offset")
    datetime.fromisoformat(value.replace("Z", "+00:00"))   # 2026-02-30 is refused here
    return value


Rfc3339 = Annotated[StrictStr, AfterValidator(_rfc3339)]
Text = Annotated[StrictStr, Field(min_length=1, max_length=255)]
Count = Annotated[StrictInt, Field(ge=0, le=10**9)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Attachment(Strict):
    sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")]
    name: Text
    content_type: Annotated[StrictStr, Field(min_length=1, max_length=127)]
    size: Annotated[StrictInt, Field(ge=0, le=MAX_ATTACHMENT)]


class Submission(Strict):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    local_id: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
    created_at: Rfc3339
    payload: dict[str, Any]
    attachments: Annotated[list[Attachment], Field(max_length=50)] = []


class Device(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    name: Text
    state: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    detail: Annotated[StrictStr, Field(max_length=2000)] = ""


class OutboxDepth(Strict):
    pending: Count
    dead: Count
    oldest_pending_age_s: Count


class Alert(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    code: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    level: Literal["warn", "fail"] = "warn"
    at: Rfc3339 | None = None


class TerminalInfo(Strict):
    name: Annotated[StrictStr, Field(max_length=64)] = ""
    level: Annotated[StrictStr, Field(max_length=16)] = ""
    region_code: Annotated[StrictStr, Field(max_length=12, pattern=r"^[0-9]*$")] = ""


class Heartbeat(Strict):
    """The terminal's self-check (offline_cache/sync.py heartbeat_body); everything after `outbox` is optional
    so that a terminal of an older version still beats."""
    at: Rfc3339
    version: Annotated[StrictStr, Field(max_length=64)]
    devices: Annotated[list[Device], Field(max_length=64)] = []
    outbox: OutboxDepth
    content_version: Annotated[StrictStr, Field(max_length=64)] | None = None
    free_disk_mb: Count | None = None
    uptime_s: Count | None = None
    alerts: Annotated[list[Alert], Field(max_length=50)] = []
    terminal: TerminalInfo | None = None


class CodeResolve(Strict):
    code: Annotated[StrictStr, Field(min_length=1, max_length=2048)]


M = TypeVar("M", bound=BaseModel)


def field_name(loc: tuple) -> str:
    """("attachments", 0, "size") -> "attachments[0].size"."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif not str(part).startswith(("literal[", "function-")):
            name += ("." if name else "") + str(part)
    return name


def validate(model: type[M], data: Any, code: str, prefix: str = "",
             codes: Sequence[tuple[str, str]] = ()) -> M:
    """The validated model, or BadInput 422 with `fields` (the refused fields' names) and the code of the first
    of `codes` ((top-level field, code), in order) naming a refused field, else `code`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = sorted({(prefix + "." if prefix else "") + field_name(e["loc"]) if e["loc"] else prefix or "body"
                         for e in exc.errors()})
        chosen = next((c for top, c in codes if any(f == top or f.startswith((top + ".", top + "["))
                                                     for f in fields)), code)
        raise BadInput(422, chosen, fields=fields) from None


def validate_submission(data: Any) -> Submission:
    """A submission with its kind's payload checked too (platform_server/payloads.py)."""
    sub = validate(Submission, data, "invalid_submission")
    validate(PAYLOADS[sub.kind], sub.payload, "invalid_submission", prefix="payload")
    return sub
