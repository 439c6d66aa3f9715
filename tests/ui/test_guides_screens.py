"""The guide screens as a citizen uses them: home tile -> browse -> detail -> materials, search with
the pinyin keyboard, 扫码带走, 照此办理, 长辈模式."""
from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.ui


def _texts(ui, root=None) -> str:
    return " ".join(w.text for w in ui.find(root=root) if isinstance(getattr(w, "text", None), str))


def _items(ui):
    """Guide list items in reading order (top to bottom, left to right)."""
    ui.frames(2)
    items = ui.find(cls_name="GuideItem")
    return sorted(items, key=lambda w: (-round(w.to_window(*w.pos)[1]), w.to_window(*w.pos)[0]))


def _pump_until(ui, condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        ui.frames(1)
        time.sleep(0.02)


def test_home_tile_leads_to_browse_by_theme_department_and_az(kiosk_app):
    app, ui = kiosk_app
    app.home()
    ui.frames()
    ui.tap(ui.button("办事指南"))
    assert app.sm.current == "guides"
    assert {i.text for i in _items(ui)} == {"新生儿出生一件事", "开办个体工商户一件事", "退休一件事"}
    ui.tap(ui.button("按部门"))
    departments = [i for i in _items(ui) if i.kind == "department"]
    assert any(d.text == "菏泽市公安局" for d in departments)
    ui.tap(next(d for d in departments if d.text == "菏泽市公安局"))
    assert "居民身份证换领" in {i.text for i in _items(ui)}
    ui.tap(ui.button("按拼音"))
    first = [i.text for i in _items(ui)]
    assert first[0].startswith("B ")   # 不动产… comes first in pinyin order
    ui.tap(ui.button("下一页"))
    assert [i.text for i in _items(ui)] != first


def test_detail_steps_materials_and_callouts(kiosk_app):
    app, ui = kiosk_app
    app.go("guide_detail", code="HZ-GA-001")
    ui.frames()
    screen = app.sm.current_screen
    assert "您需要做什么" in _texts(ui) and "带上旧证" in _texts(ui)
    assert screen.step == 0 and screen.step_picture.endswith("take_number.png")
    ui.tap(ui.button("下一步"))
    assert screen.step == 1 and "交旧证" in _texts(ui)
    ui.tap(ui.button("要带的材料（3 项）"))
    assert app.sm.current == "materials"
    mats = app.sm.current_screen
    ui.tap(next(i for i in _items(ui) if "近期证件照" in i.text))
    ui.frames(3)
    callouts = ui.find(cls_name="CalloutButton")
    assert len(callouts) == 3
    image = mats.ids.sample
    w, h = image.norm_image_size
    first = next(c for c in callouts if c.n == 1)
    # the tap target sits where the generator drew number 1 (x 0.50, y 0.40 of the picture)
    assert abs(first.center_x - (image.center_x - w / 2 + 0.5 * w)) < 2
    assert abs(first.center_y - (image.center_y - h / 2 + 0.6 * h)) < 2
    ui.tap(first)
    assert "照片须为近6个月拍的" in mats.point_text and first.selected


def test_theme_shows_its_matters_and_one_set_of_materials(kiosk_app):
    app, ui = kiosk_app
    app.go("guide_detail", theme="newborn")
    ui.frames()
    names = {i.text for i in _items(ui)}
    assert names == {"出生登记（新生儿落户）", "城乡居民基本医疗保险参保登记", "生育登记"}
    # what to bring is counted once for the whole theme (居民身份证 once), and listed one tap away
    assert "一次带齐7样材料" in app.sm.current_screen.facts
    ui.tap(ui.button("要带的材料（7 项）"))
    assert app.sm.current == "materials" and app.sm.current_screen.count == 7


def test_qr_carries_the_guide(kiosk_app):
    import zxingcpp
    from PIL import Image
    app, ui = kiosk_app
    app.go("guide_detail", code="HZ-MZ-001")
    ui.frames()
    ui.tap(ui.button("扫码带走"))
    popup = app.sm.current_screen._popup
    assert popup.parent is not None
    tex = popup.ids.qr.texture
    img = Image.frombytes("RGBA", tex.size, bytes(tex.pixels)).convert("L")
    decoded = zxingcpp.read_barcodes(img)
    assert decoded and "老年人优待证办理" in decoded[0].text
    ui.tap(ui.button("好的，关闭", root=popup))
    assert popup.parent is None


def test_apply_only_for_matters_that_can_be_submitted_here(kiosk_app):
    app, ui = kiosk_app
    app.go("guide_detail", code="HZ-GA-001")      # guide only
    ui.frames()
    assert not app.sm.current_screen.can_apply
    app.go("guide_detail", code="HZ-RS-001")      # 城乡居民养老保险: can be submitted at the terminal
    ui.frames()
    ui.tap(ui.button("照此办理"))
    assert app.sm.current == "identify", "not identified yet: the card first"
    app.screen("identify").card_read(app.hub.get("idcard").sim.cards["resident"])
    ui.wait_until(lambda: app.sm.current == "apply")
    apply = app.sm.current_screen
    assert apply.flow.state.matter_code == "HZ-RS-001" and apply.step_title == "核对身份", "the guide's matter is carried over"


def test_search_with_the_pinyin_keyboard(kiosk_app):
    app, ui = kiosk_app
    app.go("guide_search")
    ui.frames()
    screen = app.sm.current_screen
    kb = screen.ids.keyboard
    _pump_until(ui, lambda: kb.ready)
    for letter in "SFZ":
        ui.tap(next(k for k in ui.find(cls_name="KeyButton") if k.text == letter))
    ui.frames(3)
    assert kb.composing == "sfz"
    assert _items(ui)[0].text == "居民身份证换领"      # results follow every key
    cand = next(k for k in ui.find(root=kb.ids.candidates, cls_name="KeyButton") if k.text == "身份证")
    ui.tap(cand)
    ui.frames(3)
    assert kb.text == "身份证" and kb.composing == ""
    assert _items(ui)[0].text == "居民身份证换领"
    ui.tap(_items(ui)[0])
    assert app.sm.current == "guide_detail"
    app.end_session()
    ui.frames()
    assert kb.text == "" and kb.composing == ""       # nobody sees what the last person searched


def test_elderly_mode_shows_fewer_bigger_items(kiosk_app):
    app, ui = kiosk_app
    app.go("guides", tab="az")
    ui.frames()
    normal = _items(ui)
    height = normal[0].height
    app.elderly = True
    ui.frames(4)
    elder = _items(ui)
    assert len(elder) < len(normal) and elder[0].height > height


def test_visiting_guides_again_and_again_leaves_nothing_behind(kiosk_app):
    """A kiosk runs for months: list items, callouts and popups must not pile up."""
    import gc
    app, ui = kiosk_app

    def visit():
        app.go("guides", tab="az")
        ui.frames(2)
        app.go("guide_detail", code="HZ-GA-001")
        ui.frames(2)
        app.go("materials", code="HZ-WJ-001")
        ui.frames(2)
        app.sm.current_screen.select(2)
        ui.frames(1)

    def live() -> int:
        gc.collect()
        names = {"GuideItem", "CalloutButton", "QrPopup", "KeyButton"}
        return sum(1 for o in gc.get_objects() if type(o).__name__ in names)

    for _ in range(3):
        visit()
    before = live()
    for _ in range(15):
        visit()
    assert live() <= before


def test_a_matter_after_a_theme_shows_its_step_picture(kiosk_app):
    """A citizen who looked at a 一件事 (theme) and then at a single matter sees the matter's step picture."""
    from screens.widgets.audit import picture_sizes
    app, ui = kiosk_app
    app.go("guide_detail", theme="newborn")
    ui.frames(6)
    matter = app.library.pack.matters[0]
    app.go("guide_detail", code=matter.code)
    for _ in range(3):
        ui.frames(4)
    screen = app.sm.current_screen
    assert not screen.is_theme and screen.step_picture
    picture = screen.step_picture.rsplit("/", 1)[-1]
    drawn = picture_sizes([screen])
    assert drawn.get(picture, 0) > 100, (picture, drawn)
