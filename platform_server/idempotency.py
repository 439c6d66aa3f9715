"""Idempotent POSTs (shared/specs/platform-api.md "Idempotency"), keyed per terminal.

A key is only ever looked up together with the terminal that sent it: the same key from another terminal
is another request (it neither replays nor blocks the first terminal's answer).
"""
from __future__ import annotations

import hashlib
import json
import time
from typing import Any, Callable

from flask import Response, request

from platform_server import db
from platform_server.errors import error

# process(conn, data, key) -> (status, body)
Process = Callable[[Any, dict, str], "tuple[int, dict[str, Any]]"]


def run(conn, terminal_id: str, endpoint: str, data: dict, process: Process, *,
        in_flight_lease: float, processing_delay: float = 0.0) -> Response:
    """Claim (terminal, key), run `process` once, store and replay its answer for retries with the same body."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 128 or not key.isascii():
        return error(400, "idempotency_key_missing")
    body_hash = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    where = "WHERE terminal_id=? AND key=?"
    with db.write(conn):
        row = conn.execute(f"SELECT * FROM idempotency {where}", (terminal_id, key)).fetchone()
        if row is not None:
            if row["body_hash"] != body_hash or row["endpoint"] != endpoint:
                return error(422, "idempotency_mismatch")
            if row["state"] == "done":
                resp = Response(row["response"], status=row["status"], mimetype="application/json")
                resp.headers["Idempotent-Replayed"] = "true"
                return resp
            if time.time() - row["started_ts"] < in_flight_lease:
                return error(409, "idempotency_in_flight")
            conn.execute(f"UPDATE idempotency SET started_ts=? {where}", (time.time(), terminal_id, key))
        else:
            conn.execute("INSERT INTO idempotency (key, terminal_id, endpoint, body_hash, state, started_ts) "
                         "VALUES (?,?,?,?, 'in_flight', ?)", (key, terminal_id, endpoint, body_hash, time.time()))
    if processing_delay:
        time.sleep(processing_delay)
    try:
        with db.write(conn):
            status, body = process(conn, data, key)
            text = json.dumps(body, ensure_ascii=False)
            # 409 and 5xx are not answers to the request, they say "not now": keep the key open
            if status < 500 and status not in (408, 409, 429):
                conn.execute(f"UPDATE idempotency SET state='done', status=?, response=?, completed_ts=? {where}",
                             (status, text, time.time(), terminal_id, key))
            else:
                conn.execute(f"DELETE FROM idempotency {where}", (terminal_id, key))
    except Exception:
        with db.write(conn):
            conn.execute(f"DELETE FROM idempotency {where} AND state='in_flight'", (terminal_id, key))
        raise
    return Response(text, status=status, mimetype="application/json")
