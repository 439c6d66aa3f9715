"""政务服务地图: the demo pack's places, nearest-first ordering, open now by the terminal's clock (lunch
break, weekend, holidays note), the route link in the QR code, the pictures, and lint errors of broken places."""
from __future__ import annotations

import io
import os
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import zxingcpp
from PIL import Image

from kiosk.guides.draw_map import floor_plan_png, map_png
from kiosk.guides.lint import errors_only, lint_pack
from kiosk.guides.loader import load_pack
from kiosk.guides.places import Hours, Opening, parse_days, parse_times
from kiosk.guides.share import qr_png
from kiosk.service_map import ServiceMap, distance_km, parse_position

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "config" / "content"
CITY_HALL = (35.2436, 115.4695)
VILLAGE = (35.3105, 115.5330)                     # 吴店镇张庄村
MON_10 = datetime(2026, 11, 30, 10, 0)           # 30 November 2026 is a Monday


@pytest.fixture(scope="module")
def pack():
    return load_pack(PACK)


def test_the_demo_pack_has_all_four_levels_with_floor_plans_for_the_halls(pack):
    levels = {p.level for p in pack.places}
    assert levels == {"city", "county", "township", "village"}
    for p in pack.places:
        assert p.name and p.address and p.phone and p.hours.spans and p.matters
        assert 34 < p.lat < 36 and 114 < p.lon < 117, p.id      # in Heze
        if p.level in ("city", "county"):
            assert p.plan is not None and p.plan.windows, p.id
            for code in p.matters:                               # every matter has its window
                assert p.plan.window_for(code) is not None, (p.id, code)
    assert errors_only(lint_pack(PACK)) == []


def test_distance_is_great_circle_kilometres():
    assert distance_km(*CITY_HALL, *CITY_HALL) == 0
    # one degree of latitude is about 111.2 km everywhere
    assert distance_km(35.0, 115.0, 36.0, 115.0) == pytest.approx(111.2, abs=0.2)
    # a degree of longitude at 35°N is shorter: 111.2 * cos(35°) ≈ 91.1 km
    assert distance_km(35.0, 115.0, 35.0, 116.0) == pytest.approx(91.1, abs=0.3)


def test_nearest_first_from_a_village_terminal(pack):
    smap = ServiceMap(pack.places, VILLAGE, here="zhangzhuang_village")
    near = smap.nearest("HZ-MZ-001", when=MON_10)
    assert near[0].place.id == "zhangzhuang_village" and near[0].here and near[0].distance_text == "就在这里"
    kms = [n.km for n in near[1:]]
    assert kms == sorted(kms)
    assert all(n.place.offers("HZ-MZ-001") for n in near)
    # the village point does not issue ID cards: the nearest for that is the township centre, 2.2 km away
    idcard = smap.nearest("HZ-GA-001", when=MON_10, limit=3)
    assert [n.place.id for n in idcard][:1] == ["wudian_town"] and idcard[0].distance_text == "约 2.2 公里"
    assert len(idcard) == 3 and all(n.place.level != "village" for n in idcard)
    # from the city hall, the hall itself first, then by distance
    city = ServiceMap(pack.places, CITY_HALL, here="city_hall").nearest("HZ-GA-001", when=MON_10)
    assert city[0].place.id == "city_hall" and city[1].place.id == "mudan_hall"
    # no matter given: every place
    assert len(smap.nearest("", when=MON_10)) == len(pack.places)


def test_a_theme_goes_where_all_of_its_matters_are_done(pack):
    """一件事 (新生儿出生: 户口, 医保, 生育登记) is done in one place: only places that offer every one of its matters."""
    smap = ServiceMap(pack.places, VILLAGE, here="zhangzhuang_village")
    newborn = next(t for t in pack.themes if t.id == "newborn")
    both = smap.nearest(codes=tuple(newborn.matters), when=MON_10)
    assert both and all(all(n.place.offers(c) for c in newborn.matters) for n in both)
    kms = [n.km for n in both]
    assert kms == sorted(kms)
    for code in newborn.matters:          # never more places than for any one of its matters
        assert {n.place.id for n in both} <= {n.place.id for n in smap.nearest(code, when=MON_10)}
    assert len(both) < len(smap.nearest(newborn.matters[0], when=MON_10)) or \
        all(p.offers(c) for p in pack.places if p.offers(newborn.matters[0]) for c in newborn.matters)


def test_open_now_by_the_clock_lunch_break_and_weekend():
    hours = Hours([Opening((0, 1, 2, 3, 4), 9 * 60, 12 * 60), Opening((0, 1, 2, 3, 4), 13 * 60 + 30, 17 * 60 + 30),
                   Opening((5,), 9 * 60, 12 * 60)])
    at = lambda d, h, m=0: datetime(2026, 11, d, h, m)   # noqa: E731  (30 Nov = Monday, 28 = Sat, 29 = Sun)
    assert hours.status(at(30, 10)) == (True, "现在开门，12:00 午休")
    assert hours.status(at(30, 11, 59)) == (True, "现在开门，12:00 午休")
    assert hours.status(at(30, 12, 0)) == (False, "现在没开门，13:30 开门")     # lunch break
    assert hours.status(at(30, 13, 30)) == (True, "现在开门，17:30 下班")
    assert hours.status(at(30, 8, 59)) == (False, "现在没开门，9:00 开门")
    assert hours.status(at(30, 17, 30)) == (False, "现在没开门，明天 9:00 开门")
    assert hours.status(at(28, 10)) == (True, "现在开门，12:00 下班")          # Saturday morning only
    assert hours.status(at(28, 12, 30)) == (False, "现在没开门，周一 9:00 开门")
    assert hours.status(at(29, 10)) == (False, "现在没开门，明天 9:00 开门")   # Sunday
    assert hours.text == "周一至五 9:00–12:00、13:30–17:30；周六 9:00–12:00"
    assert Hours([]).status(at(30, 10)) == (False, "现在没开门")


def test_the_demo_places_follow_the_terminal_clock(pack):
    smap = ServiceMap(pack.places, CITY_HALL, here="city_hall")
    lunch = {n.place.id: n.is_open for n in smap.nearest("", when=datetime(2026, 11, 30, 12, 45))}
    # county halls open again at 13:00, the city hall at 13:30: at 12:45 all are closed
    assert not any(lunch.values())
    at_1315 = {n.place.id: n for n in smap.nearest("", when=datetime(2026, 11, 30, 13, 15))}
    assert at_1315["mudan_hall"].is_open and not at_1315["city_hall"].is_open
    assert at_1315["city_hall"].status == "现在没开门，13:30 开门"
    saturday = {n.place.id: n.is_open for n in smap.nearest("", when=datetime(2026, 11, 28, 10, 0))}
    assert saturday["city_hall"] and not saturday["mudan_hall"] and saturday["zhangzhuang_village"]


def test_days_and_times_parse_or_say_why():
    assert parse_days("mon-fri") == (0, 1, 2, 3, 4) and parse_days("mon,wed,sat") == (0, 2, 5)
    assert parse_times("9:00-12:00, 13:30-17:00") == [(540, 720), (810, 1020)]
    for bad in ("fri-mon", "monday", ""):
        with pytest.raises(ValueError):
            parse_days(bad)
    for bad in ("9-12", "13:00-12:00", "9:00-25:00"):
        with pytest.raises(ValueError):
            parse_times(bad)


def test_the_qr_code_opens_the_route_to_the_destination_coordinates(pack):
    smap = ServiceMap(pack.places, VILLAGE, here="zhangzhuang_village", terminal_name="张庄村自助机")
    hall = smap.place("city_hall")
    url = smap.route_url(hall)
    parsed = urlparse(url)
    assert parsed.scheme == "https" and parsed.netloc == "uri.amap.com" and parsed.path == "/navigation"
    q = parse_qs(parsed.query)
    lon, lat, name = q["to"][0].split(",")
    assert (float(lat), float(lon)) == (hall.lat, hall.lon) and unquote(name) == "菏泽市政务服务中心"
    flon, flat, fname = q["from"][0].split(",")
    assert (float(flat), float(flon)) == VILLAGE and fname == "张庄村自助机"
    assert q["coordinate"] == ["wgs84"]
    # what a phone's camera reads from the code on the screen is exactly that link
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))).convert("L"))
    assert decoded and decoded[0].text == url
    # another map app: the template is configuration
    geo = ServiceMap(pack.places, VILLAGE, route_template="geo:{lat},{lon}?q={lat},{lon}({name})")
    assert geo.route_url(hall).startswith("geo:35.243600,115.469500?q=")


def test_position_setting_is_checked(pack, tmp_path):
    from kiosk.settings import load_settings
    assert parse_position("35.2436, 115.4695") == CITY_HALL
    for bad in ("", "35.2", "north, east", "135, 300"):
        with pytest.raises(ValueError):
            parse_position(bad)
    village = load_settings(env={}, overrides={("terminal", "position"): "35.3105, 115.5330",
                                               ("terminal", "place"): "zhangzhuang_village"})
    smap = ServiceMap.from_settings(village, pack.places)
    assert smap.position == VILLAGE and smap.here == "zhangzhuang_village"
    # a mistyped position: the place the terminal stands in stands for it, no crash
    typo = load_settings(env={}, overrides={("terminal", "position"): "35.3105; 115.5330",
                                            ("terminal", "place"): "zhangzhuang_village"})
    assert ServiceMap.from_settings(typo, pack.places).position == VILLAGE


def test_staff_see_a_bad_map_setting_in_config(data_dir, pack):
    """`run_kiosk.py config` names a mistyped position and a route link with an unknown placeholder (exit 1);
    the terminal meanwhile uses the place's position and the default link, never a KeyError on a tap."""
    import json
    import subprocess
    import sys
    env = {**os.environ, "KIOSK_TERMINAL_POSITION": "35.3; 115", "KIOSK_MAP_ROUTE_URL": "geo:{lat},{lng}"}
    shown = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data_dir), "config", "--json"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    problems = json.loads(shown.stdout)["problems"]
    assert shown.returncode == 1 and len(problems) == 2, shown.stdout
    assert "35.3; 115" in problems[0] and "lng" in problems[1]
    plain = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data_dir), "config"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert plain.stdout.startswith("# 设置有误：")
    from kiosk.settings import load_settings
    bad = load_settings(env={}, overrides={("map", "route_url"): "geo:{lat},{lng}"})
    smap = ServiceMap.from_settings(bad, pack.places)
    assert smap.route_url(smap.places[0]).startswith("https://uri.amap.com/")
    good = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data_dir), "config", "--json"],
                          cwd=ROOT, env={k: v for k, v in env.items() if not k.startswith("KIOSK_")},
                          capture_output=True, text=True, timeout=60)
    assert good.returncode == 0 and json.loads(good.stdout)["problems"] == []


def test_pictures_are_drawn_offline(pack):
    smap = ServiceMap(pack.places, VILLAGE, here="zhangzhuang_village")
    near = [n.place for n in smap.nearest("HZ-GA-001", when=MON_10, limit=4)]
    im = Image.open(io.BytesIO(map_png(pack.places, VILLAGE, numbered=near)))
    assert im.size == (960, 760)
    red = sum(1 for px in im.convert("RGB").getdata() if px == (205, 40, 40))   # the 您在这里 pin and words
    assert red > 200
    hall = smap.place("city_hall")
    plan = Image.open(io.BytesIO(floor_plan_png(hall, "HZ-GA-001", here=True))).convert("RGB")
    orange = sum(1 for px in plan.getdata() if px == (230, 120, 0))            # the ringed window and the way
    assert orange > 1000
    with pytest.raises(ValueError):
        floor_plan_png(smap.place("zhangzhuang_village"), "HZ-MZ-001")


@pytest.mark.parametrize("old, new, message", [
    ("level: county", "level: district", "level 'district' should be one of"),
    ("position: [35.2585, 115.431]", "position: [115.431, 35.2585]", "is not [latitude, longitude]"),
    ('times: "9:00-12:00, 13:00-17:00"', 'times: "9:00-12:00, 13:00-5:00"', "do not make a span of one day"),
    ("days: mon-fri", "days: weekdays", "should be like mon-fri"),
    ("matters: [HZ-GA-001,", "matters: [HZ-XX-999,", "matter HZ-XX-999 is not in the pack"),
    ('at: [34, 16]', 'at: [44, 16]', "is outside the floor plan"),
    ("label: 医保, matters: [HZ-YB-001", "label: 医保, matters: [HZ-ZZ-001", "which the place does not list"),
])
def test_lint_names_the_file_and_line_of_a_broken_place(pack_copy, old, new, message):
    root = pack_copy
    path = root / "places" / "02_mudan_hall.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = errors_only(lint_pack(root))
    hits = [e for e in errors if message in e.message]
    assert hits, errors
    assert hits[0].file == "places/02_mudan_hall.yaml" and hits[0].line == line


def test_lint_warns_about_a_hall_without_floor_plan_and_refuses_duplicate_ids(pack_copy):
    root = pack_copy
    text = (root / "places" / "03_dingtao_hall.yaml").read_text(encoding="utf-8")
    (root / "places" / "03_dingtao_hall.yaml").write_text(text[:text.index("floor_plan:")], encoding="utf-8")
    shutil.copy(root / "places" / "09_zhangzhuang_village.yaml", root / "places" / "12_copy.yaml")
    problems = lint_pack(root)
    assert any(p.severity == "warning" and "should have a floor_plan" in p.message for p in problems)
    assert any(p.severity == "error" and "place id 'zhangzhuang_village' is also used" in p.message
               and p.file == "places/12_copy.yaml" for p in problems)
