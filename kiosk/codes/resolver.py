"""Codes the terminal cannot verify itself are resolved by the platform: `POST /api/v1/codes/resolve`.

Anything that goes wrong on the way (no network, timeout, a server error, a strange answer) ends as
a refusal with its own reason; the scanned text and the answer's personal fields never reach a log.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

import requests

from devices.checkdigit import valid_id_number, valid_uscc
from kiosk.codes.verifier import CodeResult

log = logging.getLogger(__name__)
PATH = "/api/v1/codes/resolve"


class PlatformResolver:
    """Asks the platform who a code belongs to."""

    def __init__(self, base_url: str, token: str, terminal_id: str,
                 connect_timeout: float = 3.0, read_timeout: float = 5.0,
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.terminal_id = terminal_id
        self.timeout = (connect_timeout, read_timeout)
        self._http = session or requests.Session()

    def resolve(self, text: str) -> CodeResult:
        """Resolve one scanned text; never raises for network or server trouble."""
        if not self.base_url:
            return CodeResult.refused("needs_network")
        headers = {"Authorization": f"Bearer {self.token}", "X-Terminal-Id": self.terminal_id,
                   # a resolve has no side effects, but the contract wants a key on every POST
                   "Idempotency-Key": str(uuid.uuid4())}
        try:
            response = self._http.post(self.base_url + PATH, json={"code": text}, headers=headers,
                                       timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            log.info("code resolve: platform unreachable (%s)", type(exc).__name__)
            return CodeResult.refused("needs_network")
        except requests.RequestException as exc:
            log.warning("code resolve failed: %s", type(exc).__name__)
            return CodeResult.refused("platform_error")
        status = response.status_code
        if status == 404:
            return CodeResult.refused("unknown_code")
        if status == 410:
            return CodeResult.refused("expired")
        if status in (429, 502, 503, 504):
            log.info("code resolve: platform busy (%s)", status)
            return CodeResult.refused("needs_network")
        if status != 200:
            log.warning("code resolve: unexpected HTTP status %s", status)
            return CodeResult.refused("platform_error")
        try:
            body = response.json()
        except ValueError:
            body = None
        return _result_from_body(body)


def _result_from_body(body: Any) -> CodeResult:
    """Turn the platform's answer into a result, refusing anything that does not add up."""
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"].strip():
        log.warning("code resolve: malformed answer from the platform")
        return CodeResult.refused("platform_error")
    kind = body.get("kind")
    if kind == "resident":
        number, valid = body.get("id_number"), valid_id_number
    elif kind == "enterprise":
        number, valid = body.get("uscc"), valid_uscc
    else:
        log.warning("code resolve: answer of unknown kind")
        return CodeResult.refused("platform_error")
    if not isinstance(number, str) or not valid(number):
        return CodeResult.refused("bad_check_digit", kind)
    return CodeResult(ok=True, kind=kind, sub=number.upper(), name=body["name"].strip(),
                      verified_offline=False)
