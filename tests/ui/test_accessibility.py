"""Accessibility audit of every screen (and the timeout warning) in normal and 长辈模式.

Fails on a touch target below 44 dp (normal) / 60 dp (elderly), text below the minimum size, a
main function below its minimum size, text contrast below the minimum, text wider or taller than its
box, greyed controls under 3:1, shortened text ("…"), things drawn over each other, things out of the
window, content hidden below a scroll (a scroll is not a paging control), a line that starts with closing
punctuation and pictures smaller in 长辈模式 than in normal mode; prints the findings as a table. Portrait:
tests/e2e/test_tour.py. A rule that some states still break can be computed but not reported yet (PENDING_RULES,
none at present); `run_kiosk.py tour DIR --audit-pending` lists those.
"""
from __future__ import annotations


import pytest

from screens import SCREENS

pytestmark = pytest.mark.ui
PICTURES: dict[str, dict[str, float]] = {}   # state -> picture sizes seen in normal mode (for the 长辈模式 run)


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
@pytest.mark.timeout(900)   # every tour state of every screen, drawn and audited
def test_every_screen_meets_the_minimums(kiosk_app, elderly, capsys):
    from screens.tour import all_tour_states, show_state
    from screens.widgets.audit import audit, compare_pictures, picture_sizes, table
    app, ui = kiosk_app
    findings = []
    visited = 0
    for name, suffix, state in all_tour_states():
        app.end_session()
        app.elderly = elderly
        show_state(app, name, state)
        ui.frames(4)
        findings += audit(app, roots=[app.sm.current_screen], screen_name=name + suffix)
        sizes = picture_sizes([app.sm.current_screen])
        if not elderly:
            PICTURES[name + suffix] = sizes
        elif name + suffix in PICTURES:
            findings += compare_pictures(name + suffix, PICTURES[name + suffix], sizes)
        visited += 1
    app.end_session()
    app.elderly = elderly
    app.go("home")
    # the warning as it really opens: nobody touched anything for a while (a warning shown by hand is hidden
    # again by the next idle tick, and a hidden one is not where a person would see it)
    app.idle.clock.t += app.idle.timeout - app.idle.warning + 1
    ui.wait_until(lambda: app._warning is not None and app._warning.parent is not None)
    ui.frames(4)
    assert app._warning.parent is not None and app.idle_left > 0
    findings += audit(app, roots=[app._warning], screen_name="timeout-warning")
    app.idle.touch()
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


def test_audit_sees_what_a_person_sees(kiosk_app):
    """The new rules can fail too: a shortened label, a line that starts with "。", two labels drawn over
    each other, a list taller than its scroll, a pale greyed button and a picture smaller in 长辈模式 (the
    rules still pending report only when asked for)."""
    from kivy.factory import Factory
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.scrollview import ScrollView
    from screens.widgets.audit import PENDING_RULES, audit, compare_pictures
    app, ui = kiosk_app
    app.home()
    ui.frames()
    stage = FloatLayout(size_hint=(None, None), size=(800, 600), pos=(100, 100))
    short = Factory.Label(text="一二三四五六七八九十一二三四五六七八九十", font_size=40, shorten=True,
                          size_hint=(None, None), size=(300, 60), pos=(100, 600), color=(0, 0, 0, 1))
    short.text_size = short.size
    a = Factory.Label(text="重叠的字", font_size=40, size_hint=(None, None), size=(300, 60), pos=(100, 500),
                      color=(0, 0, 0, 1))
    b = Factory.Label(text="重叠的字", font_size=40, size_hint=(None, None), size=(300, 60), pos=(120, 510),
                      color=(0, 0, 0, 1))
    scroll = ScrollView(size_hint=(None, None), size=(300, 100), pos=(500, 500))
    scroll.add_widget(Factory.Widget(size_hint=(1, None), height=400))
    # Chinese is broken properly (screens/widgets/cjk_wrap.py), so a line that starts with "。" is written so here
    orphan = Factory.Label(text="一二三四五六七八\n。九十", font_size=40, size_hint=(None, None),
                           size=(400, 120), pos=(100, 300), color=(0, 0, 0, 1))
    orphan.text_size = orphan.size
    grey = Factory.BigButton(text="灰", size_hint=(None, None), size=(200, 100), pos=(500, 300), disabled=True,
                             opacity=0.3)
    for w in (short, a, b, scroll, orphan, grey):
        stage.add_widget(w)
    app.sm.current_screen.add_widget(stage)
    ui.frames(3)
    try:
        found = audit(app, roots=[stage], pending=True)
        switched_on = audit(app, roots=[stage])
    finally:
        app.sm.current_screen.remove_widget(stage)
    rules = {f.rule for f in found}
    assert {"shortened text (…)", "drawn over each other (px)", "content out of view, no paging control (px)",
            "greyed control contrast (:1)", "line starts with closing punctuation"} <= rules, rules
    assert {f.rule for f in switched_on} == rules - PENDING_RULES     # a pending rule is only computed
    assert compare_pictures("x", {"check.png": 120.0}, {"check.png": 90.0})           # switched on
    assert not compare_pictures("x", {"check.png": 120.0}, {"check.png": 121.0})


def test_audit_sees_a_qr_code_shrink_and_a_label_out_of_the_window(kiosk_app):
    """A QR code drawn from data (no file) is measured too, a button's picture apart from the same picture
    elsewhere, and a label that runs past the window's edge is
    out of the window, but one scrolled out of its ScrollView is not (that is content out of view)."""
    from kivy.core.window import Window
    from kivy.factory import Factory
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.scrollview import ScrollView
    from screens.widgets.audit import audit, picture_sizes
    from screens.widgets.qr_image import QRImage
    app, ui = kiosk_app
    app.home()
    ui.frames()
    stage = FloatLayout(size_hint=(None, None), size=Window.size, pos=(0, 0))
    qr = QRImage(data="HZ0001-20261127-0007", fit_mode="contain", size_hint=(None, None), size=(300, 300),
                 pos=(100, 100))
    edge = Factory.Label(text="跑出窗口的字", font_size=40, size_hint=(None, None), size=(400, 60),
                         pos=(Window.width - 150, 500), color=(0, 0, 0, 1))
    scroll = ScrollView(size_hint=(None, None), size=(400, 200), pos=(500, 100))
    column = Factory.BoxLayout(orientation="vertical", size_hint_y=None, height=Window.height * 2)
    column.add_widget(Factory.Label(text="滚走的字", font_size=40, color=(0, 0, 0, 1)))
    scroll.add_widget(column)
    ticked = Factory.BigButton(text="提交", picto="check", size_hint=(None, None), size=(300, 100), pos=(100, 700))
    for w in (qr, edge, scroll, ticked):
        stage.add_widget(w)
    app.sm.current_screen.add_widget(stage)
    ui.frames(3)
    try:
        sizes = picture_sizes([stage])
        out = [f.widget for f in audit(app, roots=[stage], pending=True) if f.rule == "out of the window (px)"]
    finally:
        app.sm.current_screen.remove_widget(stage)
    assert sizes.get("QR code", 0) > 250, sizes
    assert "check.png on BigButton" in sizes and "check.png" not in sizes, sizes   # a button's picture by its kind
    assert any("跑出窗口的字" in w for w in out), out
    assert not any("滚走的字" in w for w in out), out


def test_no_line_starts_with_closing_punctuation():
    """Chinese line breaking (screens/widgets/cjk_wrap.py): the character before a closing mark goes down
    with it, and one character is never left alone on the last line."""
    from screens.widgets.cjk_wrap import starts_badly, wrap_paragraph

    def measure(s):
        return 30 * len(s)
    for text, width in (("这是一个很长的句子，办事指南里看完。", 240), ("请点一下「下一步」。然后等一会儿。", 270),
                        ("材料放在灯下，机器会自己拍，拍好了会响一声。", 300)):
        lines = wrap_paragraph(text, width, measure)
        assert "".join(lines) == text
        assert all(measure(line) <= width + 30 for line in lines)
        assert not any(starts_badly(line) for line in lines[1:]), lines
        assert len([c for c in lines[-1] if c not in "，。"]) > 1, lines


def test_markup_text_breaks_as_plain_text_does(kiosk_app):
    """A markup label (guide_detail's facts: bold headings) is broken by the same rules: Kivy's own breaking put
    "。" first on the second line of this label, and moved a long value under its heading."""
    from kivy.factory import Factory
    from screens.widgets.audit import audit
    from screens.widgets.cjk_wrap import prewrap_markup, starts_badly

    def extents_for(style):
        return lambda s: (33 if style[0] else 30) * len(s)
    assert prewrap_markup("[b]一二三四五六七八九十[/b]。", 300, extents_for) == "[b]一二三四五六七八\n九十[/b]。"
    assert prewrap_markup("[b]依据：[/b]《一二三四五六七》；《八九十》", 330, extents_for) == \
        "[b]依据：[/b]《一二三四五六\n七》；《八九十》"          # not "依据：" alone, and "》；" not first
    assert prewrap_markup("&bl;注&br; [color=#ff0000]一二三四五六七八九十[/color]。", 300, extents_for) == \
        "&bl;注&br; [color=#ff0000]一二三四五六\n七八九十[/color]。"
    assert prewrap_markup("[size=40]一二三四五六七八九十一二[/size]", 300, extents_for) == \
        "[size=40]一二三四五六七八九十一二[/size]"               # another size: left to Kivy
    app, ui = kiosk_app
    app.home()
    ui.frames()
    label = Factory.Label(text="[b]一二三四五六七八九十[/b]。", markup=True, font_size=40, size_hint=(None, None),
                          size=(400, 120), pos=(100, 300), color=(0, 0, 0, 1))
    label.text_size = label.size
    app.sm.current_screen.add_widget(label)
    ui.frames(3)
    try:
        lines = ["".join(w.text for w in line.words) for line in label._label._cached_lines]
        rules = {f.rule for f in audit(app, roots=[label], pending=True)}
    finally:
        app.sm.current_screen.remove_widget(label)
    assert len(lines) == 2 and not starts_badly(lines[1]) and "".join(lines) == "一二三四五六七八九十。", lines
    assert "line starts with closing punctuation" not in rules


def test_words_drawn_past_their_button_are_a_finding(kiosk_app):
    """A tile whose title sits above its own top edge (home's 5-column tiles did, with a two-line hint) is a
    finding, though the label's own box is big enough for the words."""
    from kivy.factory import Factory
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.floatlayout import FloatLayout
    from screens.widgets.audit import audit

    class Tile(ButtonBehavior, FloatLayout):
        pass
    app, ui = kiosk_app
    app.home()
    ui.frames()
    rule = "words outside their button (px)"
    found = {}
    for title_y in (0.5, 0.95):           # inside; then its top 30 px above the tile
        tile = Tile(size_hint=(None, None), size=(400, 120), pos=(100, 300))
        tile.add_widget(Factory.Label(text="吐槽找茬", font_size=40, size_hint=(None, None), size=(300, 60),
                                      pos_hint={"x": 0.1, "center_y": title_y}, color=(0, 0, 0, 1)))
        app.sm.current_screen.add_widget(tile)
        ui.frames(2)
        try:
            found[title_y] = [f for f in audit(app, roots=[tile]) if f.rule == rule]
        finally:
            app.sm.current_screen.remove_widget(tile)
    assert not found[0.5] and found[0.95] and found[0.95][0].value > 2, found


def test_a_character_the_font_cannot_draw_is_a_finding(kiosk_app):
    """✗ (U+2717) is not in Noto Sans CJK: Kivy draws an empty box (the review step showed "☐ 还没有签字"
    until this rule found it). × (U+00D7) is in the font; markup tags are not text."""
    from kivy.factory import Factory
    from screens.widgets.audit import audit, missing_glyphs
    app, ui = kiosk_app
    app.home()
    ui.frames()
    rule = "character without a glyph (tofu)"
    for text, markup, missing in (("✗ 还没有签字。", False, "✗"), ("× 还没有签字。", False, ""),
                                  ("[b]✓ 字能看清[/b] &bl;注&br;", True, "")):
        label = Factory.Label(text=text, markup=markup, font_size=40, size_hint=(None, None), size=(600, 120),
                              pos=(100, 300), color=(0, 0, 0, 1))
        app.sm.current_screen.add_widget(label)
        ui.frames(2)
        try:
            found = [f for f in audit(app, roots=[label]) if f.rule == rule]
        finally:
            app.sm.current_screen.remove_widget(label)
        assert missing_glyphs(label) == missing
        assert bool(found) == bool(missing), (text, found)


def test_an_opaque_overlay_hides_what_is_under_it_but_not_a_real_overlap(kiosk_app):
    """The touch self-test's grid covers the whole screen (`opaque_overlay`): what lies under it is not seen,
    so it is not 'drawn over' the grid's words. Two things drawn over each other inside the overlay, or on top
    of it, still fail, and an overlay that does not declare itself opaque hides nothing."""
    from kivy.factory import Factory
    from kivy.uix.floatlayout import FloatLayout
    from screens import maintenance  # noqa: F401  (TouchGridView's rule)
    from screens.widgets.audit import audit
    app, ui = kiosk_app
    app.home()
    ui.frames()
    rule = "drawn over each other (px)"

    def label(text, x, y):
        return Factory.Label(text=text, font_size=40, size_hint=(None, None), size=(300, 60), pos=(x, y),
                             color=(0, 0, 0, 1))
    stage = FloatLayout(size_hint=(None, None), size=(900, 700), pos=(100, 100))
    stage.add_widget(label("下面的字", 150, 150))
    overlay = Factory.TouchGridView(size_hint=(None, None), size=(900, 700), pos=(100, 100))
    overlay.add_widget(label("上面的字", 160, 160))
    stage.add_widget(overlay)
    app.sm.current_screen.add_widget(stage)
    ui.frames(3)
    try:
        assert overlay.opaque_overlay is True
        assert not [f for f in audit(app, roots=[stage], pending=True) if f.rule == rule]
        overlay.add_widget(label("也在上面", 170, 170))          # inside the overlay: a real overlap
        ui.frames(2)
        inside = [f for f in audit(app, roots=[stage], pending=True) if f.rule == rule]
        assert [f.widget for f in inside] == ["Label '也在上面' / Label '上面的字'"], inside
        overlay.remove_widget(overlay.children[0])
        stage.add_widget(label("盖在上面", 165, 155))             # on top of the overlay: a real overlap
        ui.frames(2)
        assert [f for f in audit(app, roots=[stage], pending=True) if f.rule == rule]
        stage.remove_widget(stage.children[0])
        overlay.opaque_overlay = False                            # not declared: nothing is hidden
        ui.frames(2)
        assert [f for f in audit(app, roots=[stage], pending=True) if f.rule == rule]
    finally:
        app.sm.current_screen.remove_widget(stage)


def test_an_overlay_that_is_not_on_the_screen_is_not_audited(kiosk_app):
    """The timeout warning as it really opens is audited, and it lies inside the window; the same warning
    once closed is not on the screen, and the audit refuses it instead of reporting where its last layout
    left it (a warning closed before its first layout kept the place it had at zero height, half out of
    the window: the UI test once reported that as 'out of the window')."""
    from screens.widgets.audit import audit
    app, ui = kiosk_app
    app.go("home")
    app.idle.clock.t += app.idle.timeout - app.idle.warning + 1
    ui.wait_until(lambda: app._warning is not None and app._warning.parent is not None)
    ui.frames(4)
    warning = app._warning
    assert not [f for f in audit(app, roots=[warning], pending=True) if f.rule == "out of the window (px)"]
    app.idle.touch()
    app._hide_warning()
    ui.frames(2)
    assert warning.parent is None
    with pytest.raises(ValueError, match="not on the screen"):
        audit(app, roots=[warning])
