"""The reference platform, started as a separate process, against shared/specs/platform-api.md."""
from __future__ import annotations

import hashlib
import re
import threading
import uuid

import pytest
import requests

from platform_server.demo_data import (DEMO_ENTERPRISE_CODE, DEMO_EXPIRED_CODE, DEMO_RESIDENT_CODE,
                                       DEMO_TRACKING_CHECK, DEMO_TRACKING_NO)
from platform_server.process import PlatformProcess
from tests.e2e.conftest import BOTH_DATABASES

pytestmark = [pytest.mark.e2e, BOTH_DATABASES]
TID = "HZ-TEST-0001"
TRACKING_NO = re.compile(r"^371700-\d{8}-\d{6}$")


def submission(local_id="HZ0001-20261127-0001", attachments=()):
    return {"kind": "complaint", "local_id": local_id, "created_at": "2026-11-27T10:00:00+08:00",
            "payload": {"note": "路灯不亮"}, "attachments": list(attachments)}


def post(server, body, key=None, **headers):
    hdrs = server.headers(TID, **headers)
    if key is not None:
        hdrs["Idempotency-Key"] = key
    return requests.post(server.url + "/api/v1/submissions", json=body, headers=hdrs, timeout=10)


def test_every_route_needs_the_bearer_token(platform_server):
    url = platform_server.url
    assert requests.get(url + f"/api/v1/tracking/{DEMO_TRACKING_NO}", timeout=5).status_code == 401
    wrong = {"Authorization": "Bearer nope", "X-Terminal-Id": TID}
    r = requests.post(url + "/api/v1/submissions", json=submission(), headers=wrong, timeout=5)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    no_terminal = {"Authorization": f"Bearer {platform_server.token}"}
    assert requests.get(url + f"/api/v1/tracking/{DEMO_TRACKING_NO}", headers=no_terminal,
                        timeout=5).status_code == 401
    assert requests.get(url + f"/api/v1/tracking/{DEMO_TRACKING_NO}?check={DEMO_TRACKING_CHECK}",
                        headers=platform_server.headers(TID), timeout=5).status_code == 200


def test_submission_gets_a_tracking_number_and_a_received_event(platform_server):
    r = post(platform_server, submission(), key=str(uuid.uuid4()))
    assert r.status_code == 201
    body = r.json()
    assert TRACKING_NO.match(body["tracking_no"]) and body["status"] == "received"
    t = requests.get(platform_server.url + f"/api/v1/tracking/{body['tracking_no']}",
                     headers=platform_server.headers(TID), timeout=5).json()
    assert t["kind"] == "complaint" and [e["status"] for e in t["events"]] == ["received"]
    assert requests.get(platform_server.url + "/api/v1/tracking/371700-20000101-999999",
                        headers=platform_server.headers(TID), timeout=5).status_code == 404


def test_same_key_replays_the_first_response_and_stores_once(platform_server):
    key = str(uuid.uuid4())
    first = post(platform_server, submission(), key=key)
    again = post(platform_server, submission(), key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    other = post(platform_server, submission(), key=str(uuid.uuid4()))
    assert other.json()["tracking_no"] != first.json()["tracking_no"]
    assert platform_server.sql("SELECT count(*) FROM submissions")[0][0] == 2


def test_same_key_different_body_is_422_and_missing_key_is_400(platform_server):
    key = str(uuid.uuid4())
    assert post(platform_server, submission(), key=key).status_code == 201
    r = post(platform_server, submission(local_id="HZ0001-20261127-0002"), key=key)
    assert r.status_code == 422 and r.json()["error"]["code"] == "idempotency_mismatch"
    r = post(platform_server, submission())
    assert r.status_code == 400 and r.json()["error"]["code"] == "idempotency_key_missing"


def test_invalid_submission_is_422_with_the_fields(platform_server):
    body = submission()
    body["kind"] = "lottery"
    del body["payload"]
    r = post(platform_server, body, key=str(uuid.uuid4()))
    assert r.status_code == 422
    assert set(r.json()["error"]["fields"]) == {"kind", "payload"}


def test_in_flight_key_answers_409(tmp_path, platform_database):
    with PlatformProcess(tmp_path / "slow.db", extra_args=["--processing-delay", "1.5"],
                         database=platform_database) as server:
        key = str(uuid.uuid4())
        results = []
        worker = threading.Thread(target=lambda: results.append(post(server, submission(), key=key)))
        worker.start()
        # the second request is only sent once the first has claimed the key
        for _ in range(200):
            if server.sql("SELECT count(*) FROM idempotency")[0][0]:
                break
            threading.Event().wait(0.01)
        second = post(server, submission(), key=key)
        worker.join()
        assert second.status_code == 409 and second.json()["error"]["code"] == "idempotency_in_flight"
        assert results[0].status_code == 201
        assert post(server, submission(), key=key).json() == results[0].json()


def test_attachments_by_hash(platform_server):
    data = b"\xff\xd8 scanned page"
    sha = hashlib.sha256(data).hexdigest()
    url = platform_server.url + f"/api/v1/attachments/{sha}"
    h = platform_server.headers(TID)
    assert requests.head(url, headers=h, timeout=5).status_code == 404
    assert requests.put(url, data=data, headers={**h, "Content-Type": "image/jpeg"}, timeout=5).status_code == 201
    assert requests.put(url, data=data, headers=h, timeout=5).status_code == 200
    assert requests.head(url, headers=h, timeout=5).status_code == 200
    bad = requests.put(platform_server.url + "/api/v1/attachments/" + "0" * 64, data=data, headers=h, timeout=5)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "hash_mismatch"
    big = b"x" * (10 * 1024 * 1024 + 1)
    r = requests.put(platform_server.url + "/api/v1/attachments/" + hashlib.sha256(big).hexdigest(), data=big,
                     headers=h, timeout=20)
    assert r.status_code == 413


def test_missing_attachment_is_409_and_not_remembered_for_the_key(platform_server):
    data = b"household register page"
    sha = hashlib.sha256(data).hexdigest()
    body = submission(attachments=[{"sha256": sha, "name": "户口簿首页.jpg", "content_type": "image/jpeg",
                                    "size": len(data)}])
    key = str(uuid.uuid4())
    r = post(platform_server, body, key=key)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "attachment_missing" and r.json()["error"]["missing"] == [sha]
    requests.put(platform_server.url + f"/api/v1/attachments/{sha}", data=data,
                 headers=platform_server.headers(TID), timeout=5)
    assert post(platform_server, body, key=key).status_code == 201


def test_codes_resolve(platform_server):
    def resolve(code):
        return requests.post(platform_server.url + "/api/v1/codes/resolve", json={"code": code},
                             headers=platform_server.headers(TID, **{"Idempotency-Key": str(uuid.uuid4())}),
                             timeout=5)
    r = resolve(DEMO_RESIDENT_CODE)
    assert r.status_code == 200 and r.json()["kind"] == "resident" and len(r.json()["id_number"]) == 18
    r = resolve(DEMO_ENTERPRISE_CODE)
    assert r.status_code == 200 and r.json()["kind"] == "enterprise" and len(r.json()["uscc"]) == 18
    assert resolve("HZRC:NOBODY").status_code == 404
    assert resolve(DEMO_EXPIRED_CODE).status_code == 410


def test_heartbeats_are_stored_per_terminal(platform_server):
    url = platform_server.url
    beat = {"at": "2026-11-27T10:00:00+08:00", "version": "0.1.0",
            "devices": [{"name": "idcard", "state": "online", "detail": ""}],
            "outbox": {"pending": 3, "dead": 0, "oldest_pending_age_s": 12}}
    r = requests.post(url + f"/api/v1/terminals/{TID}/heartbeat", json=beat, headers=platform_server.headers(TID),
                      timeout=5)
    assert r.status_code == 204
    other = requests.post(url + "/api/v1/terminals/HZ-TEST-0002/heartbeat", json=beat,
                          headers=platform_server.headers(TID), timeout=5)
    assert other.status_code == 403  # a terminal reports only for itself
    seen = requests.get(url + f"/api/v1/terminals/{TID}", headers=platform_server.headers(TID), timeout=5).json()
    assert seen["last_heartbeat"]["outbox"]["pending"] == 3
    assert requests.get(url + "/api/v1/terminals/HZ-TEST-0002", headers=platform_server.headers(TID),
                        timeout=5).status_code == 403  # and reads only its own status
