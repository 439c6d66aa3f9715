"""一人一档 facts for 免申即享 on the reference platform: what the platform holds about a citizen.

A Flask blueprint (registered by platform_server/app.py in one line).

  POST /api/v1/citizen-facts   {"holder": {"id_number"}, "facts": ["disability_certificate", …]}
                               -> 200 {"facts": {"disability_certificate": false, …}}

The terminal names the facts its policies need and gets exactly those back, no more: a name the platform
does not hold is left out (the terminal then says it could not check it). The terminal matches the
policies itself; the platform never learns which benefits were shown. The holder is in the body, never
in a URL, so that no access log holds the number; nothing of the request is stored or logged.
The demo platform knows the made-up people of demo_data.DEMO_FACTS; anyone else holds none of the facts.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify

from platform_server.bodies import json_body
from platform_server.demo_data import DEMO_FACTS, KNOWN_FACTS


def _err(status: int, code: str, message: str) -> Response:
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    return resp


def make_citizen_facts_blueprint() -> Blueprint:
    bp = Blueprint("citizen_facts", __name__)

    @bp.post("/api/v1/citizen-facts")
    def citizen_facts():
        data = json_body()
        holder = data.get("holder") if isinstance(data, dict) else None
        number = holder.get("id_number") if isinstance(holder, dict) else None
        asked = data.get("facts") if isinstance(data, dict) else None
        if not isinstance(number, str) or len(number) != 18:
            return _err(422, "invalid_holder", "缺少证件号码")
        if not isinstance(asked, list) or not all(isinstance(a, str) for a in asked) or len(asked) > 64:
            return _err(422, "invalid_facts", "facts 应为事实名称的列表")
        known = DEMO_FACTS.get(number.upper(), {})
        facts = {name: known.get(name, KNOWN_FACTS[name]) for name in asked if name in KNOWN_FACTS}
        return jsonify({"facts": facts})

    return bp
