"""Every request body the platform takes is checked by a pydantic model, sent to a real server process on
SQLite and PostgreSQL: each kind's submission payload (platform_server/payloads.py) and the documents, licence
and facts bodies. Wrong types and ranges are a 422 naming the field, with plain words and one log line; never
a 500, never stored, never a case. (What the real terminal sends: tests/unit/test_terminal_flows.py.)
"""
from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from platform_server.process import PlatformProcess
from tests.e2e.conftest import BOTH_DATABASES

pytestmark = [pytest.mark.e2e, BOTH_DATABASES]
T = "HZ-TEST-000V"
HOLDER = {"id_number": "37172919900101001X", "name": "测试"}


@pytest.fixture
def server(tmp_path, platform_database):
    with PlatformProcess(tmp_path / "platform" / "platform.db", tokens={"token-v": T},
                         database=platform_database) as s:
        yield s


def post(server, path, body):
    return requests.post(server.url + path, json=body, timeout=30, headers={
        "Authorization": "Bearer token-v", "X-Terminal-Id": T, "Idempotency-Key": str(uuid.uuid4())})


def refused_once(server, answers, before: int) -> None:
    """Each answer a plain 422, and the server wrote one line for each, no traceback."""
    for r in answers:
        assert r.status_code == 422, r.text[:300]
        error = r.json()["error"]
        assert error["message"] and error["fields"] and "Traceback" not in r.text
    time.sleep(0.5)   # let the stderr pump catch up
    new = server._stderr_tail[before:]
    assert not any("Traceback" in line or "internal_error" in line for line in new), "".join(new)
    assert len(new) <= len(answers), "".join(new)


@pytest.mark.parametrize("path, body, code, field", [
    ("/api/v1/documents/issue", {"holder": HOLDER, "type": ["x"]}, "invalid_request", "type"),
    ("/api/v1/documents/issue", {"holder": HOLDER, "type": {"x": 1}}, "invalid_request", "type"),
    ("/api/v1/documents/issue", {"holder": {"id_number": 371729199001010010}, "type": "marriage"},
     "invalid_holder", "holder.id_number"),
    ("/api/v1/documents/issue", {"holder": ["x"], "type": "marriage"}, "invalid_holder", "holder"),
    ("/api/v1/documents/available", {"holder": {**HOLDER, "name": ["x"]}}, "invalid_holder", "holder.name"),
    ("/api/v1/licences/list", {"holder": HOLDER, "extra": 1}, "invalid_request", "extra"),
    ("/api/v1/licences/copy", {"holder": HOLDER, "licence_id": {"a": 1}}, "invalid_request", "licence_id"),
    ("/api/v1/licences/fetch", {"holder": HOLDER, "types": [["id_card"]], "consent": True,
                                "purpose": {"matters": ["HZ-1"]}}, "invalid_types", "types[0]"),
    ("/api/v1/licences/fetch", {"holder": HOLDER, "types": ["id_card"], "consent": "yes",
                                "purpose": {"matters": ["HZ-1"]}}, "consent_required", "consent"),
    ("/api/v1/licences/fetch", {"holder": HOLDER, "types": ["id_card"], "consent": True,
                                "purpose": {"matters": [{"a": 1}], "theme": 3}}, "invalid_purpose", "purpose.theme"),
    ("/api/v1/citizen-facts", {"holder": HOLDER, "facts": [1]}, "invalid_facts", "facts[0]"),
    ("/api/v1/citizen-facts", {"holder": HOLDER, "facts": {"x": 1}}, "invalid_facts", "facts"),
])
def test_a_wrong_body_is_a_422_naming_the_field_never_a_500(server, path, body, code, field):
    before = len(server._stderr_tail)
    r = post(server, path, body)
    refused_once(server, [r], before)
    assert r.json()["error"]["code"] == code and field in r.json()["error"]["fields"]


def submission(kind: str, payload: dict) -> dict:
    return {"kind": kind, "local_id": f"HZ000V-20261201-{uuid.uuid4().hex[:6]}",
            "created_at": "2026-12-01T10:00:00+08:00", "payload": payload, "attachments": []}


BAD_REVIEW = {"level": 1, "level_words": "非常不满意", "bad": True, "real_name": True, "reasons": ["slow"],
              "callback_phone": "13812345678", "rectify_within_working_days": 5}


@pytest.mark.parametrize("kind, payload, field", [
    # the review's requests: each was answered 201 and the case logic guessed around it
    ("evaluation", {**BAD_REVIEW, "rectify_within_working_days": 1e300}, "payload.rectify_within_working_days"),
    ("evaluation", {**BAD_REVIEW, "rectify_within_working_days": 61}, "payload.rectify_within_working_days"),
    ("evaluation", {**BAD_REVIEW, "reasons": [1, {"a": 1}]}, "payload.reasons[0]"),
    ("evaluation", {**BAD_REVIEW, "callback_phone": {"x": [1]}}, "payload.callback_phone"),
    ("evaluation", {**BAD_REVIEW, "bad": "yes"}, "payload.bad"),
    ("evaluation", {**BAD_REVIEW, "whatever": 1}, "payload.whatever"),
    ("complaint", {"category": ["x"]}, "payload.category"),
    ("complaint", {"note": "路灯不亮", "region_code": "菏泽"}, "payload.region_code"),
    ("application", {"matter_name": {"nested": True}}, "payload.matter_name"),
    ("application", {"matter_name": "居住证", "materials": [{"id": "m1", "status": "lost"}]},
     "payload.materials[0].status"),
    ("application", {"matter_name": "居住证", "applicant": {"name": "x", "number": 3}}, "payload.applicant.number"),
    ("postal_order", {"service": "deliver_result", "address": 5}, "payload.address"),
    ("appointment", {"date": "2026-02-30", "half_day": "am"}, "payload.date"),
    ("appointment", {"date": "2026-12-02", "half_day": "noon"}, "payload.half_day"),
    ("help_request", {"reason": "operate", "elderly_mode": "yes"}, "payload.elderly_mode"),
    ("help_request", {"marker": "r1-1"}, "payload.marker"),
])
def test_every_kinds_payload_is_checked(server, kind, payload, field):
    before = len(server._stderr_tail)
    r = post(server, "/api/v1/submissions", submission(kind, payload))
    refused_once(server, [r], before)
    assert r.json()["error"]["code"] == "invalid_submission" and field in r.json()["error"]["fields"]
    assert server.sql("SELECT count(*) FROM submissions")[0][0] == 0
    assert server.sql("SELECT count(*) FROM cases")[0][0] == 0


def test_a_right_real_name_bad_review_still_opens_its_case(server):
    r = post(server, "/api/v1/submissions", submission("evaluation", BAD_REVIEW))
    assert r.status_code == 201, r.text
    rows = server.sql("SELECT summary, phone_masked FROM cases")
    assert [tuple(row) for row in rows] == [("非常不满意、办事慢", "138****5678")]
    stored = json.loads(server.sql("SELECT body FROM submissions")[0][0])
    assert stored["payload"] == BAD_REVIEW
