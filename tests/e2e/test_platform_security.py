"""Issue 16, the platform half: the exact requests of the report, sent to a real server process.

Two terminals, each with its own token: a token is good for its own terminal only, idempotency keys
are per terminal, a 办件编号 from another terminal needs the receipt's 查询码, bad input is a 400 with
one log line, an oversized chunked upload is a 413, and every field of a submission is validated.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import time
import uuid
from urllib.parse import urlparse

import pytest
import requests

from platform_server.process import PlatformProcess
from tests.e2e.conftest import BOTH_DATABASES

pytestmark = [pytest.mark.e2e, BOTH_DATABASES]
A, B = "HZ-TEST-000A", "HZ-TEST-000B"
TOKENS = {"token-of-a": A, "token-of-b": B}


@pytest.fixture
def two_terminals(tmp_path, platform_database):
    with PlatformProcess(tmp_path / "platform" / "platform.db", tokens=TOKENS, database=platform_database) as server:
        yield server


def as_(terminal: str, as_terminal: str | None = None, **extra) -> dict[str, str]:
    """Headers with `terminal`'s token, claiming to be `as_terminal` (default: itself)."""
    token = next(t for t, tid in TOKENS.items() if tid == terminal)
    return {"Authorization": f"Bearer {token}", "X-Terminal-Id": as_terminal or terminal, **extra}


def submission(local_id="HZ000B-20261127-0001", **changes):
    body = {"kind": "complaint", "local_id": local_id, "created_at": "2026-11-27T10:00:00+08:00",
            "payload": {"note": "路灯不亮"}, "attachments": []}
    body.update(changes)
    return body


def submit(server, terminal, body, key=None):
    return requests.post(server.url + "/api/v1/submissions", json=body, timeout=10,
                         headers=as_(terminal, **{"Idempotency-Key": key or str(uuid.uuid4())}))


def raw(server, method, path, body: bytes, headers: dict[str, str | bytes]):
    """A request with exactly these bytes (requests would re-encode the body or the headers)."""
    url = urlparse(server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
    try:
        conn.putrequest(method, path)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def stored_submissions(server) -> int:
    return server.sql("SELECT count(*) FROM submissions")[0][0]


# -- a token is tied to its terminal ------------------------------------------------------------------

def test_a_token_works_only_for_its_own_terminal(two_terminals):
    url = two_terminals.url
    beat = {"at": "2026-11-27T10:00:00+08:00", "version": "0.1.0", "devices": [],
            "outbox": {"pending": 0, "dead": 0, "oldest_pending_age_s": 0}}
    assert requests.post(url + f"/api/v1/terminals/{B}/heartbeat", json=beat, headers=as_(B),
                         timeout=5).status_code == 204
    mine = submit(two_terminals, B, submission())
    assert mine.status_code == 201
    number = mine.json()["tracking_no"]
    # A's token presented as B: every route refuses
    for method, path, body in [("GET", f"/api/v1/terminals/{B}", None),
                               ("POST", f"/api/v1/terminals/{B}/heartbeat", beat),
                               ("GET", f"/api/v1/tracking/{number}", None),
                               ("POST", "/api/v1/submissions", submission("HZ000B-20261127-0002")),
                               ("GET", "/api/v1/catalogue", None)]:
        r = requests.request(method, url + path, json=body, timeout=5,
                             headers=as_(A, B, **{"Idempotency-Key": str(uuid.uuid4())}))
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", (method, path)
    # A as itself still cannot read B's status
    r = requests.get(url + f"/api/v1/terminals/{B}", headers=as_(A), timeout=5)
    assert r.status_code == 403 and r.json()["error"]["code"] == "terminal_mismatch"
    assert requests.get(url + f"/api/v1/terminals/{A}", headers=as_(A), timeout=5).status_code == 404
    assert stored_submissions(two_terminals) == 1


def test_idempotency_keys_are_per_terminal(two_terminals):
    key = str(uuid.uuid4())
    b_first = submit(two_terminals, B, submission(), key=key)
    assert b_first.status_code == 201
    a_same_key = submit(two_terminals, A, submission(), key=key)
    assert a_same_key.status_code == 201 and "Idempotent-Replayed" not in a_same_key.headers
    assert a_same_key.json()["tracking_no"] != b_first.json()["tracking_no"]
    b_again = submit(two_terminals, B, submission(), key=key)
    assert b_again.headers.get("Idempotent-Replayed") == "true" and b_again.json() == b_first.json()
    assert stored_submissions(two_terminals) == 2


# -- tracking numbers from another terminal need the receipt's 查询码 -----------------------------------

def test_tracking_from_another_terminal_needs_the_check_code(two_terminals):
    url = two_terminals.url
    accepted = submit(two_terminals, B, submission()).json()
    number, check = accepted["tracking_no"], accepted["check_code"]
    assert len(check) == 4 and check.isdigit()
    assert requests.get(url + f"/api/v1/tracking/{number}", headers=as_(B), timeout=5).status_code == 200
    unknown = requests.get(url + "/api/v1/tracking/371700-20000101-999999", headers=as_(A), timeout=5)
    without = requests.get(url + f"/api/v1/tracking/{number}", headers=as_(A), timeout=5)
    wrong = requests.get(url + f"/api/v1/tracking/{number}",
                         params={"check": "0000" if check != "0000" else "1111"}, headers=as_(A), timeout=5)
    # no oracle: an existing number without its code answers exactly like an unknown one
    assert unknown.status_code == without.status_code == wrong.status_code == 404
    assert without.json() == wrong.json() == unknown.json()
    right = requests.get(url + f"/api/v1/tracking/{number}", params={"check": check}, headers=as_(A), timeout=5)
    assert right.status_code == 200 and right.json()["tracking_no"] == number
    # the retried submission replays the same code
    assert "check_code" in accepted and accepted["status"] == "received"


# -- bad input: 400, plain words, one log line, no traceback --------------------------------------------

def test_bad_input_is_a_400_with_one_log_line(two_terminals):
    server = two_terminals
    lines_before = len(server._stderr_tail)
    json_headers = {**as_(A), "Content-Type": "application/json"}
    cases = [
        ("POST", "/api/v1/submissions", b'{"kind": "complaint", "local_id": "\\ud800"}',
         {**json_headers, "Idempotency-Key": str(uuid.uuid4())}),
        ("POST", "/api/v1/codes/resolve", b'{"code": "\\ud800"}', {**json_headers, "Idempotency-Key": "k1"}),
        ("POST", f"/api/v1/terminals/{A}/heartbeat", b'{"at": "\\ud800"}', json_headers),
        ("POST", "/api/v1/submissions", b"[" * 100_000 + b"]" * 100_000,
         {**json_headers, "Idempotency-Key": str(uuid.uuid4())}),
        ("POST", f"/api/v1/terminals/{A}/heartbeat", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, json_headers),
        ("GET", "/api/v1/tracking/371700-20261120-000001", b"",
         {"Authorization": "Bearer 令牌".encode("utf-8"), "X-Terminal-Id": A}),
        ("GET", "/api/v1/tracking/371700-20261120-000001", b"",
         {"Authorization": "Bearer token-of-a", "X-Terminal-Id": "终端".encode("utf-8")}),
    ]
    for method, path, body, headers in cases:
        status, answer = raw(server, method, path, body, headers)
        assert status == 400, (path, status, answer[:200])
        error = json.loads(answer)["error"]
        assert error["code"] and error["message"] and "Traceback" not in error["message"]
    time.sleep(0.5)   # let the stderr pump catch up
    new = server._stderr_tail[lines_before:]
    assert not any("Traceback" in line for line in new), "".join(new)
    assert len(new) <= len(cases), "".join(new)
    assert stored_submissions(server) == 0


# -- uploads: the limit is enforced on the bytes read ---------------------------------------------------

def test_a_chunked_upload_over_the_limit_is_413_and_not_stored(two_terminals):
    url = two_terminals.url
    chunk = b"x" * (1024 * 1024)
    big = hashlib.sha256(chunk * 50).hexdigest()
    r = requests.put(url + f"/api/v1/attachments/{big}", data=(chunk for _ in range(50)),
                     headers=as_(A, **{"Content-Type": "image/jpeg"}), timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert requests.head(url + f"/api/v1/attachments/{big}", headers=as_(A), timeout=5).status_code == 404
    # the cut-off version of the same upload (its first 10 MiB) was not stored either
    first_10 = hashlib.sha256(chunk * 10).hexdigest()
    assert requests.head(url + f"/api/v1/attachments/{first_10}", headers=as_(A), timeout=5).status_code == 404
    # exactly at the limit, chunked, is fine
    r = requests.put(url + f"/api/v1/attachments/{first_10}", data=(chunk for _ in range(10)),
                     headers=as_(A, **{"Content-Type": "image/jpeg"}), timeout=60)
    assert r.status_code == 201


# -- every field is validated ----------------------------------------------------------------------------

def evaluation(score):
    return submission(kind="evaluation", payload={"level": 5, "score": score, "indicators": {"overall": 5}})


@pytest.mark.parametrize("body, field", [
    (evaluation(1.5), "payload.score"),
    (evaluation(0), "payload.score"),
    (evaluation(True), "payload.score"),
    (submission(created_at="yesterday"), "created_at"),
    (submission(created_at="2026-11-27T10:00:00"), "created_at"),      # no offset
    (submission(attachments=[{"sha256": "a" * 64, "name": "户口簿首页.jpg", "content_type": "image/jpeg",
                              "size": -1}]), "attachments[0].size"),
    (submission(local_id=""), "local_id"),
    (submission(kind="lottery"), "kind"),
    (submission(extra_field=1), "extra_field"),
])
def test_invalid_fields_are_422_with_the_field_named(two_terminals, body, field):
    r = submit(two_terminals, A, body)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_submission"
    assert field in r.json()["error"]["fields"]
    assert stored_submissions(two_terminals) == 0


@pytest.mark.parametrize("text", [b'1e400', b'NaN', b'Infinity', b'-Infinity'])
def test_numbers_json_cannot_carry_are_refused(two_terminals, text):
    body = (b'{"kind": "evaluation", "local_id": "HZ000A-20261127-0001", "created_at": "2026-11-27T10:00:00+08:00", '
            b'"payload": {"level": 5, "score": ' + text + b'}, "attachments": []}')
    status, answer = raw(two_terminals, "POST", "/api/v1/submissions", body,
                         {**as_(A), "Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    assert status == 400 and json.loads(answer)["error"]["code"] == "invalid_json"
    assert stored_submissions(two_terminals) == 0


def test_a_valid_evaluation_is_still_accepted(two_terminals):
    assert submit(two_terminals, A, evaluation(5)).status_code == 201


def test_heartbeat_fields_are_validated(two_terminals):
    bad = {"at": "yesterday", "version": "0.1.0", "devices": [],
           "outbox": {"pending": -3, "dead": 0, "oldest_pending_age_s": 0}}
    r = requests.post(two_terminals.url + f"/api/v1/terminals/{A}/heartbeat", json=bad, headers=as_(A), timeout=5)
    assert r.status_code == 422 and {"at", "outbox.pending"} <= set(r.json()["error"]["fields"])


def test_guessing_check_codes_is_paused_after_ten_wrong_ones(two_terminals):
    url = two_terminals.url
    accepted = submit(two_terminals, B, submission()).json()
    number, check = accepted["tracking_no"], accepted["check_code"]
    wrong = [f"{n:04d}" for n in range(20) if f"{n:04d}" != check][:10]
    for code in wrong:
        r = requests.get(url + f"/api/v1/tracking/{number}", params={"check": code}, headers=as_(A), timeout=5)
        assert r.status_code == 404
    r = requests.get(url + f"/api/v1/tracking/{number}", params={"check": check}, headers=as_(A), timeout=5)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    # the terminal that submitted it is not affected, nor is another terminal
    assert requests.get(url + f"/api/v1/tracking/{number}", headers=as_(B), timeout=5).status_code == 200
