"""How the sync worker reads every kind of answer, and its backoff arithmetic."""
from __future__ import annotations

import json
import random
from email.utils import formatdate

import pytest
import requests

from offline_cache.sync import DEAD, OK, REUPLOAD, RETRY, STOP, backoff_delay, classify, parse_retry_after


def answer(status: int, error_code: str | None = None, retry_after: str | None = None, **extra) -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    body = {"error": {"code": error_code, "message": "…", **extra}} if error_code else {}
    resp._content = json.dumps(body).encode()
    if retry_after is not None:
        resp.headers["Retry-After"] = retry_after
    return resp


@pytest.mark.parametrize("status,code,action", [
    (201, None, OK), (200, None, OK),
    (408, None, RETRY), (429, None, RETRY), (500, None, RETRY), (502, None, RETRY), (503, "busy", RETRY),
    (409, "idempotency_in_flight", RETRY), (409, "attachment_missing", REUPLOAD),
    (400, "invalid_json", DEAD), (422, "invalid_submission", DEAD), (422, "idempotency_mismatch", DEAD),
    (403, None, DEAD), (404, None, DEAD), (413, "too_large", DEAD),
    (401, "unauthorized", STOP),
])
def test_every_status_has_one_meaning(status, code, action):
    assert classify(answer(status, code)).action == action


def test_transport_failures_are_retried_platform_wide():
    for exc in (requests.ConnectionError("reset"), requests.ConnectTimeout(), requests.ReadTimeout()):
        outcome = classify(exc=exc)
        assert outcome.action == RETRY and outcome.global_failure


def test_outcome_codes_name_status_and_error_but_no_message():
    outcome = classify(answer(422, "invalid_submission", fields=["payload"]))
    assert outcome.code == "http_422:invalid_submission"
    missing = classify(answer(409, "attachment_missing", missing=["ab" * 32]))
    assert missing.missing == ["ab" * 32]


def test_retry_after_seconds_and_http_date():
    assert classify(answer(503, "busy", retry_after="7")).retry_after == 7.0
    assert classify(answer(429, None, retry_after="120")).retry_after == 120.0
    later = formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(later, now=1_000_000) == pytest.approx(30, abs=1)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_full_jitter_stays_under_a_doubling_ceiling_capped_at_the_maximum():
    rng = random.Random(7)
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (8, 600), (50, 600)]:
        samples = [backoff_delay(attempt, 5, 600, rng) for _ in range(500)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling * 0.9  # really spread over the whole range (full jitter)
    first = [backoff_delay(1, 5, 600, rng) for _ in range(2000)]
    assert 4 < sum(first) / len(first) < 6  # "first retry about 5 s"
