"""Routes of the operations console (/ops/): login, the fleet, one terminal, the 办件 worklist, the cases."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, url_for

from common.kinds import CASE_KINDS
from platform_server import db
from platform_server.ops import cases as work
from platform_server.ops import fleet, guard, staff

log = logging.getLogger("platform_server.ops")
SILENT_AFTER_S = 300.0


def make_ops_blueprint(app: Flask, target: str | Path, *, silent_after: float = SILENT_AFTER_S,
                       clock: Callable[[], float] = time.time, secret: str | None = None,
                       secure_cookies: bool = False) -> Blueprint:
    """The console, registered on `app` under /ops/. `clock` is the platform's "now" (seconds since the epoch)."""
    guard.configure_sessions(app, secret, secure_cookies)
    bp = Blueprint("ops", __name__, url_prefix="/ops", template_folder="templates")

    def conn():
        if "ops_conn" not in g:
            g.ops_conn = db.connect(target)
        return g.ops_conn

    @bp.teardown_app_request
    def _close(_exc):
        c = g.pop("ops_conn", None)
        if c is not None:
            c.close()

    bp.before_request(guard.check_request)

    @bp.app_context_processor
    def _globals():
        return {"csrf_token": guard.csrf_token, "level_words": fleet.LEVEL_WORDS, "case_kinds": CASE_KINDS,
                "staff_name": lambda: guard.session.get("staff", "")}

    @bp.after_request
    def _headers(resp):
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

    @bp.route("/login", methods=["GET", "POST"])
    def login():
        message = ""
        if request.method == "POST":
            username = request.form.get("username", "").strip()[:64]
            ok, wait = staff.check_login(conn(), username, request.form.get("password", "")[:256], clock())
            if ok:
                guard.log_in(username)
                log.info("staff %s logged in", username)
                nxt = request.args.get("next", "")
                return redirect(nxt if nxt.startswith("/ops/") and "//" not in nxt else url_for("ops.fleet_page"))
            log.warning("ops login refused")
            message = f"登录失败。请 {int(wait) + 1} 秒后再试。" if wait else "用户名或密码不对。"
        return render_template("ops/login.html", message=message), (401 if message else 200)

    @bp.post("/logout")
    def logout():
        guard.log_out()
        return redirect(url_for("ops.login"))

    @bp.get("/")
    def fleet_page():
        region, level = request.args.get("region", ""), request.args.get("level", "")
        if level not in ("", *fleet.LEVEL_WORDS):
            level = ""
        now = clock()
        everyone = fleet.fleet(conn(), now, silent_after)
        shown = [s for s in everyone if (not region or s.region_code == region) and (not level or s.level == level)]
        silent = [s for s in everyone if s.silent]
        counts = {lv: sum(1 for s in everyone if s.level == lv) for lv in fleet.LEVEL_WORDS}
        return render_template("ops/fleet.html", terminals=shown, silent=silent, counts=counts,
                               regions=fleet.regions(conn()), region=region, level=level,
                               silent_after=int(silent_after), now=fleet.fmt_time(now))

    @bp.get("/terminals/<terminal_id>")
    def terminal_page(terminal_id: str):
        state = fleet.one(conn(), terminal_id, clock(), silent_after)
        if state is None:
            abort(404)
        return render_template("ops/terminal.html", t=state,
                               history=fleet.history(conn(), terminal_id, silent_after), silent_after=int(silent_after))

    @bp.get("/work")
    def work_page():
        status = request.args.get("status", "")
        return render_template("ops/work.html", items=work.worklist(conn(), status), status=status,
                               statuses=work.STATUS_WORDS)

    @bp.post("/work/<tracking_no>/move")
    def work_move(tracking_no: str):
        try:
            work.move(conn(), tracking_no, request.form.get("to", ""), request.form.get("reason", ""), clock())
            flash(f"{tracking_no}：{work.STATUS_WORDS.get(request.form.get('to', ''), '')}")
        except work.MoveError as exc:
            flash(f"{tracking_no}：{exc}", "error")
        return redirect(url_for("ops.work_page", status=request.args.get("status", "")))

    @bp.get("/cases/<kind>")
    def cases_page(kind: str):
        if kind not in CASE_KINDS:
            abort(404)
        closed = request.args.get("closed") == "1"
        items = work.cases(conn(), kind, clock(), show_closed=closed)
        return render_template("ops/cases.html", kind=kind, items=items, closed=closed,
                               overdue=sum(1 for c in items if c["overdue"]))

    @bp.post("/cases/<kind>/<tracking_no>/step")
    def case_step(kind: str, tracking_no: str):
        if kind not in CASE_KINDS:
            abort(404)
        try:
            work.case_step(conn(), tracking_no, request.form.get("to", ""), request.form.get("text", ""), clock())
            flash(f"{tracking_no}：{work.CASE_WORDS.get(request.form.get('to', ''), '')}")
        except work.MoveError as exc:
            flash(f"{tracking_no}：{exc}", "error")
        return redirect(url_for("ops.cases_page", kind=kind))

    return bp
