"""免申即享 on the home screen: a made-up 82-year-old from a village lays her ID card on the simulated reader
and sees 高龄津贴 first, by name, in both modes; 为什么我能享受 says which rules matched; one tap on 确认领取
(on home or under the reasons) stores the claim and shows the receipt; a wipe leaves no card behind."""
from __future__ import annotations

import dataclasses

import pytest

from kiosk.demo import demo_elder_identity

pytestmark = pytest.mark.ui


def _labels(ui, root):
    return [w.text for w in ui.find(root=root) if type(w).__name__ in ("Label", "KLabel") and w.text]


def _elder_card(idcard):
    """刘桂英's ID card (kiosk.demo.demo_elder_identity, whom the demo platform knows), with a demo photo."""
    who = demo_elder_identity()
    card = idcard.sim.cards["resident_elder"]
    return dataclasses.replace(card, name=who.name, sex="女", nation="汉", birth="1944-05-12",
                               address=who.details["address"], id_number=who.number, authority="曹县公安局")


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_an_80_year_old_from_a_village_sees_elderly_allowance_first(kiosk_app, elderly):
    app, ui = kiosk_app
    app.elderly = elderly
    idcard = app.hub.get("idcard")
    ui.wait_until(lambda: idcard.status().state.value == "online")
    try:
        idcard.present(_elder_card(idcard))
        ui.wait_until(lambda: app.sm.current == "home", timeout=15)
    finally:
        idcard.remove()
    assert app.session.identity.details["address"].startswith("山东省菏泽市曹县")
    home = app.sm.current_screen
    # the platform's facts arrive off the UI thread; 高龄津贴 needs none and is there from the start
    ui.wait_until(lambda: app.terminal.current_flow("benefits").asked)
    ui.frames(3)
    # left to right, top to bottom: what the citizen reads first
    cards = sorted(ui.find(root=home.ids.band, cls_name="BenefitCard"), key=lambda c: (-c.top, c.x))
    assert cards and cards[0].policy_id == "elderly_allowance"
    first = " ".join(_labels(ui, cards[0]))
    assert "高龄津贴" in first and "示例金额" in first and "80岁以上的老人每月能领一笔高龄津贴" in first
    ui.button("为什么我能享受", root=cards[0])
    if elderly:
        # 长辈模式: the biggest one by name, its one sentence, 为什么我能享受, and 看全部 for the rest
        assert len(cards) == 1 and "您可能可以享受：高龄津贴" in _labels(ui, cards[0])
        assert any(b.text.startswith("看全部") for b in ui.find(root=cards[0], cls_name="BigButton"))
        assert {"help", "appointment", "postal", "complaint"} <= {t.key for t in ui.find(cls_name="ServiceTile")}
        ui.tap(ui.button("确认领取", root=cards[0]))       # one tap on home: stored, the receipt follows
    else:
        assert len(cards) == 2
        ui.tap(ui.button("为什么我能享受", root=cards[0]))
        assert app.sm.current == "benefits"
        words = _labels(ui, app.sm.current_screen.ids.body)
        assert "符合：您已经满80周岁了。" in words and "符合：您的户口在菏泽市。" in words
        ui.tap(ui.button("确认领取"))                       # one tap under the reasons
    ui.wait_until(lambda: app.sm.current == "receipt")
    assert app.sm.current_screen.note == "已经替您确认领取。审核通过后按时发到您的社保卡上。"
    # back home, the card says it is done instead of offering the same claim again
    app.home()
    ui.frames(3)
    card = next(c for c in ui.find(root=home.ids.band, cls_name="BenefitCard") if c.policy_id == "elderly_allowance")
    done = ui.button("已经确认领取了", root=card)
    assert done.disabled and not any(b.text == "确认领取" for b in ui.find(root=card, cls_name="BigButton"))

    app.end_session()
    ui.frames(3)
    assert not home.ids.band.children
