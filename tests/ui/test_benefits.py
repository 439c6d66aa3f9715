"""免申即享 on the home screen: a made-up 80-year-old from a village identifies and sees 高龄津贴 first,
taps 为什么我能享受, confirms with one tap and gets a receipt; a wipe leaves no card behind."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_elder_identity

pytestmark = pytest.mark.ui


def _labels(ui, root):
    return [w.text for w in ui.find(root=root) if type(w).__name__ in ("Label", "KLabel") and w.text]


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_an_80_year_old_from_a_village_sees_elderly_allowance_first(kiosk_app, elderly):
    app, ui = kiosk_app
    app.elderly = elderly
    app.identified(demo_elder_identity())
    app.go("home")
    home = app.sm.current_screen
    # the platform's facts arrive off the UI thread; 高龄津贴 needs none and is there from the start
    ui.wait_until(lambda: app.terminal.current_flow("benefits").asked)
    ui.frames(3)
    if elderly:
        # 长辈模式: one tile before the services (all on one page), the biggest benefit named in it
        tiles = sorted(ui.find(cls_name="ServiceTile"), key=lambda c: (-c.top, c.x))
        assert tiles[0].key == "benefits" and tiles[0].text.startswith("您可能可以享受") and "高龄津贴" in tiles[0].hint
        assert {"help", "appointment", "postal", "complaint"} <= {t.key for t in tiles}
        ui.tap(tiles[0])
        assert app.sm.current == "benefits"
        ui.wait_until(lambda: any(b.text.startswith("高龄津贴") for b in ui.find(cls_name="BigButton")))
        ui.frames(10)       # laid out, and made to fit (a page has as many rows as the screen has room for)
        first = [b for b in ui.find(cls_name="BigButton") if b.text.startswith("高龄津贴")]
        ui.tap(first[0])     # the list is sorted biggest first; a tap says why
    else:
        # left to right, top to bottom: what the citizen reads first
        cards = sorted(ui.find(root=home.ids.band, cls_name="BenefitCard"), key=lambda c: (-c.top, c.x))
        assert cards and cards[0].policy_id == "elderly_allowance"
        first = " ".join(_labels(ui, cards[0]))
        assert "高龄津贴" in first and "示例金额" in first
        assert len(cards) == 2
        ui.tap(ui.button("为什么我能享受", root=cards[0]))
    assert app.sm.current == "benefits"
    words = _labels(ui, app.sm.current_screen.ids.body)
    assert "符合：您已经满80周岁了。" in words and "符合：您的户口在菏泽市。" in words

    ui.tap(ui.button("确认领取"))
    assert app.terminal.current_flow("benefits").step.key == "confirm"
    ui.tap(ui.button("确认领取"))
    ui.wait_until(lambda: app.sm.current == "receipt")

    app.end_session()
    ui.frames(3)
    assert not home.ids.band.children
    assert not any(t.key == "benefits" for t in ui.find(root=home, cls_name="ServiceTile"))
