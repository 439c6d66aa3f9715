"""身份证复印 with taps in the real app: the tile under the printing services, a purpose, both sides of
the generated card (样本) the simulated document camera shows in demo mode taken by themselves, the A4
page previewed, printed; a wipe afterwards (and in the middle) leaves no picture anywhere."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity
from tests.ui.flow_helpers import open_tile, shown_text

pytestmark = pytest.mark.ui


def _purpose_and_front(app, ui):
    screen = open_tile(app, ui, "身份证复印", "idcopy")
    assert screen.step_title == "复印件做什么用" and not screen.can_next
    ui.tap(ui.button("办理社保"))
    assert "复印件上会写：仅供办理社保使用" in shown_text(ui)
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "front"
    camera = app.hub.get("doccam")
    ui.wait_until(lambda: screen.flow.picture("front") is not None, timeout=30)
    ui.frames(3)
    assert "身份证正面拍好了" in shown_text(ui) and not camera.running
    return screen


def test_id_copy_from_the_tile_to_printed(kiosk_app):
    app, ui = kiosk_app
    screen = _purpose_and_front(app, ui)
    ui.tap(ui.button("重拍"))
    assert screen.flow.picture("front") is None
    ui.tap(ui.button("拍照"))                      # the card lying there is taken by hand
    ui.wait_until(lambda: screen.flow.picture("front") is not None, timeout=30)
    ui.tap(ui.button("下一步"))
    assert screen.step_key == "back"
    ui.wait_until(lambda: screen.flow.picture("back") is not None, timeout=30)
    ui.frames(3)
    ui.tap(ui.button("下一步"))
    ui.wait_until(lambda: screen.flow.state.preview is not None, timeout=30)
    ui.frames(3)
    assert screen.step_key == "preview" and "复印件上写着：仅供办理社保使用" in shown_text(ui)
    assert ui.find(cls_name="PagePreview")
    ui.tap(ui.button("打印"))
    assert screen.step_key == "printing"
    ui.wait_until(lambda: screen.flow.print_status()[0] == "done", timeout=60)
    ui.wait_until(lambda: "打印好了，请从下面的出纸口取走。" in shown_text(ui), timeout=10)
    assert screen.flow.state.front is None and screen.flow.state.back is None
    ui.tap(ui.button("办完了，退出"))
    assert app.session.is_empty()


def test_a_purpose_of_ones_own_and_a_wipe_in_the_middle(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    screen = _purpose_and_front(app, ui)
    held = screen.flow.state.front
    assert held.any()
    ui.tap(ui.button("上一步"))
    assert screen.step_key == "purpose"
    ui.tap(ui.button("自己写…"))
    kb = ui.find(cls_name="PinyinKeyboard")[0]
    kb.text = "办理医保"
    ui.tap(ui.button("确定"))
    assert screen.flow.state.purpose == "办理医保" and "仅供办理医保使用" in shown_text(ui)
    app.end_session()
    ui.frames(5)
    assert app.session.is_empty() and not held.any(), "the picture is overwritten by the wipe"
    assert not ui.find(root=screen, cls_name="PagePreview") and not ui.find(root=screen, cls_name="LivePage")
    assert not app.hub.get("doccam").running


def test_elderly_capture_is_large(kiosk_app):
    app, ui = kiosk_app
    app.elderly = True
    screen = open_tile(app, ui, "身份证复印", "idcopy")
    ui.tap(ui.button("办理社保"))
    ui.tap(ui.button("下一步"))
    ui.frames(3)
    picture = (ui.find(cls_name="LivePage") or ui.find(cls_name="PagePreview"))[0]   # live, or already taken
    scroller = screen.ids.body.parent
    assert picture.height >= app.target_h * 4
    assert picture.parent.height <= scroller.height + 1, "picture and words fit the visible area: no scrolling"
    screen.leave_capture()
