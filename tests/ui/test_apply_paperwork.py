"""我要办 with paperwork in the real app under Xvfb: a form laid under the (simulated) document camera
is taken by itself, pre-reviewed by the real OCR and shown on the guide's annotated sample; the
pre-filled form is checked and one line changed; the citizen signs with a finger; submit — and the
platform process stores the page and the signature as the submission's attachments."""
from __future__ import annotations

import json
import sqlite3

import pytest

from devices.doccam import synthetic
from kiosk.demo import demo_identity
from kiosk.review import specimens

pytestmark = pytest.mark.ui
BIRTH = "HZ-WJ-001"


def sign(ui, pad) -> None:
    """Write a scrawl on the pad with a simulated finger."""
    from kivy.tests.common import UnitTestTouch
    x0, y0 = pad.to_window(pad.x, pad.y)
    touch = UnitTestTouch(x0 + pad.width * 0.15, y0 + pad.height * 0.5)
    touch.touch_down()
    for i in range(1, 12):
        touch.touch_move(x0 + pad.width * (0.15 + i * 0.06), y0 + pad.height * (0.5 + (0.2 if i % 2 else -0.2)))
        ui.frames(1)
    touch.touch_up()
    ui.frames(3)


def through_paperwork(app, ui, screen, page=None) -> None:
    """From 拍材料 to past 签名: lay `page` under the camera for the first target (or skip it), skip
    the rest, accept the pre-filled form, sign."""
    assert screen.step_title == "拍材料"
    camera = app.hub.get("doccam")
    if page is not None:
        ui.wait_until(lambda: camera.running, timeout=10)
        camera.place(None)                  # the page is lifted, signed and laid down again
        ui.frames(10)
        camera.place(page, as_photo=True)
        ui.wait_until(lambda: screen.capture_phase == "reviewed", timeout=120)
        ui.tap(ui.button("就用这张"))
    while screen.flow.capture_target is not None:
        ui.tap(ui.button("这份不拍了"))
    assert not camera.running, "the document camera is released when no page is asked for"
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "核对申请表"
    if screen.flow.problem():
        for label in screen.flow.form().missing():
            screen.flow.change_field(label, "示例")
        screen.refresh()
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "签名" and not screen.can_next
    pad = ui.find(cls_name="SignaturePad")[0]
    assert ui.button("确定").disabled and ui.button("重写")   # 确定 waits for a name
    sign(ui, pad)
    assert screen.can_next and not ui.button("确定").disabled     # the pad's 确定 (重写 beside the pad)
    ui.tap(ui.button("确定"))


def test_capture_review_form_signature_and_submit_to_the_platform(kiosk_app):
    app, ui = kiosk_app
    who = demo_identity()
    app.identified(who)
    app.go("apply", matter=BIRTH)
    ui.frames()
    screen = app.sm.current_screen
    ui.tap(ui.button("下一步"))
    ui.type_digits("13905301234")
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("同意调取"))          # 居民身份证 and 结婚证 as e-licences: only the form is photographed
    ui.wait_until(lambda: screen.flow.state.licences_loaded, timeout=30)
    ui.frames(3)
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "拍材料"
    texts = " ".join(w.text for w in ui.find(cls_name="KLabel"))
    assert "把生育登记表平放在灯下" in texts
    camera = app.hub.get("doccam")
    ui.wait_until(lambda: camera.running, timeout=10)
    values = {"姓名": who.name, "公民身份号码": who.number, "联系电话": "13905301234"}
    unsigned = synthetic.photo(specimens.form("生育登记表", values, list(values), signature=False), seed=5, fill=0.85).frame
    camera.place(unsigned, as_photo=True)
    ui.wait_until(lambda: screen.capture_phase == "reviewed", timeout=120)
    sample = ui.find(cls_name="ReviewedSample")[0]
    assert [ok for *_xy, _n, ok in sample.points] == [True, False], "filled green, signed red"
    texts = " ".join(w.text for w in ui.find(cls_name="KLabel"))
    assert "× 还没有签字。" in texts and "✓ 该填的都填了。" in texts
    assert who.number not in texts and who.name not in texts
    ui.tap(ui.button("重拍"))
    ui.frames(20)
    assert screen.capture_phase == "live", "the same page lying there is not taken again by itself"
    signed = synthetic.photo(specimens.form("生育登记表", values, list(values), signature=True), seed=6, fill=0.85).frame
    through_paperwork(app, ui, screen, signed)
    assert screen.step_title == "怎么拿结果"
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    local_id = app.sm.current_screen.local_id
    assert app.sync.worker.flush(timeout=30)
    with sqlite3.connect(f"file:{app.platform.db_path}?mode=ro", uri=True) as db:
        body = json.loads(db.execute("SELECT body FROM submissions WHERE local_id=?", (local_id,)).fetchone()[0])
        stored = {row[0]: row[1] for row in db.execute("SELECT sha256, content_type FROM attachments")}
    names = [a["name"] for a in body["attachments"]]
    assert names == ["生育登记表.jpg", "申请人签名.png"]
    assert all(stored.get(a["sha256"]) == a["content_type"] for a in body["attachments"])
    assert all(c["ok"] for c in body["payload"]["prereview"][0]["checks"])
    assert app.session.attachments == []


def _drawn_picture(image):
    """Where the Image's own canvas paints its texture: the Rectangle that carries it (x, y, w, h)."""
    from kivy.graphics import Rectangle
    rect = next(i for i in image.canvas.children if isinstance(i, Rectangle) and i.texture is image.texture)
    x, y = image.to_window(*rect.pos)
    return x, y, rect.size[0], rect.size[1]


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_the_review_rings_sit_on_the_sample_points(kiosk_app, elderly):
    """Each review ring is centred on its numbered point of the sample as the picture is really painted,
    in both modes (in normal mode the picture is capped in height and centred in its box)."""
    from kivy.graphics import Line
    from screens.apply_paperwork import paperwork_tour_states
    app, ui = kiosk_app
    app.elderly = elderly
    go = dict(paperwork_tour_states())["-review"]
    go(app)
    ui.frames(10)
    sample = ui.find(cls_name="ReviewedSample")[0]
    x0, y0, w, h = _drawn_picture(sample.picture)
    rings = [i.circle for i in sample.canvas.after.children if isinstance(i, Line) and i.circle]
    assert len(rings) == len(sample.points) == 2
    for (px, py, _n, _ok), (cx, cy, *_r) in zip(sample.points, rings):
        wx, wy = sample.to_window(cx, cy)
        assert abs(wx - (x0 + px * w)) < 3 and abs(wy - (y0 + (1 - py) * h)) < 3, (px, py, wx, wy, x0, y0, w, h)


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_a_signature_is_drawn_inside_its_pad(kiosk_app, elderly):
    """The strokes of a signature (written, then shown again after a rebuild) lie inside the pad's frame."""
    from kivy.graphics import Line
    from screens.apply_paperwork import paperwork_tour_states
    app, ui = kiosk_app
    app.elderly = elderly
    dict(paperwork_tour_states())["-signed"](app)
    ui.frames(10)
    pad = ui.find(cls_name="SignaturePad")[0]
    strokes = [i.points for i in pad.canvas.children if isinstance(i, Line)]
    assert strokes, "the signature is drawn"
    for points in strokes:
        for x, y in zip(points[::2], points[1::2]):
            assert pad.x <= x <= pad.right and pad.y <= y <= pad.top, (x, y, pad.pos, pad.size)
