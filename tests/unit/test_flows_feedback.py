"""好差评, 吐槽找茬 and 办件查询 rules without a display: payloads, phone rules, numbers, plain words."""
from __future__ import annotations

import socket

import pytest

from kiosk.flows import complaint, evaluation, tracking
from kiosk.flows.complaint import Complaint
from kiosk.flows.evaluation import Evaluation


# -- 好差评 ---------------------------------------------------------------------------------------------
def test_five_levels_and_which_are_bad():
    assert [w for _, w in evaluation.LEVELS] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert [lvl for lvl, _ in evaluation.LEVELS] == [5, 4, 3, 2, 1]
    assert [lvl for lvl in range(1, 6) if evaluation.is_bad(lvl)] == [1, 2]


def test_indicators_follow_the_overall_level_until_changed():
    ev = Evaluation()
    ev.choose_level(4)
    assert ev.indicators == {"overall": 4, "efficiency": 4, "quality": 4, "attitude": 4}
    ev.set_indicator("attitude", 2)
    ev.choose_level(3)
    assert ev.indicators == {"overall": 3, "efficiency": 4, "quality": 4, "attitude": 2}
    with pytest.raises(ValueError):
        ev.choose_level(6)
    with pytest.raises(ValueError):
        ev.set_indicator("speed", 3)


def test_reasons_are_dropped_when_the_level_becomes_good():
    ev = Evaluation()
    ev.choose_level(2)
    ev.toggle_reason("slow")
    ev.toggle_reason("machine")
    ev.toggle_reason("slow")
    assert ev.reasons == ["machine"]
    ev.choose_level(5)
    assert ev.reasons == []


def test_real_name_bad_evaluation_needs_a_valid_mobile():
    ev = Evaluation()
    ev.choose_level(1)
    with pytest.raises(ValueError, match="一定要给您回电话"):
        evaluation.build_payload(ev, real_name=True, rectify_days=5)
    ev.phone = "1390530"
    with pytest.raises(ValueError, match="11位"):
        evaluation.build_payload(ev, real_name=False, rectify_days=5)
    ev.phone = ""
    assert evaluation.build_payload(ev, real_name=False, rectify_days=5)["callback_phone"] is None
    ev.phone = "13905301234"
    payload = evaluation.build_payload(ev, real_name=True, rectify_days=7, terminal_id="HZ-T-1")
    assert payload["callback_required"] is True and payload["rectify_within_working_days"] == 7
    assert payload["bad"] is True and payload["level"] == 1 and payload["standard"] == "GB/T 39735-2020"


def test_good_evaluation_payload_has_no_rectification():
    ev = Evaluation(target=evaluation.MATTER, target_local_id="HZ0001-20261127-0001", target_kind="application")
    ev.choose_level(5)
    payload = evaluation.build_payload(ev, real_name=True, rectify_days=5)
    assert payload["rectify_within_working_days"] is None and payload["callback_required"] is False
    assert payload["target"] == {"type": "matter", "local_id": "HZ0001-20261127-0001", "kind": "application"}
    with pytest.raises(ValueError):
        evaluation.build_payload(Evaluation(), real_name=False, rectify_days=5)


def test_receipt_note_says_when_they_will_be_called_and_masks_the_phone():
    note = evaluation.receipt_note(2, real_name=True, phone="13905301234", rectify_days=5)
    assert "5个工作日内" in note and "139****1234" in note and "13905301234" not in note
    assert "不会给您回电话" in evaluation.receipt_note(1, real_name=False, phone="", rectify_days=5)
    assert "谢谢" in evaluation.receipt_note(4, real_name=True, phone="", rectify_days=5)


def test_rectify_days_is_a_documented_setting():
    from kiosk.settings import load_settings
    assert load_settings(env={}).getint("evaluation", "rectify_days") == 5
    assert load_settings(env={"KIOSK_EVALUATION_RECTIFY_DAYS": "3"}).getint("evaluation", "rectify_days") == 3


# -- 吐槽找茬 -------------------------------------------------------------------------------------------
def test_complaint_needs_problem_and_place():
    c = Complaint(problem="long_wait")
    with pytest.raises(ValueError):
        complaint.build_payload(c)
    c.place = complaint.THIS_HALL
    payload = complaint.build_payload(c, terminal_name="菏泽市政务服务中心")
    assert payload["problem_words"] == "等太久" and payload["hall"] == "菏泽市政务服务中心"
    assert "applicant" not in payload, "not anonymous: kiosk.submit adds the identified citizen"


def test_anonymous_complaint_blocks_the_applicant_and_checks_the_phone():
    c = Complaint(problem="cannot_do", place=complaint.ELSEWHERE, anonymous=True, phone="139")
    with pytest.raises(ValueError, match="11位"):
        complaint.build_payload(c)
    c.phone = "13905301234"
    payload = complaint.build_payload(c)
    assert payload["applicant"] is None and payload["category"] == "办不成事" and payload["hall"] == ""
    note = complaint.receipt_note(c, "0530-12345")
    assert "139****1234" in note and "办件查询" in note and "0530-12345" in note


# -- 办件查询 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("37170020261127000123", ("tracking", "371700-20261127-000123")),
    ("371700-20261127-000123", ("tracking", "371700-20261127-000123")),
    ("0001202611270007", ("local", "HZ0001-20261127-0007")),
    ("hz0001-20261127-0007", ("local", "HZ0001-20261127-0007")),
    ("3717002026", ("incomplete", "")),
    ("", ("incomplete", "")),
])
def test_numbers_from_the_keypad(typed, expected):
    assert tracking.parse_number(typed, "HZ") == expected


def test_typed_digits_get_dashes_like_the_receipt():
    assert tracking.format_typed("37170020") == "371700-20"
    assert tracking.format_typed("37170020261127000123") == "371700-20261127-000123"
    assert tracking.format_typed("") == ""


def test_platform_answer_in_plain_words():
    result = tracking.from_platform({"tracking_no": "371700-20261120-000001", "kind": "complaint",
                                     "status": "processing", "events": [
                                         {"at": "2026-11-25T08:55:00+08:00", "status": "received", "note": "a"},
                                         {"at": "2026-11-25T11:20:00+08:00", "status": "processing", "note": "b"}]})
    assert result.found and result.status_words == "正在办理"
    assert [(s.when, s.words) for s in result.steps] == [("11月25日 08:55", "已收到申请"), ("11月25日 11:20", "正在办理")]


def test_local_lookup_in_a_real_outbox(tmp_path):
    from offline_cache.outbox import Outbox
    outbox = Outbox(tmp_path, "HZ-TEST-0001")
    try:
        local_id = outbox.enqueue("complaint", {"problem": "other"})
        result, to_fetch = tracking.lookup_local(outbox, local_id)
        assert result.outcome == tracking.LOCAL_PENDING and to_fetch == ""
        outbox.mark_delivered(local_id, "371700-20261127-000009")
        assert tracking.lookup_local(outbox, local_id) == (None, "371700-20261127-000009")
        result, _ = tracking.lookup_local(outbox, "HZ0001-20000101-9999")
        assert result.outcome == tracking.NOT_FOUND
    finally:
        outbox.close()


def test_fetch_from_a_closed_port_is_offline():
    from offline_cache.platform_client import PlatformClient
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = PlatformClient(f"http://127.0.0.1:{port}", "t", "HZ-TEST-0001", connect_timeout=2, read_timeout=2)
    assert tracking.fetch(client, "371700-20261127-000123").outcome == tracking.OFFLINE


def test_every_outcome_has_its_own_words():
    words = tracking.messages("12345")
    outcomes = [tracking.OFFLINE, tracking.TIMEOUT, tracking.NOT_FOUND, tracking.ERROR, tracking.LOCAL_PENDING,
                tracking.LOCAL_DEAD, tracking.INCOMPLETE]
    assert len({words[o] for o in outcomes}) == len(outcomes)
    assert "12345" in words[tracking.OFFLINE] and "还在本机等待发送" in words[tracking.LOCAL_PENDING]


def test_scanned_receipt_qr():
    assert tracking.number_from_scan("菏心意回执 HZ0001-20261127-0007", "HZ") == ("local", "HZ0001-20261127-0007")
    assert tracking.number_from_scan("菏心意回执 371700-20261127-000123", "HZ") == \
        ("tracking", "371700-20261127-000123")
    assert tracking.number_from_scan("HZRC:DEMO-RESIDENT-0001", "HZ")[0] == "incomplete"
    assert tracking.number_from_scan("https://example.org/x", "HZ")[0] == "incomplete"
