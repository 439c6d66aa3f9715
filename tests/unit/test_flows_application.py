from kiosk.flows.application import (BRING, E_CERT, OPTIONAL, application_payload, delivery_options,
                                     needs_visit, prereview, receipt_note)
from kiosk.flows.common import mask_phone, valid_mobile
from kiosk.guides.model import Material, Matter, TimeLimit


def _matter(**kw):
    base = dict(code="T-1", name="测试事项", department="d", summary="s", levels=["city"],
                submit_at_terminal=True, time_limit=TimeLimit(20, 5), delivery=["post", "window"],
                materials=[Material("id_card", "居民身份证", e_certificate=True, licence="id_card"),
                           Material("hukou", "户口簿", form="original_and_copy"),
                           Material("photo", "照片", required=False)])
    base.update(kw)
    return Matter(**base)


FETCHED = {"id_card": {"id": "id_card-1", "type": "id_card", "title": "居民身份证电子证照", "fields": {}}}


def test_prereview_uses_only_the_e_licences_fetched_with_consent():
    checks = prereview(_matter(), FETCHED)
    assert [c.status for c in checks] == [E_CERT, BRING, OPTIONAL]
    assert checks[0].words.startswith("已用您的电子证照")
    assert "原件和复印件1份" in checks[1].words
    assert prereview(_matter())[0].status == BRING, "nothing fetched (no consent): the paper is asked for"
    assert "平台上没有" in prereview(_matter(), {}, ["id_card"])[0].words
    assert needs_visit(checks)
    only_ecert = _matter(materials=[Material("id_card", "居民身份证", e_certificate=True, licence="id_card")])
    assert not needs_visit(prereview(only_ecert, FETCHED))


def test_delivery_always_offers_the_window():
    assert delivery_options(_matter(delivery=["post"])) == [("post", "免费邮寄到家"), ("window", "到窗口领取")]
    assert delivery_options(_matter(delivery=[])) == [("window", "到窗口领取")]


def test_payload_and_note():
    m = _matter()
    checks = prereview(m, FETCHED)
    payload = application_payload(m, "13905301234", "post", checks, "HZ-1", "village", {"id_card": "id_card-1"})
    assert payload["matter_code"] == "T-1" and payload["delivery"] == "post" and payload["needs_visit"]
    assert payload["materials"][0] == {"id": "id_card", "status": E_CERT, "licence_id": "id_card-1"}
    note = receipt_note(m, mask_phone("13905301234"), checks)
    assert "5 个工作日内办好" in note and "139****1234" in note and "原件" in note


def test_mobile_numbers():
    assert valid_mobile("13905301234") and not valid_mobile("12905301234") and not valid_mobile("1390530123")
