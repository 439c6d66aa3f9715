"""邮政居家办 and 预约取号 driven by taps, down to the outbox."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity

pytestmark = pytest.mark.ui


def test_postal_pickup_with_the_card_address(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    app.start_service("postal")
    ui.frames()
    screen = app.sm.current_screen
    assert app.sm.current == "postal" and not screen.can_next
    ui.tap(ui.button("上门取材料，寄给办事部门"))
    ui.tap(ui.button("下一步"))
    card_choice = [w for w in ui.find(cls_name="BigButton") if w.text.startswith("寄到身份证上的地址")]
    assert card_choice and "示例路" not in card_choice[0].text, "address shown masked"
    ui.tap(card_choice[0])
    ui.tap(ui.button("下一步"))
    ui.type_digits("13905301234")
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "哪天上门"
    first_slot = [w for w in ui.find(cls_name="BigButton") if "午" in w.text][0]
    ui.tap(first_slot)
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    local_id = app.sm.current_screen.local_id
    assert app.sync.outbox.receipt(local_id)["kind"] == "postal_order"


def test_appointment_needs_every_answer_before_going_on(kiosk_app):
    app, ui = kiosk_app
    app.start_service("appointment")
    ui.frames()
    screen = app.sm.current_screen
    assert app.sm.current == "appointment"
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "department", "no department chosen yet"
    department = screen.flow.departments()[0]
    ui.tap(ui.button(department[1]))
    assert screen.flow.state.department == department[0], "the tap on the department did not choose it"
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "day", (screen.step_key, screen.error)
    ui.tap(ui.button(screen.flow.days()[0][1]))
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("上午 9:00–12:00"))
    ui.tap(ui.button("下一步"))
    ui.type_digits("13905301234")
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    assert app.sync.outbox.receipt(app.sm.current_screen.local_id)["kind"] == "appointment"
