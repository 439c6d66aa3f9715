"""电子证照 used in place of paper (用证): the data of a citizen's e-licences for an application, with
the citizen's consent, and a record of every use (用证留痕).

A Flask blueprint (registered by platform_server/app.py in one line).

  POST /api/v1/licences/fetch  {"holder", "types": ["id_card", "hukou", …], "consent": true,
                                "purpose": {"matters": ["HZ-WJ-001", …], "theme": "newborn"?}}
    -> 200 {"licences": [{"id", "type", "title", "issuer", "valid_to", "data": {key: value}}],
            "missing": [types the holder has no e-licence of]}
    422 consent_required (consent is not true), invalid_holder, invalid_types, invalid_purpose

Unlike /licences/list (一码亮证: numbers masked, for showing), `data` is what an application form
needs (unmasked), so the call is only answered with consent and for named matters, and each answer
is recorded: terminal, a SHA-256 of the holder's number, the types given, the matters, the time —
no personal data. The demo platform derives the data from the ID number (platform_server/documents.py
`licence_register`), the same every time.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from typing import Annotated, Literal

from flask import Blueprint, Response, g, jsonify
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from platform_server import db
from platform_server.documents import CST, LICENCES, HolderBody, licence_register, read_body
from platform_server.errors import BadInput

SCHEMA = """
CREATE TABLE IF NOT EXISTS licence_uses (
    at           TEXT NOT NULL,
    terminal_id  TEXT NOT NULL,
    holder_hash  TEXT NOT NULL,
    types        TEXT NOT NULL,
    matters      TEXT NOT NULL
)"""
MAX_MATTERS = 20


class Purpose(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    matters: Annotated[list[Annotated[StrictStr, Field(min_length=1, max_length=40)]],
                       Field(min_length=1, max_length=MAX_MATTERS)]
    theme: Annotated[StrictStr, Field(max_length=64)] = ""

    def recorded(self) -> list[str]:
        """What 用证留痕 keeps of the purpose: the matters, and the theme as "theme:<id>"."""
        return list(self.matters) + ([f"theme:{self.theme}"] if self.theme else [])


class FetchBody(HolderBody):
    types: Annotated[list[Literal[tuple(LICENCES)]], Field(min_length=1, max_length=20)]  # type: ignore[valid-type]
    consent: StrictBool
    purpose: Purpose


def make_licence_use_blueprint(db_path: str | Path) -> Blueprint:
    """The blueprint; `db_path` is the platform's database (one table of its own)."""
    bp = Blueprint("licence_use", __name__)
    db_path = str(db_path)
    db.run_script(db_path, SCHEMA)

    @bp.post("/api/v1/licences/fetch")
    def fetch() -> Response:
        body = read_body(FetchBody, codes=(("consent", "consent_required"), ("types", "invalid_types"),
                                           ("purpose", "invalid_purpose")))
        if not body.consent:
            raise BadInput(422, "consent_required", fields=["consent"])
        holder, types, matters = body.holder.as_dict(), body.types, body.purpose.recorded()
        held = {item["type"]: item for item in licence_register(holder)}
        found = [held[t] for t in dict.fromkeys(types) if t in held]
        conn = db.connect(db_path)
        try:
            with db.write(conn):
                conn.execute("INSERT INTO licence_uses VALUES (?,?,?,?,?)",
                             (datetime.now(CST).isoformat(timespec="seconds"), g.terminal_id,
                              hashlib.sha256(holder["id_number"].encode()).hexdigest(),
                              json.dumps([item["type"] for item in found]), json.dumps(matters, ensure_ascii=False)))
        finally:
            conn.close()
        return jsonify({"licences": [{k: item[k] for k in ("id", "type", "title", "issuer", "valid_to", "data")}
                                     for item in found],
                        "missing": [t for t in dict.fromkeys(types) if t not in held]})

    return bp


__all__ = ["make_licence_use_blueprint"]
