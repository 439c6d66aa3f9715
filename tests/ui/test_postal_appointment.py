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


def test_a_short_list_after_a_scrolled_step_stays_in_place(kiosk_app):
    """预约取号 after the phone step was scrolled to its keypad (as the keypad focus does): the department
    list is drawn where it belongs from the first frame on and never moves (Kivy's elastic overscroll used
    to feed the old offset back into the short list, drawing it a screen below the window for a while)."""
    app, ui = kiosk_app
    app.start_service("appointment")
    ui.frames()
    screen = app.sm.current_screen
    flow = screen.flow
    flow.choose("department", flow.departments()[0][0])
    flow.choose("day", flow.days()[0][0])
    flow.choose("half", "am")
    flow.go_to("phone")
    screen.refresh()
    ui.frames(3)
    scroll = screen.ids.scroll
    keys = [w for w in ui.find(text="0") if w.parent is not None]
    assert keys, "the phone step shows its keypad"
    scroll.scroll_to(keys[0], animate=False)       # what the keypad focus does to show the field
    scroll.effect_y.value -= 300                    # a finger pulls past the end (an elastic list would spring back)
    ui.frames(1)
    app.start_service("appointment")                # the next citizen
    seen = set()
    for _ in range(30):
        ui.frames(1)
        first = ui.button(flow.departments()[0][1]) if app.sm.current_screen.step_key == "department" else None
        if first is not None and not app.sm.transition.is_active:
            x, y = first.to_window(*first.pos)
            assert 0 <= y and y + first.height <= app.root_window.height, f"drawn out of the window at y={y:.0f}"
            seen.add(round(y))
    assert len(seen) == 1, f"the list moved after it was drawn: {sorted(seen)}"
