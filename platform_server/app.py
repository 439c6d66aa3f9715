"""The Flask app of the reference platform: `create_app(db_path, tokens)` and `serve(...)`.

Implements shared/specs/platform-api.md: bearer tokens + X-Terminal-Id on every /api route (the
catalogue blueprint of platform_server.catalogue included), idempotent POSTs, attachments by SHA-256,
submissions with 办件编号 tracking numbers, tracking events, code resolution, heartbeats.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Iterable, Mapping

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from platform_server import db
from platform_server.demo_data import seed_codes, seed_tracking

log = logging.getLogger("platform_server")

from common.kinds import KINDS  # noqa: E402  (the one list, shared with the terminal)
MAX_BODY = 10 * 1024 * 1024
IN_FLIGHT_LEASE_S = 30.0  # an in-flight key older than this belongs to a request that died: take it over
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

MESSAGES = {
    "unauthorized": "终端认证失败，请联系工作人员",
    "terminal_id_missing": "请求缺少终端编号",
    "terminal_mismatch": "终端编号与请求不符",
    "idempotency_key_missing": "请求缺少幂等键",
    "idempotency_in_flight": "该请求正在处理中，请稍后重试",
    "idempotency_mismatch": "同一幂等键对应的请求内容不一致",
    "invalid_json": "请求内容不是有效的 JSON",
    "invalid_submission": "提交内容不完整或格式不正确",
    "attachment_missing": "附件尚未上传",
    "invalid_sha256": "附件编号格式不正确",
    "hash_mismatch": "附件内容与编号不符",
    "too_large": "文件过大（最大 10 MB）",
    "not_found": "未找到",
    "method_not_allowed": "不支持的请求方式",
    "tracking_not_found": "未查询到该办件编号",
    "code_unknown": "无法识别该码，请改用身份证",
    "code_expired": "码已过期，请刷新后重试",
    "busy": "平台繁忙，请稍后重试",
    "internal_error": "平台内部错误，请稍后重试",
}


def error(status: int, code: str, message: str | None = None, **extra) -> Response:
    """The spec's error body: {"error": {"code", "message", ...}}."""
    body = {"error": {"code": code, "message": message or MESSAGES.get(code, code), **extra}}
    resp = jsonify(body)
    resp.status_code = status
    return resp


def _normalise_tokens(tokens: Mapping[str, str | None] | Iterable[str]) -> dict[str, str | None]:
    if isinstance(tokens, Mapping):
        return dict(tokens)
    return {t: None for t in tokens}


def create_app(db_path: str | Path, tokens: Mapping[str, str | None] | Iterable[str], *,
               region: str = "371700", pack_dir: str | Path | None = None,
               processing_delay: float = 0.0, busy_first: int = 0, seed_demo: bool = True,
               in_flight_lease: float = IN_FLIGHT_LEASE_S) -> Flask:
    """Build the platform app.

    tokens: accepted bearer tokens, or a mapping token -> the only terminal id allowed to use it (None: any).
    processing_delay: seconds each idempotent POST spends "processing" after claiming its key (tests use it
    to observe 409 idempotency_in_flight). busy_first: answer the first N submissions 503 with Retry-After.
    in_flight_lease: seconds after which a key still "in flight" is taken over (its request died with the server).
    """
    db_path = Path(db_path)
    db.init_db(db_path, seed_codes() if seed_demo else None, seed_tracking() if seed_demo else None)
    app = Flask("platform_server")
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    token_map = _normalise_tokens(tokens)
    faults = {"busy_left": int(busy_first), "lock": threading.Lock()}

    def conn():
        if "conn" not in g:
            g.conn = db.connect(db_path)
        return g.conn

    @app.teardown_appcontext
    def _close(_exc):
        c = g.pop("conn", None)
        if c is not None:
            c.close()

    @app.before_request
    def _authenticate():
        if not request.path.startswith("/api/"):
            return None
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        allowed = next((t for t in token_map if token and hmac.compare_digest(t, token)), None)
        if allowed is None:
            return error(401, "unauthorized")
        terminal = request.headers.get("X-Terminal-Id", "").strip()
        if not terminal:
            return error(401, "terminal_id_missing")
        if token_map[allowed] not in (None, terminal):
            return error(401, "unauthorized")
        g.terminal_id = terminal
        return None

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.code or 500, "bad_request")
        return error(exc.code or 500, code)

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        log.exception("unhandled error")
        return error(500, "internal_error")

    # -- idempotent POST machinery ---------------------------------------------------------------
    def idempotent(endpoint: str, process: Callable) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 128:
            return error(400, "idempotency_key_missing")
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return error(400, "invalid_json")
        body_hash = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        c = conn()
        with db.write(c):
            row = c.execute("SELECT * FROM idempotency WHERE key=?", (key,)).fetchone()
            if row is not None:
                if row["body_hash"] != body_hash or row["endpoint"] != endpoint:
                    return error(422, "idempotency_mismatch")
                if row["state"] == "done":
                    resp = Response(row["response"], status=row["status"], mimetype="application/json")
                    resp.headers["Idempotent-Replayed"] = "true"
                    return resp
                if time.time() - row["started_ts"] < in_flight_lease:
                    return error(409, "idempotency_in_flight")
                c.execute("UPDATE idempotency SET started_ts=? WHERE key=?", (time.time(), key))
            else:
                c.execute("INSERT INTO idempotency (key, terminal_id, endpoint, body_hash, state, started_ts) "
                          "VALUES (?,?,?,?, 'in_flight', ?)", (key, g.terminal_id, endpoint, body_hash, time.time()))
        if processing_delay:
            time.sleep(processing_delay)
        try:
            with db.write(c):
                status, body = process(c, data, key)
                text = json.dumps(body, ensure_ascii=False)
                # 409 and 5xx are not answers to the request, they say "not now": keep the key open
                if status < 500 and status not in (408, 409, 429):
                    c.execute("UPDATE idempotency SET state='done', status=?, response=?, completed_ts=? "
                              "WHERE key=?", (status, text, time.time(), key))
                else:
                    c.execute("DELETE FROM idempotency WHERE key=?", (key,))
        except Exception:
            with db.write(c):
                c.execute("DELETE FROM idempotency WHERE key=? AND state='in_flight'", (key,))
            raise
        return Response(text, status=status, mimetype="application/json")

    # -- submissions -------------------------------------------------------------------------------
    def process_submission(c, data: dict, key: str):
        problems = _submission_problems(data)
        if problems:
            return 422, {"error": {"code": "invalid_submission", "message": MESSAGES["invalid_submission"],
                                   "fields": problems}}
        wanted = [a["sha256"] for a in data.get("attachments", [])]
        missing = [h for h in wanted
                   if c.execute("SELECT 1 FROM attachments WHERE sha256=?", (h,)).fetchone() is None]
        if missing:
            return 409, {"error": {"code": "attachment_missing", "message": MESSAGES["attachment_missing"],
                                   "missing": missing}}
        tracking_no = db.next_tracking_no(c, region)
        sub_id = uuid.uuid4().hex
        now = db.now_rfc3339()
        c.execute("INSERT INTO submissions (id, tracking_no, terminal_id, kind, local_id, created_at, received_at, "
                  "idem_key, body, status) VALUES (?,?,?,?,?,?,?,?,?, 'received')",
                  (sub_id, tracking_no, g.terminal_id, data["kind"], data["local_id"], data["created_at"], now, key,
                   json.dumps(data, ensure_ascii=False)))
        c.execute("INSERT INTO tracking_kinds (tracking_no, kind, status) VALUES (?,?, 'received')",
                  (tracking_no, data["kind"]))
        c.execute("INSERT INTO tracking_events (tracking_no, at, status, note) VALUES (?,?, 'received', ?)",
                  (tracking_no, now, "已收到，等待受理"))
        return 201, {"id": sub_id, "tracking_no": tracking_no, "status": "received"}

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
        return idempotent("submissions", process_submission)

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
        if not _SHA256.match(sha):
            return error(400, "invalid_sha256")
        body = request.get_data(cache=False)
        if hashlib.sha256(body).hexdigest() != sha:
            return error(422, "hash_mismatch")
        c = conn()
        with db.write(c):
            cur = c.execute("INSERT OR IGNORE INTO attachments (sha256, content_type, size, data, created_at) "
                            "VALUES (?,?,?,?,?)", (sha, request.mimetype or "application/octet-stream", len(body),
                                                   body, db.now_rfc3339()))
        return Response(status=201 if cur.rowcount else 200)

    # -- tracking ----------------------------------------------------------------------------------
    @app.get("/api/v1/tracking/<tracking_no>")
    def tracking(tracking_no: str):
        c = conn()
        head = c.execute("SELECT kind, status FROM tracking_kinds WHERE tracking_no=?", (tracking_no,)).fetchone()
        if head is None:
            return error(404, "tracking_not_found")
        events = [dict(r) for r in c.execute("SELECT at, status, note FROM tracking_events WHERE tracking_no=? "
                                             "ORDER BY rowid", (tracking_no,))]
        return jsonify({"tracking_no": tracking_no, "kind": head["kind"], "status": head["status"], "events": events})

    # -- codes -------------------------------------------------------------------------------------
    def process_resolve(c, data: dict, key: str):
        code = data.get("code")
        if not isinstance(code, str) or not code.strip():
            return 422, {"error": {"code": "invalid_code", "message": "码内容为空"}}
        row = c.execute("SELECT * FROM codes WHERE code=?", (code.strip(),)).fetchone()
        if row is None:
            return 404, {"error": {"code": "code_unknown", "message": MESSAGES["code_unknown"]}}
        if row["expires_ts"] is not None and row["expires_ts"] < time.time():
            return 410, {"error": {"code": "code_expired", "message": MESSAGES["code_expired"]}}
        field = "id_number" if row["kind"] == "resident" else "uscc"
        return 200, {"kind": row["kind"], field: row["number"], "name": row["name"]}

    @app.post("/api/v1/codes/resolve")
    def resolve_code():
        return idempotent("codes/resolve", process_resolve)

    # -- heartbeats --------------------------------------------------------------------------------
    @app.post("/api/v1/terminals/<terminal_id>/heartbeat")
    def heartbeat(terminal_id: str):
        if terminal_id != g.terminal_id:
            return error(403, "terminal_mismatch")
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return error(400, "invalid_json")
        db.store_heartbeat(conn(), terminal_id, data)
        return Response(status=204)

    @app.get("/api/v1/terminals/<terminal_id>")
    def terminal_status(terminal_id: str):
        """Staff view (an extension of the spec): the latest heartbeat of a terminal."""
        beat = db.latest_heartbeat(conn(), terminal_id)
        if beat is None:
            return error(404, "not_found")
        return jsonify({"terminal_id": terminal_id, "last_heartbeat": beat})

    _register_catalogue(app, pack_dir)
    from platform_server.documents import make_documents_blueprint  # 证明打印 and 一码亮证
    app.register_blueprint(make_documents_blueprint(db_path))
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


def _submission_problems(data: dict) -> list[str]:
    """Names of the fields that make a submission invalid (empty list: valid)."""
    problems = []
    if data.get("kind") not in KINDS:
        problems.append("kind")
    local_id = data.get("local_id")
    if not isinstance(local_id, str) or not 0 < len(local_id) <= 64:
        problems.append("local_id")
    if not isinstance(data.get("created_at"), str) or not data.get("created_at"):
        problems.append("created_at")
    payload = data.get("payload")
    if not isinstance(payload, dict):
        problems.append("payload")
    elif (data.get("kind") == "evaluation" and isinstance(payload.get("score"), int)
          and payload["score"] not in (1, 2, 3, 4, 5)):
        problems.append("payload.score")  # 好差评: a numeric score is one to five stars
    attachments = data.get("attachments", [])
    if not isinstance(attachments, list):
        problems.append("attachments")
    else:
        for i, a in enumerate(attachments):
            if not (isinstance(a, dict) and isinstance(a.get("sha256"), str) and _SHA256.match(a["sha256"])
                    and isinstance(a.get("name"), str) and isinstance(a.get("content_type"), str)
                    and isinstance(a.get("size"), int)):
                problems.append(f"attachments[{i}]")
    return problems


def serve(host: str, port: int, db_path: str | Path, tokens, *, ready: Callable[[str], None] | None = None,
          **options) -> None:
    """Run the app on a threaded WSGI server until interrupted; `ready(url)` is called once it listens."""
    from werkzeug.serving import make_server

    app = create_app(db_path, tokens, **options)
    server = make_server(host, port, app, threaded=True)
    url = f"http://{host}:{server.server_port}"
    if ready:
        ready(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
