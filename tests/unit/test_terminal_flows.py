"""Every citizen flow driven through the terminal core with no display, from identify to the receipt
delivered to the real reference platform process (a separate process with its own SQLite file)."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest

from devices.idcard.sam_simulator import demo_cards
from kiosk.demo import demo_identity
from kiosk.flows.base import FlowError
from kiosk.identity_sources import identity_from_card
from kiosk.terminal import Terminal
from kiosk.voice import Voice
from platform_server.demo_data import DEMO_RESIDENT_CODE


def delivered(terminal, local_id: str, timeout: float = 20.0) -> dict:
    """Wait until the sync worker delivered `local_id`; returns the receipt state."""
    deadline = time.monotonic() + timeout
    info = terminal.receipt_state(local_id)
    while info["state"] != "delivered" and time.monotonic() < deadline:
        time.sleep(0.05)
        info = terminal.receipt_state(local_id)
    assert info["state"] == "delivered", info
    assert info["tracking_no"]
    return info


def stored(platform, local_id: str) -> dict:
    """The submission as the platform process stored it."""
    with sqlite3.connect(f"file:{platform.db_path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT body FROM submissions WHERE local_id=?", (local_id,)).fetchone()
    assert row is not None, "the platform has no such submission"
    return json.loads(row[0])


def card_identity(card: str = "resident"):
    """What the ID card reader hands over for one of its simulator's cards."""
    return identity_from_card(demo_cards()[card])


def code_identity(terminal):
    """A 居民码 scanned and verified by the platform (its demo resident)."""
    result = terminal.check_code(DEMO_RESIDENT_CODE)
    assert result.ok, result.reason
    return result.identity()


def walk(flow, **taps) -> None:
    """Press 下一步 until the last step, failing if a step refuses."""
    while not flow.is_last:
        assert flow.next(), f"step {flow.step.key} refused: {flow.problem()}"


def test_apply_from_identify_to_the_delivered_receipt(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.open_flow("apply")
    assert flow.step.key == "choose" and not flow.can_next
    code = flow.submittable()[0].code
    flow.choose_matter(code)
    assert flow.step.key == "identity" and flow.next()
    flow.set_phone("1390530")
    assert flow.problem() == "手机号是11位，还差4位。" and not flow.next()
    flow.set_phone("13905301234")
    while flow.step.key != "sign":
        if flow.step.key == "materials":
            flow.use_licences(True)           # with consent: e-licences instead of paper
        if flow.step.key == "form":
            for label in flow.form().missing():   # what no card or licence knows, the citizen writes
                flow.change_field(label, "其他")
        assert flow.next(), f"step {flow.step.key} refused: {flow.problem()}"
    assert not flow.next(), "the application is signed on the touchscreen"
    flow.signature().add_stroke([(100, 150), (300, 80), (500, 200), (700, 100)])
    walk(flow)
    assert flow.step.key == "confirm"
    note = flow.receipt_note()
    local_id = flow.submit()
    assert ("submitted", {"local_id": local_id, "kind": "application", "note": note}) in terminal.seen
    assert flow.state.phone == "" and flow.index == 0, "what was sent is not kept on the terminal"
    delivered(terminal, local_id)
    body = stored(platform_server, local_id)
    assert body["payload"]["matter_code"] == code and body["payload"]["phone"] == "13905301234"
    assert body["payload"]["applicant"]["number"] == demo_identity().number


def test_apply_without_identity_stops_at_the_identity_step(terminal):
    flow = terminal.open_flow("apply", matter=terminal.open_flow("apply").submittable()[0].code)
    assert flow.step.key == "identity"
    assert not flow.next() and "身份证" in flow.problem()
    with pytest.raises(FlowError):
        flow.submit()


def test_postal_pickup_to_the_platform(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.open_flow("postal")
    flow.choose("what", "pickup_materials")
    assert [s.key for s in flow.steps()] == ["what", "where", "phone", "when", "confirm"]
    flow.next()
    flow.choose("address_choice", "card")
    flow.next()
    flow.set_phone("13905301234")
    flow.next()
    flow.choose("slot", flow.slots()[0][0])
    walk(flow)
    local_id = flow.submit()
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["address"] == demo_identity().details["address"] and payload["pickup_slot"]


def test_appointment_from_identify_to_the_platform(terminal, platform_server):  # noqa: F811
    person = code_identity(terminal)
    terminal.identify(person)
    flow = terminal.book()
    assert not flow.next() and flow.problem()
    flow.choose("department", flow.departments()[0][0])
    flow.next()
    flow.choose("day", flow.days()[0][0])
    flow.next()
    flow.choose("half", "pm")
    flow.next()
    flow.set_phone("13905301234")
    walk(flow)
    local_id = flow.submit()
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["half_day"] == "pm" and payload["applicant"]["number"] == person.number
    assert payload["applicant"]["source"] == "resident_code"


def test_help_request_in_one_tap(terminal, platform_server):  # noqa: F811
    person = card_identity("resident_elder")
    terminal.identify(person)
    local_id = terminal.call_for_help("mobility", came_from="apply")
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["reason"] == "mobility" and payload["screen"] == "apply"
    assert payload["applicant"]["number"] == person.number


def test_help_can_be_called_without_a_card(terminal, platform_server):  # noqa: F811
    local_id = terminal.call_for_help("operate")
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["reason"] == "operate" and "applicant" not in payload


def test_real_name_bad_evaluation_needs_the_call_back_phone(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.evaluate()
    flow.choose_level(1)
    assert [s.key for s in flow.steps()] == ["level", "indicators", "reasons", "phone"]
    flow.next()
    flow.state.toggle_reason("slow")
    flow.next()
    assert flow.step.key == "phone" and "手机号" in flow.problem()
    with pytest.raises(FlowError):
        flow.submit()
    flow.set_phone("13905301234")
    local_id = flow.submit()
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["bad"] and payload["callback_required"] and payload["reasons"] == ["slow"]


def test_named_complaint_from_identify_to_the_platform(terminal, platform_server):  # noqa: F811
    person = card_identity()
    terminal.identify(person)
    flow = terminal.complain()
    flow.choose_problem("attitude")
    flow.choose_place("this_hall")
    assert flow.step.key == "name", "an identified citizen chooses whether to give the name"
    flow.choose_name("named")
    flow.set_phone("13905301234")
    assert flow.next() and flow.step.key == "review"
    local_id = flow.submit()
    assert terminal.seen[-1][0] == "submitted" and terminal.seen[-1][1]["kind"] == "complaint"
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert not payload["anonymous"] and payload["problem"] == "attitude"
    assert payload["applicant"]["number"] == person.number and payload["contact_phone"] == "13905301234"


def test_anonymous_complaint_with_a_note(terminal, platform_server):  # noqa: F811
    flow = terminal.complain()
    flow.choose_problem("many_trips")
    flow.choose_place("this_hall")
    assert flow.step.key == "contact"
    flow.set_phone("139")
    assert flow.problem() == "手机号是11位，还差8位。"
    flow.set_phone("")
    flow.set_note("要了三次户口本")
    def sent():
        return {row["local_id"] for row in terminal.outbox.items(limit=100000)}
    before = sent()
    with pytest.raises(FlowError):
        flow.submit()                       # not before the citizen has seen the review
    assert flow.step.key == "review" and sent() == before, "nothing was sent"
    local_id = flow.submit()
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["anonymous"] and payload["applicant"] is None and payload["note"] == "要了三次户口本"


def test_tracking_a_delivered_receipt(terminal):
    terminal.identify(code_identity(terminal))
    local_id = terminal.call_for_help("operate")
    tracking_no = delivered(terminal, local_id)["tracking_no"]
    assert terminal.open_flow("tracking").step.key == "pick", "this visit's receipt is offered first"
    result = terminal.track(local_id)
    assert result.found and result.number == tracking_no and result.local_id == local_id
    assert terminal.flow.name == "tracking" and terminal.flow.step.key == "result"
    assert terminal.track(tracking_no.replace("-", "")).found
    unknown = terminal.track("37170020991231000001", check_code="1234")
    assert not unknown.found and terminal.flow.step.key == "result"


def test_tracking_offline_says_so(settings):
    settings._p.set("platform", "url", "http://127.0.0.1:9")
    terminal = Terminal(settings, voice=Voice(enabled=False))
    try:
        terminal.identify(card_identity())
        assert terminal.track("37170020261127000123").outcome == "need_check", \
            "another terminal's number: 查询码 first"
        flow = terminal.flow
        assert flow.step.key == "check"
        flow.set_check("1234")
        flow.typed_check()
        question, (kind, number, check) = flow.pending_question()
        from kiosk.flows.tracking_flow import lookup
        assert flow.answer(question, lookup(terminal, kind, number, check))
        assert flow.state.result.outcome == "offline" and flow.step.key == "result"
    finally:
        terminal.stop()


def test_a_wipe_leaves_no_trace_of_any_flow(terminal):
    person = demo_identity()
    terminal.identify(person)
    apply = terminal.open_flow("apply")
    apply.choose_matter(apply.submittable()[0].code)
    apply.set_phone("13905301234")
    complaint = terminal.open_flow("complaint")
    complaint.set_note("窗口的人不理我")
    terminal.end_session()
    assert terminal.session.is_empty() and terminal.flow is None
    assert apply.state.phone == "" and complaint.state.note == ""
    # the front end hears which card was read, to remind the citizen to take it
    assert ("session_wiped", {"reason": "end", "card": "idcard"}) in terminal.seen


# -- 好差评 and 吐槽找茬 without a platform: what a front end shows and where each tap leads -------------
@pytest.fixture
def core(settings):
    """A terminal with no services started: enough to walk a flow that is not submitted."""
    t = Terminal(settings, voice=Voice(enabled=False))
    yield t
    t.stop()


def test_evaluation_indicators_are_paged_in_elderly_mode(core):
    core.session.elderly = True
    flow = core.open_flow("evaluation")
    flow.choose_level(3)                       # 基本满意: good, so the indicators are the last step
    assert flow.step.key == "indicators" and flow.more_indicators and not flow.is_last
    assert [k for k, _ in flow.indicators_shown()] == ["overall", "efficiency"]
    assert flow.step.hint.endswith("（第1页，共2页）")
    assert flow.next() and flow.step.key == "indicators" and flow.is_last
    assert [k for k, _ in flow.indicators_shown()] == ["quality", "attitude"]
    assert not flow.next(), "the last page of the last step submits, it does not move on"
    assert flow.back() and [k for k, _ in flow.indicators_shown()] == ["overall", "efficiency"]
    assert flow.back() and flow.step.key == "level"
    flow.choose_level(2)                       # 差评: the reasons follow the last page
    assert flow.next() and flow.next() and flow.step.key == "reasons"
    assert flow.back() and [k for k, _ in flow.indicators_shown()] == ["quality", "attitude"], \
        "back from the reasons comes to the page the citizen left"
    core.session.elderly = False               # 长辈模式 switched off on the second page
    assert [k for k, _ in flow.indicators_shown()] == ["overall", "efficiency", "quality", "attitude"]
    assert "页" not in flow.step.hint and not flow.more_indicators and flow.next() and flow.step.key == "reasons"


def test_evaluation_offers_this_visits_receipts_fewer_in_elderly_mode(core):
    for i in range(5):
        core.session.receipts.append({"local_id": f"HZ0001-20261127-000{i}", "kind": "application"})
    core.session.receipts.append({"local_id": "HZ0001-20261127-0009", "kind": "evaluation"})
    flow = core.open_flow("evaluation")
    assert flow.step.key == "target"
    choices = flow.target_choices()
    assert choices[0] == ("hall", "这台机器和大厅的服务") and len(choices) == 5
    assert choices[1] == ("HZ0001-20261127-0004", "刚才办的办事申请（HZ0001-20261127-0004）"), "newest first"
    assert "HZ0001-20261127-0009" not in dict(choices), "an evaluation is not itself rated"
    core.session.elderly = True
    assert len(flow.target_choices()) == 3
    flow.choose_target("HZ0001-20261127-0004")
    assert flow.step.key == "level" and "HZ0001-20261127-0004" in flow.step.hint
    rated = core.evaluate("HZ0001-20261127-0003")      # from the receipt: straight to the faces
    assert rated.step.key == "level" and rated.state.target_local_id == "HZ0001-20261127-0003"
    with pytest.raises(FlowError):
        flow.choose_target("HZ0001-20991231-0001")


def test_evaluation_phone_step_says_when_staff_call_back(core):
    flow = core.open_flow("evaluation")
    flow.choose_level(2)
    flow.go_to("phone")
    assert flow.step.title == "要我们给您回电话吗？" and "5个工作日内" in flow.step.hint and not flow.phone_required
    core.identify(demo_identity())
    assert flow.step.title == "请留一个手机号" and flow.phone_required and "一定会打电话" in flow.step.hint


def test_complaint_note_page_returns_to_the_contact_step(core):
    flow = core.open_flow("complaint")
    flow.choose_problem("long_wait")
    assert flow.step.key == "place" and "等太久" in flow.step.hint
    flow.choose_place("this_hall")
    assert flow.step.key == "contact"
    flow.open_note()
    assert flow.step.key == "note" and flow.index == flow.total - 2, "the note page is not a step of its own"
    assert not flow.next() and flow.problem() == ""
    flow.keep_note("  要了三次户口本 ")
    assert flow.step.key == "contact" and flow.state.note == "要了三次户口本"
    flow.go_to("note")
    assert flow.back() and flow.step.key == "contact" and flow.state.note == "要了三次户口本", \
        "back from the note page keeps the note"
    flow.open_note()
    flow.drop_note()
    assert flow.step.key == "contact" and flow.state.note == ""
    flow.open_note()
    flow.go_to("place")
    assert flow.step.key == "place" and not flow.noting


def test_complaint_review_shows_what_is_sent_and_each_change_comes_back(core):
    """看一遍: the last step lists every answer in plain words (the phone masked), each with the step
    that asked it; an answer changed from there returns to the review; the step total stays fixed."""
    core.identify(demo_identity())
    flow = core.open_flow("complaint")
    total = flow.total
    flow.choose_problem("long_wait")
    flow.choose_place("this_hall")
    flow.choose_name("anonymous")
    flow.set_phone("13905305678")
    assert flow.next() and flow.step.key == "review" and flow.is_last and flow.total == total == 5
    assert flow.step.title == "看一遍，没问题就提交"
    lines = [(item.step, item.line) for item in flow.review_items()]
    assert lines == [("problem", "遇到的问题：等太久"), ("place", "在哪里：就在这个大厅"),
                     ("name", "名字：不写名字（匿名）"), ("note", "您多说的话：没有多说"),
                     ("contact", "回电话：要，处理结果打电话到 139****5678 告诉您")]
    assert "13905305678" not in flow.review_words() and "139****5678" in flow.review_words()

    flow.change("problem")                       # 改一下 → the problem step; the answer comes back
    assert flow.step.key == "problem" and flow.index == 0
    flow.choose_problem("attitude")
    assert flow.step.key == "review" and flow.review_items()[0].line == "遇到的问题：态度不好"
    flow.change("name")
    flow.choose_name("named")
    assert flow.step.key == "review" and "名字：写上您的名字" in flow.review_words()
    flow.change("note")                          # the note page, kept → back to the review
    assert flow.step.key == "note"
    flow.keep_note("窗口没人")
    assert flow.step.key == "review" and "您多说的话：“窗口没人”" in flow.review_words()
    flow.change("note")
    flow.drop_note()
    assert flow.step.key == "review" and flow.state.note == ""
    flow.change("contact")                       # the phone: 下一步 is the review anyway
    flow.set_phone("139")
    assert not flow.next() and flow.step.key == "contact"
    flow.set_phone("")
    assert flow.next() and flow.step.key == "review"
    assert flow.review_items()[-1].line == "回电话：不用（没有留电话，不会有人打给您）"
    flow.change("place")                         # 上一步 from a changed step still moves one step back
    assert flow.back() and flow.step.key == "problem"
    flow.choose_problem("other")
    assert flow.step.key == "review", "still changing: the answer returns to the review"
    assert flow.back() and flow.step.key == "contact" and flow.next() and flow.step.key == "review"
    flow.go_to("problem")                        # walked back by hand: the steps follow in order again
    flow.choose_problem("long_wait")
    assert flow.step.key == "place" and flow.total == total


def test_complaint_name_choice(core):
    core.identify(demo_identity())
    flow = core.open_flow("complaint")
    flow.choose_problem("attitude")
    flow.choose_place("elsewhere")
    assert flow.step.key == "name" and flow.name_choice() == ""
    flow.choose_name("anonymous")
    assert flow.step.key == "contact" and flow.state.anonymous is True and flow.name_choice() == "anonymous"
    flow.back()
    flow.choose_name("named")
    assert flow.state.anonymous is False and flow.name_choice() == "named"
    with pytest.raises(ValueError):
        flow.choose_name("maybe")


def test_feedback_flows_start_afresh_once_sent(terminal):
    """What was sent is not kept in the flow (nor can it be sent twice by going back to it)."""
    evaluation = terminal.open_flow("evaluation")
    evaluation.choose_level(1)
    evaluation.set_phone("13905301234")
    evaluation.submit()
    assert evaluation.state.level == 0 and evaluation.state.phone == "" and evaluation.step.key == "level"
    complaint = terminal.open_flow("complaint")
    complaint.choose_problem("other")
    complaint.choose_place("elsewhere")
    complaint.set_phone("13905301234")
    complaint.open_note()
    complaint.keep_note("窗口的人不理我")
    assert complaint.next() and complaint.step.key == "review"
    complaint.submit()
    assert complaint.state.phone == "" and complaint.state.note == "" and complaint.step.key == "problem"
    with pytest.raises(FlowError):
        complaint.submit()
