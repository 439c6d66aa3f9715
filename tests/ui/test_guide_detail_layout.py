"""办事指南's detail as an elderly citizen reads it: the facts get most of the screen (a few pages, not two lines
at a time), every page fits its panel, no line of them starts with closing punctuation, the buttons sit side
by side, and the step picture and a theme's form are never smaller in 长辈模式 — for every matter and theme
of the content pack, in landscape and in portrait."""
from __future__ import annotations

import pytest

from tests.ui.test_elderly_pictures import _orientation

pytestmark = pytest.mark.ui


def _show(app, ui, **kwargs):
    app.go("guide_detail", **kwargs)
    for _ in range(3):          # laid out, paged, and the layout that follows the pages
        ui.frames(4)
    return app.sm.current_screen


def _lines(label) -> list[str]:
    core = label._label
    return ["".join(word.text for word in line.words) for line in (core._cached_lines or [])]


def _every_page(screen, ui):
    """(page number, shown lines, label height, room) for each page of the facts."""
    for page in range(screen.fact_pages):
        screen.show_facts(page)
        ui.frames(3)
        label = screen.ids.facts_label
        yield page, _lines(label), label.height, screen.ids.scroll.height


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
def test_an_elderly_citizen_reads_every_guide_in_a_few_pages(kiosk_app, portrait):
    from screens.widgets.cjk_wrap import CLOSING, starts_badly
    app, ui = kiosk_app
    pages, bad = {}, []
    with _orientation(app, ui, portrait):
        app.elderly = True
        for matter in app.library.pack.matters:
            screen = _show(app, ui, code=matter.code)
            pages[matter.code] = screen.fact_pages
            actions = screen.ids.actions
            if actions.rows > (2 if portrait else 1):
                bad.append(f"{matter.code}: the buttons take {actions.rows} rows")
            for page, lines, height, room in _every_page(screen, ui):
                if height > room + 2:
                    bad.append(f"{matter.code} page {page + 1}: {height:.0f} px of facts in {room:.0f} px")
                starts = [line for line in lines[1:] if starts_badly(line)]
                if starts:
                    bad.append(f"{matter.code} page {page + 1}: a line starts with {starts[0][:3]!r}")
                orphans = [line for line in lines if len([c for c in line.strip() if c not in CLOSING]) == 1
                           and not line.strip().isdigit()]
                if orphans:
                    bad.append(f"{matter.code} page {page + 1}: one character alone: {orphans}")
        print("pages in 长辈模式", "portrait" if portrait else "landscape", pages)
    app.elderly = False
    assert not bad, "\n".join(bad)
    assert max(pages.values()) <= 4, pages        # (it was 15 pages of two lines in landscape)


@pytest.mark.parametrize("portrait", [False, True], ids=["landscape", "portrait"])
def test_pictures_and_forms_are_never_smaller_in_elderly_mode_for_any_guide(kiosk_app, portrait):
    from screens.widgets.audit import audit, picture_sizes
    app, ui = kiosk_app
    pack = app.library.pack
    shown = [{"code": m.code} for m in pack.matters] + [{"theme": t.id} for t in pack.themes]
    smaller, found = [], []
    with _orientation(app, ui, portrait):
        for kwargs in shown:
            sizes = {}
            for elderly in (False, True):
                app.end_session()
                app.elderly = elderly
                screen = _show(app, ui, **kwargs)
                sizes[elderly] = picture_sizes([screen])
                found += [f for f in audit(app, roots=[screen], screen_name=str(kwargs), pending=True)
                          if f.rule != "picture smaller in 长辈模式 (px)"]
            picture = (screen.step_picture or "").rsplit("/", 1)[-1]
            assert sizes[False].get(picture, 0) > 200, (kwargs, sizes[False])
            if sizes[True].get(picture, 0) + 2 < sizes[False][picture]:
                smaller.append(f"{kwargs}: {picture} {sizes[True].get(picture, 0):.0f} < {sizes[False][picture]:.0f}")
    app.elderly = False
    assert not smaller, "\n".join(smaller)
    assert not found, "\n".join(f.row() for f in found)


def test_the_buttons_sit_side_by_side_and_wrap_only_when_needed():
    from screens.widgets.guide_widgets import ButtonRows
    assert ButtonRows.split([300, 200, 200], 800, 10) == [[0, 1, 2]]
    assert ButtonRows.split([500, 300, 300, 300, 300], 1000, 10) == [[0, 1], [2, 3, 4]]
    assert ButtonRows.split([1200, 100], 1000, 10) == [[0], [1]]      # too wide alone: a row of its own
    assert ButtonRows.split([], 1000, 10) == []
