"""Codes the terminal cannot verify itself are resolved by the platform: `POST /api/v1/codes/resolve`.

Anything that goes wrong on the way (no network, timeout, a server error, a strange answer) ends as
a refusal with its own reason; the scanned text and the answer's personal fields never reach a log.
"""
from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

import requests

from devices.checkdigit import valid_id_number, valid_uscc
from kiosk.codes.verifier import CodeResult

log = logging.getLogger(__name__)
PATH = "/api/v1/codes/resolve"


class PlatformResolver:
    """Asks the platform who a code belongs to, through the terminal's platform client.

    `lock` (the terminal core's platform lock) serialises use of the client across threads; a citizen
    waits for the answer, so `read_timeout` ([codes] resolve_timeout) is shorter than the client's own."""

    def __init__(self, client, read_timeout: float = 5.0, lock=None) -> None:
        self.client = client
        self.read_timeout = float(read_timeout)
        self.lock = lock if lock is not None else threading.Lock()

    def resolve(self, text: str) -> CodeResult:
        """Resolve one scanned text; never raises for network or server trouble."""
        if not self.client.base_url:
            return CodeResult.refused("needs_network")
        try:
            with self.lock:
                # a resolve has no side effects, but the contract wants a key on every POST
                response = self.client.request("POST", PATH, json={"code": text}, idempotency_key=str(uuid.uuid4()),
                                               timeout=(self.client.timeout[0], self.read_timeout))
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
