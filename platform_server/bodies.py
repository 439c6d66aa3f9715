"""Reading request bodies safely: a byte limit enforced on what is actually read, and strict JSON.

Flask's own helpers let three things through that crashed the platform or stored garbage: a chunked
body (no Content-Length) was cut at the limit without an error, a lone surrogate ("\\ud800") parsed
and then failed when stored, and deeply nested JSON blew the recursion limit. Here each is a `BadInput`.
"""
from __future__ import annotations

import json
import math
from typing import Any

from flask import g, request
from werkzeug.wsgi import get_input_stream

from platform_server.errors import BadInput

MAX_JSON_BYTES = 1024 * 1024   # a submission body without its attachments
MAX_DEPTH = 32                 # the deepest payload the terminal sends is 4 levels
_READ = 64 * 1024
_DRAIN_MAX = 128 * 1024 * 1024  # read (and drop) this much of an oversized upload so the client sees the 413


def read_limited(limit: int) -> bytes:
    """The whole body, at most `limit` bytes; more (announced or actually sent) is a 413 too_large."""
    length = request.content_length
    if length is not None and length > limit:
        raise BadInput(413, "too_large")
    # the raw stream: the server ends a chunked body itself (wsgi.input_terminated); Flask's wrapper would
    # stop quietly at MAX_CONTENT_LENGTH and hand us the first 10 MiB as if that were all
    stream = get_input_stream(request.environ, safe_fallback=False)
    parts, size = [], 0
    while True:
        block = stream.read(min(_READ, limit + 1 - size))
        if not block:
            return b"".join(parts)
        parts.append(block)
        size += len(block)
        if size > limit:
            _drain(stream)
            raise BadInput(413, "too_large")


def _drain(stream) -> None:
    drained = 0
    while drained < _DRAIN_MAX:
        block = stream.read(_READ)
        if not block:
            return
        drained += len(block)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """Nesting depth without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def parse_json(raw: bytes) -> dict[str, Any]:
    """A JSON object from UTF-8 bytes; no NaN/Infinity/1e400, no lone surrogates, at most MAX_DEPTH deep."""
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise BadInput(400, "invalid_json", "JSON 嵌套层数过多") from None
    except (UnicodeDecodeError, ValueError):
        raise BadInput(400, "invalid_json") from None
    if not isinstance(data, dict):
        raise BadInput(400, "invalid_json", "请求内容应为 JSON 对象")
    if _depth(data) > MAX_DEPTH:
        raise BadInput(400, "invalid_json", "JSON 嵌套层数过多")
    try:
        # a lone surrogate ("\ud800") parses, but is no text: it could be neither stored nor answered
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(400, "invalid_json", "请求内容含有无效的字符") from None
    return data


def json_body() -> dict[str, Any]:
    """The request's JSON object (Content-Type application/json), read with MAX_JSON_BYTES."""
    if not request.is_json:
        raise BadInput(400, "invalid_json", "请求内容应为 JSON（Content-Type: application/json）")
    raw = read_limited(MAX_JSON_BYTES)
    g.raw_body = raw   # the stream is read once; whoever hashes the body takes these bytes
    return parse_json(raw)
