"""吐槽找茬 / 办不成事 end to end with taps: problem -> place -> (name) -> optional phone -> 看一遍 (the
review, nothing sent before it) -> receipt; one complaint in the outbox, delivered to the real platform;
anonymous means no name goes with it."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity
from tests.ui.flow_helpers import (open_tile, outbox_count, platform_body, shown_text, traces, type_digits,
                                   wait_delivered)

pytestmark = pytest.mark.ui


def _open(app, ui):
    return open_tile(app, ui, "吐槽找茬", "complaint")


def test_anonymous_complaint_without_phone(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    words = {w.text for w in ui.find(cls_name="BigButton")}
    assert {"办不成事", "来回跑", "等太久", "态度不好", "要的材料不合理", "其他"} <= words
    before = outbox_count(app, "complaint")
    ui.tap(ui.button("等太久"))
    assert screen.step_key == "place" and "等太久" in shown_text(ui)
    ui.tap(ui.button("就在这个大厅"))
    assert screen.step_key == "contact", "nobody identified: no name question"
    ui.tap(ui.button("不留电话"))
    assert screen.step_key == "review" and outbox_count(app, "complaint") == before, "nothing sent yet"
    assert "回电话：不用（没有留电话，不会有人打给您）" in shown_text(ui)
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    note = app.sm.current_screen.note
    assert "跟进处理" in note and "办件查询" in note and "不会有人打给您" in note
    assert outbox_count(app, "complaint") == before + 1
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    payload = platform_body(app, local_id)["payload"]
    assert payload["problem"] == "long_wait" and payload["problem_words"] == "等太久"
    assert payload["place"] == "this_hall" and payload["hall"] == app.settings.get("terminal", "name")
    assert payload["anonymous"] is True and payload["contact_phone"] is None and payload["applicant"] is None


def test_identified_citizen_may_stay_anonymous_and_leave_a_phone(kiosk_app):
    app, ui = kiosk_app
    person = demo_identity()
    app.identified(person)
    screen = _open(app, ui)
    ui.tap(ui.button("办不成事"))
    ui.tap(ui.button("在别的地方"))
    assert screen.step_key == "name"
    ui.tap(ui.button("不写名字（匿名）"))
    assert screen.step_key == "contact"
    type_digits(ui, "1390530")
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "contact" and "11位" in screen.error, "an incomplete phone is refused"
    type_digits(ui, "5678")
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "review" and "名字：不写名字（匿名）" in shown_text(ui)
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    assert "139****5678" in app.sm.current_screen.note
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    body = platform_body(app, local_id)
    assert body["kind"] == "complaint"
    payload = body["payload"]
    assert payload["category"] == "办不成事" and payload["place"] == "elsewhere"
    assert payload["contact_phone"] == "13905305678"
    assert payload["applicant"] is None and person.number not in str(body), "anonymous: no name, no ID number"


def test_identified_complaint_with_name_carries_the_applicant(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    _open(app, ui)
    ui.tap(ui.button("态度不好"))
    ui.tap(ui.button("就在这个大厅"))
    ui.tap(ui.button("写上我的名字"))
    ui.tap(ui.button("不留电话"))
    ui.tap(ui.button("提交"))
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    payload = platform_body(app, local_id)["payload"]
    assert payload["anonymous"] is False and payload["applicant"]["number"] == demo_identity().number


def test_session_wipe_forgets_the_complaint(kiosk_app):
    app, ui = kiosk_app
    screen = _open(app, ui)
    ui.tap(ui.button("来回跑"))
    ui.tap(ui.button("就在这个大厅"))
    type_digits(ui, "13905301234")
    state = screen.flow.state
    app.end_session()
    ui.frames()
    assert not ui.find(root=screen, cls_name="Keypad") and state.problem == "" and state.phone == ""


def test_a_few_words_typed_in_pinyin_go_with_the_complaint(kiosk_app):
    import time
    app, ui = kiosk_app
    screen = _open(app, ui)
    ui.tap(ui.button("要的材料不合理"))
    ui.tap(ui.button("就在这个大厅"))
    ui.tap(ui.button("多说几句"))
    assert screen.step_key == "note"
    kb = ui.find(cls_name="PinyinKeyboard")[0]
    deadline = time.monotonic() + 60
    while not kb.ready:
        assert time.monotonic() < deadline, "pinyin lexicon not ready"
        ui.frames(1)
        time.sleep(0.02)
    for letter in "SFZ":
        ui.tap(next(k for k in ui.find(root=kb, cls_name="KeyButton") if k.text == letter))
    ui.tap(next(k for k in ui.find(root=kb.ids.candidates, cls_name="KeyButton") if k.text == "身份证"))
    assert "身份证" in shown_text(ui)
    ui.tap(ui.button("确定"))
    assert screen.step_key == "contact" and ui.button("改说明")
    ui.tap(ui.button("不留电话"))
    ui.tap(ui.button("提交"))
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    assert platform_body(app, local_id)["payload"]["note"] == "身份证"
    app.end_session()
    ui.frames()
    assert kb.text == "" and traces(screen, "身份证") == [], "the next citizen does not see the note"


def test_after_a_wipe_the_screen_holds_no_phone_and_no_note(kiosk_app):
    """The screen keeps nothing of its own: after a wipe neither its attributes nor any widget it holds
    (shown or not) carry the phone or the note, whether the citizen was typing the note or had kept it."""
    app, ui = kiosk_app
    phone, note = "13905307788", "身份证"
    for keep in (False, True):
        screen = _open(app, ui)
        ui.tap(ui.button("要的材料不合理"))
        ui.tap(ui.button("就在这个大厅"))
        type_digits(ui, phone)
        ui.tap(ui.button("多说几句"))
        kb = ui.find(cls_name="PinyinKeyboard")[0]
        ui.wait_until(lambda: kb.ready, timeout=60)
        for letter in "SFZ":
            ui.tap(next(k for k in ui.find(root=kb, cls_name="KeyButton") if k.text == letter))
        ui.tap(next(k for k in ui.find(root=kb.ids.candidates, cls_name="KeyButton") if k.text == note))
        if keep:
            ui.tap(ui.button("确定"))
            assert screen.flow.state.note == note and ui.button("改说明")
            assert traces(screen, note) == [], "a kept note lives in the flow, not in the screen"
        else:
            assert traces(screen, note), "the check must see the note while it is typed"
        assert traces(screen, phone) or screen.flow.state.phone == phone
        app.end_session()
        ui.frames()
        assert traces(screen, phone, phone[3:], note) == [], "the screen still holds the phone or the note"


def _change(ui, label: str):
    """The 改一下 button on the review's line that starts with `label`."""
    rows = [w for w in ui.find(cls_name="ReviewRow")
            if any(str(c.text).startswith(label + "：") for c in w.children if type(c).__name__ == "ReviewWords")]
    assert len(rows) == 1, f"no review line {label}"
    return ui.button("改一下", root=rows[0])


def test_the_review_shows_what_will_be_sent_and_each_answer_can_be_changed(kiosk_app):
    """看一遍: the last step shows the problem, the place, the words and the masked phone in big type;
    nothing is sent before it; 改一下 goes to that answer and comes back; 提交 sends what was shown."""
    app, ui = kiosk_app
    screen = _open(app, ui)
    before = outbox_count(app, "complaint")
    ui.tap(ui.button("要的材料不合理"))
    ui.tap(ui.button("就在这个大厅"))
    ui.tap(ui.button("多说几句"))
    kb = ui.find(cls_name="PinyinKeyboard")[0]
    ui.wait_until(lambda: kb.ready, timeout=60)
    for letter in "SFZ":
        ui.tap(next(k for k in ui.find(root=kb, cls_name="KeyButton") if k.text == letter))
    ui.tap(next(k for k in ui.find(root=kb.ids.candidates, cls_name="KeyButton") if k.text == "身份证"))
    ui.tap(ui.button("确定"))
    type_digits(ui, "13905305678")
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "review" and screen.step_number == screen.steps_total == 4
    assert "看一遍，没问题就提交" in screen.heading
    text = shown_text(ui)
    for line in ("遇到的问题：要的材料不合理", "在哪里：就在这个大厅", "您多说的话：“身份证”",
                 "回电话：要，处理结果打电话到 139****5678 告诉您"):
        assert line in text
    assert "13905305678" not in text, "the phone shows masked"
    big = [w for w in ui.find(cls_name="ReviewWords")]
    assert len(big) == 4 and all(w.font_size == app.fs_button for w in big), "answers in large type"
    assert outbox_count(app, "complaint") == before, "nothing is sent before the review"

    ui.tap(_change(ui, "您多说的话"))          # change the words: the note page with the words kept
    assert screen.step_key == "note" and kb.text == "身份证"
    ui.tap(next(k for k in ui.find(root=kb, cls_name="KeyButton") if k.text == "删除"))
    ui.tap(ui.button("确定"))
    assert screen.step_key == "review", "a changed answer comes back to the review"
    assert "您多说的话：“身份”" in shown_text(ui)
    ui.tap(_change(ui, "遇到的问题"))
    assert screen.step_key == "problem"
    ui.tap(ui.button("来回跑"))
    assert screen.step_key == "review" and "遇到的问题：来回跑" in shown_text(ui)
    ui.tap(ui.button("上一步"))
    assert screen.step_key == "contact"
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "review" and outbox_count(app, "complaint") == before

    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt" and outbox_count(app, "complaint") == before + 1
    local_id = app.sm.current_screen.local_id
    wait_delivered(app, ui, local_id)
    payload = platform_body(app, local_id)["payload"]
    assert payload["problem"] == "many_trips" and payload["note"] == "身份"
    assert payload["contact_phone"] == "13905305678" and payload["place"] == "this_hall"


def test_a_long_note_pages_the_review_in_elderly_mode_never_below_a_scroll(kiosk_app):
    """200 characters of words in 长辈模式: the review does not fit on one screen, so it comes in pages
    (上一页/下一页 above it), every answer on one of them, none hidden below the scroll."""
    app, ui = kiosk_app
    app.identified(demo_identity())
    screen = _open(app, ui)
    flow = screen.flow
    app.elderly = True             # switched on in the flow: the flow stays (home must not replace it)
    try:
        assert screen.flow is flow
        flow.choose_problem("attitude")
        flow.choose_place("elsewhere")
        flow.choose_name("named")
        flow.set_note("窗口的人一直在玩手机，" * 20)
        flow.set_phone("13905305678")
        assert flow.next() and flow.step.key == "review"
        screen.refresh()
        ui.frames(6)
        seen, pages = [], 0
        while True:
            ui.frames(4)
            scroll, body = screen.ids.scroll, screen.ids.body
            assert body.height <= scroll.height + 1, "a page of the review hides below the scroll"
            shown = sorted(ui.find(cls_name="ReviewWords"), key=lambda w: -w.to_window(*w.pos)[1])
            seen += [w.text.partition("：")[0] for w in shown]
            pages += 1
            nxt = [b for b in ui.find(text="下一页") if b.opacity > 0 and not b.disabled]
            if not nxt:
                break
            ui.tap(nxt[0])
            assert pages < 6
        assert pages > 1 and seen == ["遇到的问题", "在哪里", "名字", "您多说的话", "回电话"]
    finally:
        app.elderly = False
