"""好差评 end to end with taps: faces -> indicators -> (差评) reasons and call-back phone -> receipt;
the outbox holds exactly one evaluation and the real platform receives the GB/T 39735 payload."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity
from tests.ui.flow_helpers import (open_tile, outbox_count, platform_body, shown_text, traces, type_digits,
                                   wait_delivered)

pytestmark = pytest.mark.ui


def _rows(ui):
    """Indicator rows top to bottom."""
    return sorted(ui.find(cls_name="IndicatorRow"), key=lambda r: -r.to_window(*r.pos)[1])


def _open(app, ui):
    return open_tile(app, ui, "好差评", "evaluation")


def test_good_evaluation_is_queued_and_delivered(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    assert screen.step_key == "level"
    faces = sorted(ui.find(cls_name="FaceChoice"), key=lambda f: f.to_window(*f.pos)[0])
    assert [(f.level, f.text) for f in faces] == [(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"),
                                                  (1, "非常不满意")], "best to worst, left to right"
    assert all(f.text and f.picto.startswith("face") for f in faces), "every face has words"
    before = outbox_count(app, "evaluation")
    ui.tap(ui.button("满意"))
    assert screen.step_key == "indicators"
    # the four offline indicators, pre-filled with the chosen level; 服务效率 changed to 基本满意
    assert [r.text for r in _rows(ui)] == ["整体满意度", "服务效率", "服务水平", "服务态度"]
    efficiency = [f for f in ui.find(cls_name="FaceChoice") if f.key == "efficiency" and f.level == 3][0]
    ui.tap(efficiency)
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    assert "谢谢您的评价" in shown_text(ui)
    assert outbox_count(app, "evaluation") == before + 1
    local_id = app.sm.current_screen.local_id
    assert app.sync.outbox.receipt(local_id)["kind"] == "evaluation"
    wait_delivered(app, ui, local_id)
    payload = platform_body(app, local_id)["payload"]
    assert payload["level"] == 4 and payload["level_words"] == "满意" and payload["bad"] is False
    assert payload["indicators"] == {"overall": 4, "efficiency": 3, "quality": 4, "attitude": 4}
    assert payload["target"] == {"type": "hall"}
    assert payload["real_name"] is False and payload["callback_phone"] is None
    assert payload["rectify_within_working_days"] is None


def test_real_name_bad_evaluation_needs_a_phone_and_promises_a_call_back(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    screen = _open(app, ui)
    before = outbox_count(app, "evaluation")
    ui.tap(ui.button("非常不满意"))
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "reasons"
    ui.tap(ui.button("办事慢"))
    ui.tap(ui.button("跑了好几次"))
    assert ui.find(text="已选：办事慢") and ui.find(text="已选：跑了好几次"), "chosen reasons say so in words"
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "phone"
    assert not ui.find(text="不留电话，提交"), "a real-name 差评 cannot skip the phone"
    ui.tap(ui.button("提交"))
    assert app.sm.current == "evaluation" and "一定要给您回电话" in screen.error
    assert outbox_count(app, "evaluation") == before, "nothing stored without the phone"
    type_digits(ui, "13905301234")
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    note = app.sm.current_screen.note
    assert "5个工作日内" in note and "139****1234" in note and "13905301234" not in note
    assert outbox_count(app, "evaluation") == before + 1
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    payload = platform_body(app, local_id)["payload"]
    assert payload["level"] == 1 and payload["bad"] is True
    assert payload["reasons"] == ["slow", "many_trips"]
    assert payload["real_name"] is True and payload["callback_required"] is True
    assert payload["callback_phone"] == "13905301234"
    assert payload["rectify_within_working_days"] == app.settings.getint("evaluation", "rectify_days") == 5


def test_anonymous_bad_evaluation_may_leave_no_phone(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    before = outbox_count(app, "evaluation")
    ui.tap(ui.button("不满意"))
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "phone"
    type_digits(ui, "139")
    ui.tap(ui.button("提交"))
    assert app.sm.current == "evaluation" and "11位" in screen.error, "a broken number is refused"
    ui.tap(ui.button("不留电话，提交"))
    assert app.sm.current == "receipt"
    assert "不会给您回电话" in app.sm.current_screen.note
    assert outbox_count(app, "evaluation") == before + 1


def test_a_matter_done_in_this_session_can_be_rated(kiosk_app):
    app, ui = kiosk_app
    app.home()
    ui.frames()
    ui.tap(ui.button("呼叫帮办"))
    ui.tap(ui.button("不会用这台机器"))
    assert app.sm.current == "receipt"
    help_id = app.sm.current_screen.local_id
    screen = _open(app, ui)
    assert screen.step_key == "target"
    ui.tap([w for w in ui.find(cls_name="BigButton") if help_id in w.text][0])
    assert screen.step_key == "level" and help_id in shown_text(ui)
    ui.tap(ui.button("非常满意"))
    ui.tap(ui.button("提交"))
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    assert platform_body(app, local_id)["payload"]["target"] == {"type": "matter", "local_id": help_id,
                                                                 "kind": "help_request"}


def test_elderly_mode_shows_fewer_indicator_rows_per_page(kiosk_app):
    app, ui = kiosk_app
    app.elderly = True
    screen = _open(app, ui)
    ui.tap(ui.button("基本满意"))
    assert [r.text for r in _rows(ui)] == ["整体满意度", "服务效率"]
    ui.tap(ui.button("下一页"))
    assert [r.text for r in _rows(ui)] == ["服务水平", "服务态度"]
    assert screen.step_key == "indicators" and ui.button("提交")


def test_session_wipe_forgets_the_phone(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    ui.tap(ui.button("不满意"))
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("下一步"))
    type_digits(ui, "13905301234")
    state = screen.flow.state
    assert ui.find(cls_name="Keypad")[0].value == "13905301234" and state.phone == "13905301234"
    app.end_session()
    ui.frames()
    assert not ui.find(root=screen, cls_name="Keypad") and state.level == 0 and state.phone == ""
    from screens.widgets.audit import walk
    assert not any("0530" in str(getattr(w, "text", "")) for w in walk(screen))


def test_after_a_wipe_the_screen_holds_no_phone(kiosk_app):
    """The screen keeps nothing of its own: after a wipe neither its attributes nor any widget it holds
    (shown or not) carry the call-back phone, on whichever step the citizen was."""
    app, ui = kiosk_app
    phone = "13905307788"
    for steps in (("不满意", "下一步", "下一步"), ("不满意", "下一步", "下一步", "上一步")):
        screen = _open(app, ui)
        ui.tap(ui.button(steps[0]))
        for words in steps[1:3]:
            ui.tap(ui.button(words))
        type_digits(ui, phone)
        for words in steps[3:]:
            ui.tap(ui.button(words))
        assert screen.flow.state.phone == phone
        assert screen.step_key != "phone" or traces(screen, phone), "the check must see the phone on screen"
        app.end_session()
        ui.frames()
        assert traces(screen, phone, phone[3:]) == [], "the screen still holds the phone after the wipe"


def test_no_log_line_carries_the_call_back_phone(kiosk_app, caplog):
    import logging
    app, ui = kiosk_app
    phone = "13905307788"
    caplog.set_level(logging.DEBUG)
    screen = _open(app, ui)
    ui.tap(ui.button("非常不满意"))
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("下一步"))
    type_digits(ui, phone)
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt" and screen.flow.state.level == 0
    wait_delivered(app, ui, app.sm.current_screen.local_id)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "queued" in logged, "the submission itself is logged (by number and kind)"
    assert phone not in logged and "0530 7788" not in logged


def test_going_back_and_forth_leaves_no_widgets_behind(kiosk_app):
    """A kiosk runs for months: rebuilding a step must not pile up widgets (KivyMD-style memory check)."""
    import gc

    from screens.widgets.faces import FaceChoice
    app, ui = kiosk_app
    screen = _open(app, ui)

    def alive():
        gc.collect()
        # type(), not isinstance(): a WeakProxy to a dead widget raises on __class__
        return sum(1 for o in gc.get_objects() if type(o) is FaceChoice)

    for _ in range(3):
        ui.tap(ui.button("满意"))
        ui.tap(ui.button("上一步"))
    baseline = alive()
    for _ in range(15):
        ui.tap(ui.button("满意"))
        ui.tap(ui.button("上一步"))
    assert screen.step_key == "level"
    assert alive() <= baseline, "FaceChoice widgets accumulate"
