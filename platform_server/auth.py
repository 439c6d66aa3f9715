"""Who is asking: every bearer token belongs to exactly one terminal, and every /api request must present
a token together with that terminal's X-Terminal-Id.

The token -> terminal mapping comes from a JSON file (`--tokens FILE`: {"<token>": "<terminal id>"}), the
environment (`HEZE_PLATFORM_TOKENS`, same JSON or `token=terminal,token=terminal`) or, for one terminal,
`--token T --terminal-id ID`. A token without a terminal is refused at start-up: the safe default is that
no token can speak for every terminal.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Mapping

from flask import g, request

from platform_server.errors import BadInput, error

log = logging.getLogger("platform_server")
ENV_TOKENS = "HEZE_PLATFORM_TOKENS"


class TokenMapError(ValueError):
    """The token -> terminal mapping is missing or unusable (the server does not start)."""


def parse_mapping(text: str) -> dict[str, str]:
    """{"tok": "HZ-1"} as JSON, or "tok=HZ-1,tok2=HZ-2" (commas, semicolons or new lines between pairs)."""
    text = text.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise TokenMapError(f"token mapping is not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise TokenMapError("token mapping must be a JSON object {token: terminal id}")
        pairs = list(data.items())
    else:
        pairs = []
        for part in text.replace(";", ",").replace("\n", ",").split(","):
            if part.strip() and not part.strip().startswith("#"):
                token, sep, terminal = part.strip().partition("=")
                if not sep:
                    raise TokenMapError("each entry must read token=terminal_id")
                pairs.append((token.strip(), terminal.strip()))
    return check_mapping(dict(pairs))


def check_mapping(mapping: Mapping[str, object]) -> dict[str, str]:
    """Every token non-empty printable ASCII, every token tied to one non-empty terminal id."""
    if not isinstance(mapping, Mapping):
        raise TokenMapError("tokens must map each token to its terminal id, e.g. {\"token\": \"HZ-0001\"}")
    result = {}
    for token, terminal in mapping.items():
        if not isinstance(token, str) or not token or not token.isascii() or not token.isprintable():
            raise TokenMapError("a token must be non-empty printable ASCII")
        if not isinstance(terminal, str) or not terminal.strip():
            raise TokenMapError("every token must be tied to one terminal id")
        result[token] = terminal.strip()
    if not result:
        raise TokenMapError("no tokens: give --tokens FILE, HEZE_PLATFORM_TOKENS or --token with --terminal-id")
    return result


def load_mapping(tokens_file: str | None = None, tokens: list[str] | None = None,
                 terminal_id: str | None = None, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The mapping from the command line and environment (file, then env, then --token/--terminal-id).

    A `--token` may be written `TOKEN=TERMINAL`; a bare `--token` needs `--terminal-id`.
    """
    env = os.environ if env is None else env
    mapping: dict[str, str] = {}
    if tokens_file:
        try:
            mapping.update(parse_mapping(Path(tokens_file).read_text(encoding="utf-8")))
        except OSError as exc:
            raise TokenMapError(f"cannot read {tokens_file}: {exc.strerror}") from None
    if env.get(ENV_TOKENS):
        mapping.update(parse_mapping(env[ENV_TOKENS]))
    for token in tokens or []:
        name, sep, terminal = token.partition("=")
        if not sep:
            if not terminal_id:
                raise TokenMapError("token given without a terminal: use --token TOKEN=TERMINAL or --terminal-id")
            terminal = terminal_id
        mapping[name] = terminal
    return check_mapping(mapping)


def _ascii_header(name: str) -> str:
    # werkzeug hands over header bytes as latin-1 text; anything beyond ASCII cannot be a token or an id
    value = request.headers.get(name, "")
    if not value.isascii():
        raise BadInput(400, "invalid_header", f"请求头 {name} 含有无法识别的字符")
    return value.strip()


def authenticate(token_map: Mapping[str, str]):
    """A before_request hook: 401 unless the token is known AND X-Terminal-Id is its terminal."""
    # tokens are looked up by their SHA-256: a dict probe on a digest tells an attacker nothing about how
    # much of a guess was right, and a fleet of thousands of terminals costs one hash, not thousands of compares
    known = {hashlib.sha256(t.encode("ascii")).digest(): terminal for t, terminal in token_map.items()}

    def hook():
        if not request.path.startswith("/api/"):
            return None
        header = _ascii_header("Authorization")
        terminal = _ascii_header("X-Terminal-Id")
        token = header[7:].strip().encode("ascii") if header[:7].lower() == "bearer " else b""
        owner = known.get(hashlib.sha256(token).digest()) if token else None
        if owner is None:
            return error(401, "unauthorized")
        if not terminal:
            return error(401, "terminal_id_missing")
        if not hmac.compare_digest(owner.encode("ascii", "replace"), terminal.encode("ascii")):
            log.warning("token of terminal %s presented as another terminal", owner)
            return error(401, "unauthorized")
        g.terminal_id = terminal
        return None

    return hook
