"""The app shell as a citizen meets it: attract -> home -> every tile, 长辈模式, timeout, kiosk lock."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity
from kiosk.services import SERVICES
from tests.ui.flow_helpers import strings_still_held

pytestmark = pytest.mark.ui


def test_start_button_leads_home(kiosk_app):
    app, ui = kiosk_app
    assert app.sm.current == "attract"
    ui.tap(ui.button("点这里开始"))
    assert app.sm.current == "home"
    titles = {t.text for t in ui.find(cls_name="ServiceTile")}
    assert titles == {s.title for s in SERVICES}, "every service on the first page"


@pytest.mark.parametrize("service", SERVICES, ids=[s.key for s in SERVICES])
def test_every_tile_opens_its_flow_or_says_it_is_not_built(kiosk_app, service):
    app, ui = kiosk_app
    app.home()
    ui.frames()
    home = app.sm.current_screen
    while not ui.find(text=service.title) and home.page < home.pages - 1:
        home.show_page(home.page + 1)    # more services than one page of tiles
        ui.frames()
    tile = ui.button(service.title)
    ui.tap(tile)
    if not tile.ready:
        assert app.sm.current == "coming_soon"
        shown = " ".join(w.text for w in ui.find(cls_name="Label"))
        assert f"「{service.title}」还在建设中" in shown
    else:
        assert app.sm.current in (service.screen, "identify")
    ui.tap(ui.button("首页"))
    assert app.sm.current == "home"


def test_elderly_switch_makes_text_and_targets_bigger(kiosk_app):
    app, ui = kiosk_app
    app.home()
    ui.frames()
    switch = ui.find(cls_name="ElderSwitch")[0]
    body, target = app.fs_body, app.target_h
    tiles_before = len(ui.find(cls_name="ServiceTile"))
    ui.tap(switch)
    assert app.elderly
    assert app.fs_body > body and app.target_h > target
    tiles = ui.find(cls_name="ServiceTile")
    assert len(tiles) >= tiles_before, "every service still on the one page (no second page to find)"
    assert not any(w.text == "下一页" and not w.disabled for w in ui.find(cls_name="BigButton"))
    assert min(t.height for t in tiles) >= app.target_h, "big tiles"
    assert any(w.text == "长辈模式：开" for w in ui.find(cls_name="Label"))
    ui.tap(ui.find(cls_name="ElderSwitch")[0])
    assert not app.elderly


def test_idle_warning_counts_down_and_more_time_keeps_the_session(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    app.home()
    clock = app.idle.clock
    clock.t += app.idle.timeout - app.idle.warning + 1
    ui.frames(20)
    warning = app._warning
    assert warning is not None and warning.parent is not None, "warning shown"
    assert 0 < app.idle_left <= app.idle.warning
    ui.tap(ui.button("我还需要时间", root=warning))
    assert warning.parent is None
    assert app.sm.current == "home" and app.session.identified


def _random_person():
    """Made up at run time, so that no source-code constant can contain it (tools keep those)."""
    import random
    from devices.checkdigit import id_check_char
    from kiosk.identity import Identity, IdentitySource
    rng = random.Random()
    name = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(3))
    first17 = "3717" + "".join(str(rng.randrange(10)) for _ in range(13))
    address = "菏泽市" + "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(6))
    return Identity(IdentitySource.ID_CARD, name, first17 + id_check_char(first17), details={"address": address})


def test_idle_timeout_wipes_everything_personal(kiosk_app):
    app, ui = kiosk_app
    person = _random_person()
    name, number, address = person.name, person.number, person.details["address"]
    app.identified(person)
    app.home()
    ui.frames()
    assert app.greeting == f"您好，{name[0]}*{name[2]}"
    app.idle.clock.t += app.idle.timeout + 1
    ui.frames(20)
    assert app.sm.current == "attract"
    assert app.session.is_empty() and app.greeting == ""
    # nothing personal left in any widget or in any container the process holds
    from screens.widgets.audit import walk
    for screen in app.sm.screens:
        for w in walk(screen):
            assert name not in str(getattr(w, "text", "")) and number not in str(getattr(w, "text", ""))
    leaks = strings_still_held((name, number, address))
    assert not leaks, f"personal data still held: {leaks[:5]}"


def test_escape_alt_f4_and_close_cannot_leave_under_kiosk_lock(kiosk_app):
    from kivy.base import EventLoop
    from kivy.core.window import Window
    app, ui = kiosk_app
    assert app.kiosk_lock
    assert Window.dispatch("on_keyboard", 27, 9, None, []) is True
    assert Window.dispatch("on_keyboard", 285, 70, None, ["alt"]) is True
    assert Window.dispatch("on_request_close") is True
    ui.frames(3)
    assert EventLoop.status == "started"
    assert app.sm.current == "attract"
