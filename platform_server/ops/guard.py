"""Sessions and CSRF for the console: a signed session cookie (HttpOnly, SameSite=Strict, Secure behind HTTPS),
one CSRF token per session checked on every POST, and a login for every page but the login page."""
from __future__ import annotations

import hmac
import logging
import os
import secrets
from datetime import timedelta

from flask import Flask, abort, redirect, request, session, url_for

log = logging.getLogger("platform_server.ops")
ENV_SECRET = "HEZE_OPS_SECRET"
SESSION_HOURS = 8


def configure_sessions(app: Flask, secret: str | None, secure_cookies: bool) -> None:
    """Session secret from the argument or HEZE_OPS_SECRET; without one a random secret per process
    (every staff member logs in again after a restart)."""
    secret = secret or os.environ.get(ENV_SECRET)
    if not secret:
        log.warning("no %s set: ops sessions end when the platform restarts", ENV_SECRET)
        secret = secrets.token_hex(32)
    app.config.update(SECRET_KEY=secret, SESSION_COOKIE_NAME="heze_ops", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_SECURE=bool(secure_cookies),
                      SESSION_COOKIE_PATH="/ops", PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS))


def csrf_token() -> str:
    """The session's CSRF token (made on first use); every POST form carries it as `csrf`."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_request() -> object | None:
    """before_request of the blueprint: CSRF on POST, then login for everything but the login page."""
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        want = session.get("csrf", "")
        if not want or not hmac.compare_digest(sent.encode(), want.encode()):
            abort(400, "CSRF token missing or wrong")
    if request.endpoint in ("ops.login", "ops.static") or session.get("staff"):
        return None
    return redirect(url_for("ops.login", next=request.path if request.path.startswith("/ops/") else None))


def log_in(username: str) -> None:
    session.clear()   # a new session id and CSRF token after login (no fixation)
    session.permanent = True
    session["staff"] = username
    csrf_token()


def log_out() -> None:
    session.clear()
