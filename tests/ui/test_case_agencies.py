"""经典案例 as a picture story and 中介超市 as a citizen uses them: from a guide to its story, a page at a
time in 长辈模式; the agencies by service, best rated first, one agency's details in a QR code, and the
agencies a matter needs from its guide."""
from __future__ import annotations

import io

import pytest

from tests.ui.flow_helpers import visible_items

pytestmark = pytest.mark.ui


def test_the_case_is_a_picture_story(kiosk_app):
    app, ui = kiosk_app
    app.go("guide_detail", code="HZ-MZ-001")
    ui.frames()
    ui.tap(ui.button("看办事故事"))
    screen = app.sm.current_screen
    assert app.sm.current == "case_story" and screen.story_title == "孙奶奶的优待证"
    panels = ui.find(cls_name="StoryPanel")
    assert [p.number for p in sorted(panels, key=lambda p: p.x)] == ["1", "2", "3"]
    assert all(p.picture.endswith(".png") and p.text for p in panels)
    app.elderly = True
    ui.frames(3)
    panels = ui.find(cls_name="StoryPanel")
    assert len(panels) == 1 and panels[0].text == "孙奶奶刚满60岁。"
    ui.tap(ui.button("下一页"))
    assert ui.find(cls_name="StoryPanel")[0].number == "2"


def test_agencies_by_service_best_rated_first_and_taken_away_as_a_qr(kiosk_app):
    import zxingcpp
    from PIL import Image
    app, ui = kiosk_app
    app.go("guides")
    ui.frames()
    ui.tap(ui.button("中介超市"))
    screen = app.sm.current_screen
    assert app.sm.current == "agencies"
    ratings = [float(i.badge.split()[-2]) for i in visible_items(ui)]
    assert ratings == sorted(ratings, reverse=True) and len(ratings) == 5
    ui.tap(ui.button("测绘"))
    items = visible_items(ui)
    assert {i.text for i in items} == {"菏泽禾源测绘有限公司（演示）", "山东鲁通地理信息有限公司菏泽分公司（演示）"}
    ui.tap(items[0])
    assert screen.view == "agency"
    assert "资质：[/b]测绘资质乙级" in screen.details and "承诺时限：[/b]5 个工作日" in screen.details
    qr = ui.find(cls_name="QRImage")[0]
    assert qr.data == screen.share and qr.texture is not None
    # what the phone reads is the agency's details, with the reminder that the terminal signs nothing
    import segno
    buf = io.BytesIO()
    segno.make(qr.data, error="m").save(buf, kind="png", scale=6)
    text = zxingcpp.read_barcodes(Image.open(io.BytesIO(buf.getvalue())).convert("L"))[0].text
    assert "菏泽禾源测绘有限公司" in text and "0530-5610001" in text and "不签合同" not in text
    assert "自己和中介机构联系、签合同" in text
    ui.tap(ui.button("看其他机构"))
    assert screen.view == "list"


def test_a_guide_leads_to_the_agencies_it_needs(kiosk_app):
    app, ui = kiosk_app
    app.go("agencies", agency="survey_heyuan")     # from one agency …
    ui.frames()
    app.go("guide_detail", code="HZ-ZR-001")
    ui.frames()
    ui.tap(ui.button("找中介"))                     # … to a matter's list: the list shows, laid out
    screen = app.sm.current_screen
    assert screen.title == "中介超市：不动产登记资料查询" and screen.view == "list"
    items = visible_items(ui)
    assert len(items) == 3 and all(i.badge.split()[0] in ("测绘", "评估") for i in items)
    bar = ui.find(cls_name="TopBar")[0]
    tabs = app.sm.current_screen.ids.tabs
    assert tabs.top <= bar.y + 1 and all(i.top <= tabs.y + 1 for i in items)   # laid out under the top bar
    app.go("guide_detail", code="HZ-RS-001")        # nothing to hire for a pension
    ui.frames()
    assert not app.sm.current_screen.has_agencies
