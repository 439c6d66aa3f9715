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

from typing import Annotated

from flask import Blueprint, jsonify
from pydantic import Field, StrictStr

from platform_server.demo_data import DEMO_FACTS, KNOWN_FACTS
from platform_server.documents import HolderBody, read_body


class FactsBody(HolderBody):
    facts: Annotated[list[Annotated[StrictStr, Field(max_length=64)]], Field(max_length=64)]


def make_citizen_facts_blueprint() -> Blueprint:
    bp = Blueprint("citizen_facts", __name__)

    @bp.post("/api/v1/citizen-facts")
    def citizen_facts():
        body = read_body(FactsBody, codes=(("facts", "invalid_facts"),))
        known = DEMO_FACTS.get(body.holder.id_number.upper(), {})
        facts = {name: known.get(name, KNOWN_FACTS[name]) for name in body.facts if name in KNOWN_FACTS}
        return jsonify({"facts": facts})

    return bp
