"""The Flask app of the reference platform: `create_app(db_path, tokens)` and `serve(...)`.

Implements shared/specs/platform-api.md: bearer tokens, each tied to one terminal (platform_server.auth),
on every /api route (the catalogue blueprint of platform_server.catalogue included), idempotent POSTs keyed
per terminal (platform_server.idempotency), attachments by SHA-256, submissions with 办件编号 and a 查询码,
tracking events, code resolution, heartbeats. Every body is read with a byte limit and strict JSON
(platform_server.bodies) and validated with pydantic models (platform_server.schemas).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from collections import defaultdict, deque
from pathlib import Path
from typing import Callable, Mapping

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from platform_server import db, dialect, idempotency
from platform_server.auth import authenticate, check_mapping
from platform_server.bodies import json_body, read_limited
from platform_server.demo_data import seed_codes, seed_tracking
from platform_server.errors import MESSAGES, BadInput, error
from platform_server.ops import cases as ops_cases
from platform_server.schemas import CodeResolve, Heartbeat, validate, validate_submission

log = logging.getLogger("platform_server")

MAX_BODY = 10 * 1024 * 1024
IN_FLIGHT_LEASE_S = 30.0  # an in-flight key older than this belongs to a request that died: take it over
CHECK_TRIES = 10          # wrong 查询码 a terminal may send per CHECK_WINDOW_S before it must wait
CHECK_WINDOW_S = 600.0
_SHA256_LEN = 64


def create_app(db_path: str | Path, tokens: Mapping[str, str], *,
               region: str = "371700", pack_dir: str | Path | None = None,
               processing_delay: float = 0.0, busy_first: int = 0, seed_demo: bool = True,
               in_flight_lease: float = IN_FLIGHT_LEASE_S, silent_after: float = 300.0,
               clock: Callable[[], float] = time.time, ops_secret: str | None = None,
               secure_cookies: bool = False) -> Flask:
    """Build the platform app.

    tokens: bearer token -> the one terminal id allowed to use it (platform_server.auth).
    processing_delay: seconds each idempotent POST spends "processing" after claiming its key (tests use it
    to observe 409 idempotency_in_flight). busy_first: answer the first N submissions 503 with Retry-After.
    in_flight_lease: seconds after which a key still "in flight" is taken over (its request died with the server).
    db_path: a SQLite file or a PostgreSQL URL (platform_server.dialect).
    silent_after, clock, ops_secret, secure_cookies: the operations console (platform_server.ops); `clock` is
    the platform's "now" for heartbeats, terminal states and case deadlines.
    """
    if not dialect.is_url(db_path):
        db_path = Path(db_path)
    token_map = check_mapping(tokens)
    db.init_db(db_path, seed_codes() if seed_demo else None, seed_tracking() if seed_demo else None)
    app = Flask("platform_server")
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    faults = {"busy_left": int(busy_first), "lock": threading.Lock()}
    wrong_checks: dict[str, deque] = defaultdict(deque)

    def conn():
        if "conn" not in g:
            g.conn = db.connect(db_path)
        return g.conn

    @app.teardown_appcontext
    def _close(_exc):
        c = g.pop("conn", None)
        if c is not None:
            c.close()

    app.before_request(authenticate(token_map))

    @app.errorhandler(BadInput)
    def _bad_input(exc: BadInput):
        # the client's mistake: one line, no traceback, nothing from the body
        log.warning("refused %s %s: %s %s %s", request.method, request.endpoint or "-", exc.status, exc.code,
                    ",".join(exc.extra.get("fields", []))[:200])
        resp = jsonify(exc.body())
        resp.status_code = exc.status
        return resp

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if (exc.code or 500) < 400:   # a routing redirect (/ops -> /ops/) stays a redirect
            return exc
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.code or 500, "bad_request")
        return error(exc.code or 500, code)

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        log.exception("unhandled error")
        return error(500, "internal_error")

    def idempotent(endpoint: str, data: dict, process) -> Response:
        return idempotency.run(conn(), g.terminal_id, endpoint, data, process, in_flight_lease=in_flight_lease,
                               processing_delay=processing_delay)

    # -- submissions -------------------------------------------------------------------------------
    def process_submission(c, data: dict, key: str):
        wanted = [a["sha256"] for a in data["attachments"]]
        missing = [h for h in wanted
                   if c.execute("SELECT 1 FROM attachments WHERE sha256=?", (h,)).fetchone() is None]
        if missing:
            return 409, {"error": {"code": "attachment_missing", "message": MESSAGES["attachment_missing"],
                                   "missing": missing}}
        tracking_no = db.next_tracking_no(c, region)
        check_code = db.new_check_code()
        sub_id = uuid.uuid4().hex
        now = db.now_rfc3339()
        c.execute("INSERT INTO submissions (id, tracking_no, terminal_id, kind, local_id, created_at, received_at, "
                  "idem_key, body, status) VALUES (?,?,?,?,?,?,?,?,?, 'received')",
                  (sub_id, tracking_no, g.terminal_id, data["kind"], data["local_id"], data["created_at"], now, key,
                   json.dumps(data, ensure_ascii=False)))
        c.execute("INSERT INTO tracking_kinds (tracking_no, kind, status, terminal_id, check_code) "
                  "VALUES (?,?, 'received', ?, ?)", (tracking_no, data["kind"], g.terminal_id, check_code))
        c.execute("INSERT INTO tracking_events (tracking_no, at, status, note) VALUES (?,?, 'received', ?)",
                  (tracking_no, now, "已经收到，等工作人员来看"))
        ops_cases.open_case(c, tracking_no, g.terminal_id, data, clock())
        return 201, {"id": sub_id, "tracking_no": tracking_no, "status": "received", "check_code": check_code}

    @app.post("/api/v1/submissions")
    def post_submission():
        with faults["lock"]:
            busy = faults["busy_left"] > 0
            if busy:
                faults["busy_left"] -= 1
        if busy:
            resp = error(503, "busy")
            resp.headers["Retry-After"] = "1"
            return resp
        data = json_body()
        validate_submission(data)
        return idempotent("submissions", data, process_submission)

    # -- attachments -------------------------------------------------------------------------------
    @app.route("/api/v1/attachments/<sha>", methods=["HEAD"])
    def head_attachment(sha: str):
        row = conn().execute("SELECT size, content_type FROM attachments WHERE sha256=?", (sha,)).fetchone()
        if row is None:
            return Response(status=404)
        resp = Response(status=200)
        resp.headers["X-Attachment-Size"] = str(row["size"])
        return resp

    @app.put("/api/v1/attachments/<sha>")
    def put_attachment(sha: str):
        if len(sha) != _SHA256_LEN or sha.strip("0123456789abcdef"):
            return error(400, "invalid_sha256")
        body = read_limited(MAX_BODY)   # the limit holds for what is read, chunked or not
        if hashlib.sha256(body).hexdigest() != sha:
            return error(422, "hash_mismatch")
        content_type = (request.mimetype or "application/octet-stream")[:127]
        c = conn()
        with db.write(c):
            cur = c.execute("INSERT INTO attachments (sha256, content_type, size, data, created_at) "
                            "VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING", (sha, content_type, len(body), body, db.now_rfc3339()))
        return Response(status=201 if cur.rowcount else 200)

    # -- tracking ----------------------------------------------------------------------------------
    def check_allowed(terminal: str) -> bool:
        """False while `terminal` has sent too many wrong 查询码 lately (guessing 4 digits takes 10,000 tries)."""
        tries = wrong_checks[terminal]
        while tries and tries[0] < time.monotonic() - CHECK_WINDOW_S:
            tries.popleft()
        return len(tries) < CHECK_TRIES

    @app.get("/api/v1/tracking/<tracking_no>")
    def tracking(tracking_no: str):
        c = conn()
        head = c.execute("SELECT kind, status, terminal_id, check_code FROM tracking_kinds WHERE tracking_no=?",
                         (tracking_no,)).fetchone()
        mine = head is not None and head["terminal_id"] == g.terminal_id
        if not mine:
            # another terminal's number needs the receipt's 查询码; without it the answer is the same as for
            # a number that does not exist, so numbers cannot be probed one after the other
            given = request.args.get("check", "")
            if given and not check_allowed(g.terminal_id):
                resp = error(429, "busy", "查询码错误次数过多，请稍后再试")
                resp.headers["Retry-After"] = str(int(CHECK_WINDOW_S))
                return resp
            right = head is not None and bool(head["check_code"]) and hmac.compare_digest(
                given.encode("utf-8", "replace"), head["check_code"].encode())
            if not right:
                if given:
                    wrong_checks[g.terminal_id].append(time.monotonic())
                return error(404, "tracking_not_found")
        events = [dict(r) for r in c.execute("SELECT at, status, note FROM tracking_events WHERE tracking_no=? "
                                             "ORDER BY rowid", (tracking_no,))]
        return jsonify({"tracking_no": tracking_no, "kind": head["kind"], "status": head["status"], "events": events})

    # -- codes -------------------------------------------------------------------------------------
    def process_resolve(c, data: dict, key: str):
        row = c.execute("SELECT * FROM codes WHERE code=?", (data["code"].strip(),)).fetchone()
        if row is None:
            return 404, {"error": {"code": "code_unknown", "message": MESSAGES["code_unknown"]}}
        if row["expires_ts"] is not None and row["expires_ts"] < time.time():
            return 410, {"error": {"code": "code_expired", "message": MESSAGES["code_expired"]}}
        field = "id_number" if row["kind"] == "resident" else "uscc"
        return 200, {"kind": row["kind"], field: row["number"], "name": row["name"]}

    @app.post("/api/v1/codes/resolve")
    def resolve_code():
        data = json_body()
        if not validate(CodeResolve, data, "invalid_code").code.strip():
            raise BadInput(422, "invalid_code", fields=["code"])
        return idempotent("codes/resolve", data, process_resolve)

    # -- heartbeats --------------------------------------------------------------------------------
    @app.post("/api/v1/terminals/<terminal_id>/heartbeat")
    def heartbeat(terminal_id: str):
        if terminal_id != g.terminal_id:
            return error(403, "terminal_mismatch")
        data = json_body()
        validate(Heartbeat, data, "invalid_heartbeat")
        db.store_heartbeat(conn(), terminal_id, data, clock())
        return Response(status=204)

    @app.get("/api/v1/terminals/<terminal_id>")
    def terminal_status(terminal_id: str):
        """Staff view (an extension of the spec): the latest heartbeat of the asking terminal itself."""
        if terminal_id != g.terminal_id:
            return error(403, "terminal_mismatch")
        beat = db.latest_heartbeat(conn(), terminal_id)
        if beat is None:
            return error(404, "not_found")
        return jsonify({"terminal_id": terminal_id, "last_heartbeat": beat})

    _register_catalogue(app, pack_dir)
    from platform_server.documents import make_documents_blueprint  # 证明打印 and 一码亮证
    app.register_blueprint(make_documents_blueprint(db_path))
    from platform_server.licence_use import make_licence_use_blueprint  # 电子证照 for an application, with consent
    app.register_blueprint(make_licence_use_blueprint(db_path))
    from platform_server.ops import make_ops_blueprint   # the operations console for county staff
    app.register_blueprint(make_ops_blueprint(app, db_path, silent_after=silent_after, clock=clock,
                                              secret=ops_secret, secure_cookies=secure_cookies))
    from platform_server.citizen_facts import make_citizen_facts_blueprint  # 免申即享: 一人一档 facts
    app.register_blueprint(make_citizen_facts_blueprint())
    return app


def _register_catalogue(app: Flask, pack_dir: str | Path | None) -> None:
    """The catalogue endpoints live in platform_server.catalogue (the content-pack owner's module)."""
    try:
        from platform_server.catalogue import make_catalogue_blueprint
    except ImportError:
        log.info("platform_server.catalogue not present: no catalogue endpoints")
        return
    if pack_dir is None:
        pack_dir = Path(__file__).resolve().parents[1] / "config" / "content"
    app.register_blueprint(make_catalogue_blueprint(Path(pack_dir)))


def serve(host: str, port: int, db_path: str | Path, tokens, *, ready: Callable[[str], None] | None = None,
          **options) -> None:
    """Run the app on a threaded WSGI server until interrupted; `ready(url)` is called once it listens."""
    from werkzeug.serving import make_server

    app = create_app(db_path, tokens, **options)
    # no access line per request: a refused request is logged once, by the app, in its own words
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server(host, port, app, threaded=True)
    url = f"http://{host}:{server.server_port}"
    if ready:
        ready(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
