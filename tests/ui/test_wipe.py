"""After a visit through several flows, a wipe leaves the citizen nowhere: not in the session, not in a
flow's state, not in any screen's attributes or Kivy properties, not in any widget, not in any container
the process holds."""
from __future__ import annotations

import random

import pytest

from kiosk.identity import Identity, IdentitySource
from tests.ui.flow_helpers import strings_still_held

pytestmark = pytest.mark.ui


def _person(rng: random.Random) -> Identity:
    name = "".join(rng.choice("龚韦穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞") for _ in range(3))
    number = f"3717{rng.randrange(10**13, 10**14)}"
    return Identity(IdentitySource.ID_CARD, name, number,
                    details={"address": f"菏泽市牡丹区{rng.choice('东西南北')}{rng.randrange(100, 999)}号"})


def _screen_values(screen) -> list[str]:
    """Every string an instance holds in its own attributes and Kivy properties."""
    out = []
    for value in list(vars(screen).values()) + [screen.property(n).get(screen) for n in screen.properties()]:
        # type(), not isinstance(): a WeakProxy of a dead widget raises ReferenceError on isinstance()
        if type(value) is str:
            out.append(value)
        elif type(value) in (list, tuple, dict):
            out += [v for v in (value.values() if type(value) is dict else value) if type(v) is str]
    return out


def test_a_wipe_after_several_flows_leaves_no_trace(kiosk_app):
    app, ui = kiosk_app
    rng = random.Random()
    person = _person(rng)
    phone = f"13{rng.randrange(5, 9)}{rng.randrange(10**7, 10**8)}"
    note = "窗口" + "".join(rng.choice("甲乙丙丁戊己庚辛壬癸") for _ in range(6))
    secrets = (person.name, person.number, person.details["address"], phone, note)
    app.identified(person)

    app.go("apply", matter="")
    apply = app.screen("apply")
    apply.choose_matter(apply.flow.submittable()[0].code)
    apply.next_step()
    ui.frames(3)
    for digit in phone:
        ui.tap(ui.button(digit))
    assert apply.flow.state.phone == phone
    app.go("postal")
    postal = app.screen("postal")
    postal.flow.choose("what", "deliver_result")
    postal.flow.set_phone(phone)
    postal.flow.go_to("confirm")
    postal.refresh()
    app.go("complaint")
    complaint_screen = app.screen("complaint")
    complaint = complaint_screen.flow
    complaint.choose_problem("attitude")
    complaint.choose_place("this_hall")
    complaint.choose_name("named")
    complaint.set_phone(phone)
    complaint.set_note(note)
    assert complaint.next() and complaint.step.key == "review"   # 看一遍: the note shown in big type
    complaint_screen.refresh()
    ui.frames(3)
    assert any(note in str(w.text) for w in ui.find(root=complaint_screen, cls_name="ReviewWords"))
    app.go("guide_search", query="shebao")
    ui.frames(3)
    # during the visit too, what the citizen gave or typed is in the session and the flows, shown by widgets,
    # never kept in a screen's own attributes or properties
    for screen in app.sm.screens:
        held = [v for v in _screen_values(screen) if any(s in v for s in secrets + ("shebao",))]
        assert not held, f"{screen.name} holds {held[:3]} in its own attributes"

    app.end_session()
    ui.frames(5)
    assert app.sm.current == "attract" and app.session.is_empty()
    for screen in app.sm.screens:
        held = [v for v in _screen_values(screen) if any(s in v for s in secrets)]
        assert not held, f"{screen.name} still holds {held[:3]}"
        from screens.widgets.audit import walk
        for w in walk(screen):
            text = str(getattr(w, "text", ""))
            assert not any(s in text for s in secrets), f"a widget of {screen.name} still shows {text[:30]}"
    leaks = strings_still_held(secrets)
    assert not leaks, f"personal data still held: {leaks[:5]}"
