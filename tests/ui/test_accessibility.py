"""Accessibility audit of every screen (and the timeout warning) in normal and 长辈模式.

Fails on a touch target below 44 dp (normal) / 60 dp (elderly), text below the minimum size, a
main function below its minimum size, or text contrast below the minimum; prints the findings as a table.
"""
from __future__ import annotations


import pytest

from screens import SCREENS

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
@pytest.mark.timeout(900)   # every tour state of every screen, drawn and audited
def test_every_screen_meets_the_minimums(kiosk_app, elderly, capsys):
    from screens.tour import all_tour_states, show_state
    from screens.widgets.audit import audit, table
    app, ui = kiosk_app
    findings = []
    visited = 0
    for name, suffix, state in all_tour_states():
        app.end_session()
        app.elderly = elderly
        show_state(app, name, state)
        ui.frames(4)
        findings += audit(app, roots=[app.sm.current_screen], screen_name=name + suffix)
        visited += 1
    app.go("home")
    app._show_warning()
    ui.frames(4)
    findings += audit(app, roots=[app._warning], screen_name="timeout-warning")
    app._hide_warning()
    with capsys.disabled():
        print(f"\naccessibility audit ({'elderly' if elderly else 'normal'}): {visited} screen states, "
              f"{len(findings)} findings")
        if findings:
            print(table(findings))
    assert visited >= len(SCREENS)
    assert not findings, table(findings)


def test_audit_catches_a_tiny_button(kiosk_app):
    """The audit itself must be able to fail."""
    from kivy.factory import Factory
    from screens.widgets.audit import audit
    app, ui = kiosk_app
    app.home()
    ui.frames()
    tiny = Factory.BigButton(text="小", size_hint=(None, None), size=(30, 30))
    tiny.ids  # noqa: B018
    app.sm.current_screen.add_widget(tiny)
    ui.frames(2)
    try:
        rules = {f.rule for f in audit(app, roots=[app.sm.current_screen])}
    finally:
        app.sm.current_screen.remove_widget(tiny)
    assert "touch target (dp)" in rules
