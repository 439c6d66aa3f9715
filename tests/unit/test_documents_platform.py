"""The reference platform's 证明打印 and 一码亮证 endpoints: PDFs with a number and a verification code on
every page, the same number for a retried request, verification without personal data."""
import uuid

import pypdfium2 as pdfium
import pytest

from platform_server.app import create_app

# the platform keeps SQLite as its embedded default and runs on PostgreSQL for a city: both are tested
pytestmark = pytest.mark.parametrize("platform_database", ["sqlite", "postgres"], indirect=True)
HOLDER = {"id_number": "371702199001011234", "name": "张三"}


@pytest.fixture
def client(tmp_path, platform_database):
    app = create_app(platform_database or tmp_path / "platform.db", {"t": "HZ-T1"})   # the token of terminal HZ-T1
    c = app.test_client()
    c.environ_base.update(HTTP_AUTHORIZATION="Bearer t", HTTP_X_TERMINAL_ID="HZ-T1")
    return c


def _issue(client, body, key=None):
    return client.post("/api/v1/documents/issue", json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def test_the_four_certificates_are_offered(client):
    docs = client.post("/api/v1/documents/available", json={"holder": HOLDER}).json["documents"]
    assert [d["title"] for d in docs] == ["社保参保证明", "公积金缴存证明", "不动产登记信息查询结果", "婚姻登记记录证明"]


@pytest.mark.parametrize("kind, pages", [("social_insurance", 2), ("housing_fund", 1), ("real_estate", 1),
                                         ("marriage", 1)])
def test_every_page_carries_the_number_and_the_code(client, kind, pages):
    r = _issue(client, {"type": kind, "holder": HOLDER})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    number, code = r.headers["X-Document-No"], r.headers["X-Verification-Code"]
    pdf = pdfium.PdfDocument(r.data)
    assert len(pdf) == pages == int(r.headers["X-Page-Count"])
    for page in pdf:
        text = page.get_textpage().get_text_range()
        assert number in text and code in text and f"共 {pages} 页" in text
    verified = client.get(f"/api/v1/documents/verify/{number}?code={code}").json
    assert verified["valid"] and HOLDER["id_number"] not in str(verified) and HOLDER["name"] not in str(verified)
    assert client.get(f"/api/v1/documents/verify/{number}?code=WRONG").json == {"valid": False}


def test_a_retry_gets_the_same_number_and_a_changed_body_is_refused(client):
    key = str(uuid.uuid4())
    first = _issue(client, {"type": "marriage", "holder": HOLDER}, key)
    again = _issue(client, {"type": "marriage", "holder": HOLDER}, key)
    assert first.headers["X-Document-No"] == again.headers["X-Document-No"]
    assert _issue(client, {"type": "housing_fund", "holder": HOLDER}, key).status_code == 422
    assert client.post("/api/v1/documents/issue", json={"type": "marriage", "holder": HOLDER}).status_code == 400


def test_licences_and_a_copy_marked_for_government_use_only(client):
    licences = client.post("/api/v1/licences/list", json={"holder": HOLDER}).json["licences"]
    assert licences[0]["title"] == "居民身份证电子证照"
    assert HOLDER["id_number"] not in str(licences)          # numbers are masked
    r = client.post("/api/v1/licences/copy", json={"holder": HOLDER, "licence_id": licences[0]["id"]},
                    headers={"Idempotency-Key": str(uuid.uuid4())})
    text = pdfium.PdfDocument(r.data)[0].get_textpage().get_text_range()
    assert "仅限政务服务使用" in text and r.headers["X-Document-No"] in text


def test_bad_requests(client):
    assert client.post("/api/v1/documents/available", json={"holder": {"id_number": "1"}}).status_code == 422
    assert _issue(client, {"type": "nope", "holder": HOLDER}).status_code == 404
    unauth = client.post("/api/v1/documents/available", json={"holder": HOLDER}, headers={"Authorization": "x"})
    assert unauth.status_code == 401


def test_document_keys_are_per_terminal_and_bad_json_is_a_400(tmp_path, platform_database):
    app = create_app(platform_database or tmp_path / "platform.db", {"ta": "HZ-A", "tb": "HZ-B"})
    a, b = app.test_client(), app.test_client()
    a.environ_base.update(HTTP_AUTHORIZATION="Bearer ta", HTTP_X_TERMINAL_ID="HZ-A")
    b.environ_base.update(HTTP_AUTHORIZATION="Bearer tb", HTTP_X_TERMINAL_ID="HZ-B")
    key = str(uuid.uuid4())
    first = _issue(b, {"type": "housing_fund", "holder": HOLDER}, key)
    other = _issue(a, {"type": "marriage", "holder": HOLDER}, key)     # same key, another terminal
    assert first.status_code == other.status_code == 200
    assert first.headers["X-Document-No"] != other.headers["X-Document-No"]
    again = _issue(b, {"type": "housing_fund", "holder": HOLDER}, key)
    assert again.headers["X-Document-No"] == first.headers["X-Document-No"]
    assert _issue(b, {"type": "marriage", "holder": HOLDER}, key).status_code == 422
    bad = b.post("/api/v1/documents/available", data=b'{"holder": {"id_number": "\\ud800"}}',
                 content_type="application/json")
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_json"
