"""Every citizen flow driven through the terminal core with no display, from identify to the receipt
delivered to the real reference platform process (a separate process with its own SQLite file)."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest

from kiosk.demo import demo_identity
from kiosk.flows.base import FlowError
from kiosk.terminal import Terminal
from kiosk.voice import Voice
from tests.e2e.conftest import platform_server, platform_settings  # noqa: F401  (fixtures)


@pytest.fixture
def terminal(platform_settings):  # noqa: F811
    t = Terminal(platform_settings, voice=Voice(enabled=False))
    t.start(services=True, devices=False)
    events: list[tuple[str, dict]] = []
    t.events.subscribe(lambda event, data: events.append((event, dict(data))))
    t.seen = events
    yield t
    t.stop()


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


def walk(flow, **taps) -> None:
    """Press 下一步 until the last step, failing if a step refuses."""
    while not flow.is_last:
        assert flow.next(), f"step {flow.step.key} refused: {flow.problem()}"


def test_apply_from_identify_to_the_delivered_receipt(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.open_flow("apply")
    assert flow.step.key == "choose" and not flow.can_next
    code = flow.submittable()[0].code
    flow.choose(code)
    assert flow.step.key == "identity" and flow.next()
    flow.set_phone("1390530")
    assert flow.problem() == "手机号是11位，还差4位。" and not flow.next()
    flow.set_phone("13905301234")
    walk(flow)
    assert flow.step.key == "confirm"
    local_id = flow.submit()
    assert ("submitted", {"local_id": local_id, "kind": "application", "note": flow.receipt_note()}) in terminal.seen
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


def test_appointment_to_the_platform(terminal, platform_server):  # noqa: F811
    flow = terminal.open_flow("appointment")
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
    assert stored(platform_server, local_id)["payload"]["half_day"] == "pm"


def test_help_request_in_one_tap(terminal, platform_server):  # noqa: F811
    flow = terminal.open_flow("help", came_from="apply")
    local_id = flow.call("mobility")
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["reason"] == "mobility" and payload["screen"] == "apply"


def test_real_name_bad_evaluation_needs_the_call_back_phone(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.open_flow("evaluation")
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


def test_anonymous_complaint_with_a_note(terminal, platform_server):  # noqa: F811
    flow = terminal.open_flow("complaint")
    flow.choose_problem("many_trips")
    flow.choose_place("this_hall")
    assert flow.step.key == "contact"
    flow.set_phone("139")
    assert flow.problem() == "手机号是11位，还差8位。"
    flow.set_phone("")
    flow.set_note("要了三次户口本")
    local_id = flow.submit()
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["anonymous"] and payload["applicant"] is None and payload["note"] == "要了三次户口本"


def test_tracking_a_delivered_receipt(terminal):
    local_id = terminal.open_flow("help").call("operate")
    tracking_no = delivered(terminal, local_id)["tracking_no"]
    flow = terminal.open_flow("tracking")
    assert flow.step.key == "pick"     # this visit's receipt is offered first
    result = flow.query(local_id)
    assert result.found and result.number == tracking_no and result.local_id == local_id
    assert flow.step.key == "result"
    by_number = terminal.open_flow("tracking").query(tracking_no.replace("-", ""))
    assert by_number.found


def test_tracking_offline_says_so(settings):
    settings._p.set("platform", "url", "http://127.0.0.1:9")
    terminal = Terminal(settings, voice=Voice(enabled=False))
    try:
        result = terminal.open_flow("tracking").query("37170020261127000123")
        assert result.outcome == "offline"
    finally:
        terminal.stop()


def test_a_wipe_leaves_no_trace_of_any_flow(terminal):
    person = demo_identity()
    terminal.identify(person)
    apply = terminal.open_flow("apply")
    apply.choose(apply.submittable()[0].code)
    apply.set_phone("13905301234")
    complaint = terminal.open_flow("complaint")
    complaint.set_note("窗口的人不理我")
    terminal.end_session()
    assert terminal.session.is_empty() and terminal.flow is None
    assert apply.state.phone == "" and complaint.state.note == ""
    assert ("session_wiped", {"reason": "end"}) in terminal.seen
