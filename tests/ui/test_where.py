"""在哪里办 as a citizen uses it: from a guide to the nearest places, one place with its route QR and the
hall's floor plan, back to the list; 找办事地点 from 办事指南; fewer places per page in 长辈模式."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.ui.flow_helpers import visible_items

pytestmark = pytest.mark.ui


def test_from_a_guide_to_the_nearest_places_and_the_route(kiosk_app):
    app, ui = kiosk_app
    app.go("guide_detail", code="HZ-GA-001")
    ui.frames()
    ui.tap(ui.button("在哪里办"))
    screen = app.sm.current_screen
    assert app.sm.current == "where" and screen.title == "在哪里办：居民身份证换领"
    items = visible_items(ui)
    # the demo terminal stands in the city hall: it comes first, then the nearest by distance
    assert [i.text for i in items][:2] == ["1. 菏泽市政务服务中心", "2. 牡丹区政务服务中心"]
    assert items[0].hint.startswith("就在这里") and items[1].hint.startswith("约 3.9 公里")
    assert all(("现在开门" in i.hint) or ("现在没开门" in i.hint) for i in items)
    assert len(items) == 4 and screen.pages == 2          # 8 places issue ID cards, 4 a page
    assert screen.ids.picture.texture is not None          # the map, drawn on the terminal
    ui.tap(items[0])
    assert screen.view == "place"
    assert "请到 A01 号窗口" in screen.details and "帮办代办：有" in screen.details
    assert "大厅平面图" in screen.picture_words and screen.has_plan
    qr = ui.find(cls_name="QRImage")[0]
    assert qr.data == screen.route and qr.texture is not None
    to = parse_qs(urlparse(screen.route).query)["to"][0].split(",")
    assert (float(to[1]), float(to[0])) == (35.2436, 115.4695)
    ui.tap(ui.button("看其他地方"))
    items = visible_items(ui)
    assert screen.view == "list" and len(items) == 4
    assert items[0].top <= ui.find(cls_name="TopBar")[0].y + 1     # laid out again under the top bar


def test_a_theme_guide_asks_where_too(kiosk_app):
    """在哪里办 from a 一件事 guide: the places where all of its matters are done, and the window of the first."""
    app, ui = kiosk_app
    app.go("guide_detail", theme="newborn")
    ui.frames()
    ui.tap(ui.button("在哪里办"))
    screen = app.sm.current_screen
    assert app.sm.current == "where" and screen.title == "在哪里办：新生儿出生一件事"
    assert "这几件事一次都能办" in screen.heading
    newborn = next(t for t in app.library.pack.themes if t.id == "newborn")
    listed = [n.place for n in screen.nearby]
    assert listed and all(all(p.offers(c) for c in newborn.matters) for p in listed)
    assert [i.text.split(". ", 1)[1] for i in visible_items(ui)] == [p.name for p in listed][:len(visible_items(ui))]


def test_a_village_point_shows_the_map_instead_of_a_floor_plan(kiosk_app):
    app, ui = kiosk_app
    app.go("where", code="HZ-MZ-001", place="zhangzhuang_village")
    ui.frames()
    screen = app.sm.current_screen
    assert screen.view == "place" and not screen.has_plan and screen.picture_words.startswith("地图")
    assert "窗口" not in screen.details and "约 9.4 公里" in screen.details


def test_find_a_place_from_the_guides_and_fewer_per_page_for_elders(kiosk_app):
    app, ui = kiosk_app
    app.go("guides")
    ui.frames()
    ui.tap(ui.button("找办事地点"))
    screen = app.sm.current_screen
    assert app.sm.current == "where" and screen.title == "政务服务网点"
    assert len(screen.nearby) == len(app.library.pack.places)
    app.elderly = True
    ui.frames(3)
    assert len(visible_items(ui)) == 3
    ui.tap(ui.button("下一页"))
    assert screen.page == 1 and visible_items(ui)[0].text.startswith("4. ")
