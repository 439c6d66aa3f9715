"""证明打印 and 一码亮证 on the platform (docs/platform-api-extensions.md), for the identified citizen.

Blocking calls: a flow runs them off the UI thread. Each returns data or raises DocumentError with a
plain sentence; nothing personal reaches a log line (the holder goes in the request body only).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

OFFLINE = "现在连不上网，证明和证照暂时打不了。请稍后再试，或到窗口办理。"
REFUSED = "平台暂时查不到您的信息，请到窗口办理。"


class DocumentError(Exception):
    """The platform could not give the document; `message` is for the citizen."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(code or message)
        self.message = message
        self.code = code


@dataclass(repr=False)
class Document:
    """One issued PDF, held in memory while the citizen looks at it (the session owns it)."""
    type: str
    title: str
    number: str
    code: str
    pages: int
    pdf: bytes = field(default=b"")

    def wipe(self) -> None:
        self.pdf = b""


def _holder(terminal) -> dict[str, str]:
    identity = terminal.session.identity
    if identity is None or identity.is_enterprise:
        raise DocumentError("请先刷身份证或扫居民码。", "not_identified")
    return {"id_number": identity.number, "name": identity.name}


ISSUE_READ_TIMEOUT = 30.0   # making a PDF takes the platform longer than answering a question


def _call(terminal, path: str, body: dict[str, Any], key: str | None = None):
    import requests
    try:
        with terminal.platform_lock:
            client = terminal.platform
            timeout = (client.timeout[0], max(client.timeout[1], ISSUE_READ_TIMEOUT)) if key else client.timeout
            response = client.request("POST", path, json=body, idempotency_key=key, timeout=timeout)
    except requests.RequestException as exc:
        log.warning("documents: platform unreachable (%s)", type(exc).__name__)
        raise DocumentError(OFFLINE, "offline") from None
    if response.status_code != 200:
        log.warning("documents: %s answered %s", path, response.status_code)
        raise DocumentError(REFUSED, f"http_{response.status_code}")
    return response


def available(terminal) -> list[dict[str, str]]:
    """The certificates the platform can issue for this citizen: [{type, title, issuer}]."""
    return _call(terminal, "/api/v1/documents/available", {"holder": _holder(terminal)}).json()["documents"]


def _document(response, kind: str, title: str) -> Document:
    return Document(kind, title, response.headers.get("X-Document-No", ""),
                    response.headers.get("X-Verification-Code", ""),
                    int(response.headers.get("X-Page-Count", "1") or 1), response.content)


def issue(terminal, kind: str, title: str) -> Document:
    """Issue one certificate as a PDF."""
    response = _call(terminal, "/api/v1/documents/issue", {"type": kind, "holder": _holder(terminal)},
                     key=str(uuid.uuid4()))
    return _document(response, kind, title)


def licences(terminal) -> list[dict[str, Any]]:
    """The e-licences linked to this citizen: [{id, type, title, issuer, number_masked, valid_to, fields}]."""
    return _call(terminal, "/api/v1/licences/list", {"holder": _holder(terminal)}).json()["licences"]


def licence_copy(terminal, licence: dict[str, Any]) -> Document:
    """A copy of one e-licence marked 仅限政务服务使用, as a PDF."""
    response = _call(terminal, "/api/v1/licences/copy", {"licence_id": licence["id"], "holder": _holder(terminal)},
                     key=str(uuid.uuid4()))
    return _document(response, licence["type"], licence["title"])


def fetch_licences(terminal, types: list[str], matters: list[str], theme: str = "") -> tuple[list[dict], list[str]]:
    """The data of this citizen's e-licences of `types` for an application of `matters` (the citizen has
    agreed): ([{id, type, title, issuer, valid_to, fields: {key: value}}], [types the platform has none of])."""
    purpose: dict[str, Any] = {"matters": list(matters)}
    if theme:
        purpose["theme"] = theme
    answer = _call(terminal, "/api/v1/licences/fetch", {"holder": _holder(terminal), "types": list(types),
                                                        "consent": True, "purpose": purpose}).json()
    found = [{"id": item["id"], "type": item["type"], "title": item["title"], "issuer": item.get("issuer", ""),
              "valid_to": item.get("valid_to", ""), "fields": dict(item.get("data") or {})}
             for item in answer.get("licences", [])]
    return found, list(answer.get("missing", []))
