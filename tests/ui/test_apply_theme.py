"""一件事 and 电子证照 with taps in the real app: 照此办理 on a theme's guide opens 我要办 for the whole
theme; 同意调取 fetches the e-licences from the platform process, the materials say 已用您的电子证照 and
the one form (一表申请) is filled from the card and the licences; 不用，我带纸质的 fetches nothing."""
from __future__ import annotations

import sqlite3

import pytest

from kiosk.demo import demo_identity
from tests.ui.flow_helpers import shown_text

pytestmark = pytest.mark.ui


def _uses(app) -> int:
    with sqlite3.connect(f"file:{app.platform.db_path}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM licence_uses").fetchone()[0]


def test_a_theme_from_its_guide_with_e_licences_to_one_form(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    app.go("guide_detail", theme="newborn")
    ui.frames()
    ui.tap(ui.button("照此办理"))
    assert app.sm.current == "apply"
    screen = app.sm.current_screen
    assert screen.step_title == "核对身份" and "一起办：" in shown_text(ui)
    ui.tap(ui.button("下一步"))
    ui.type_digits("13905301234")
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "看看材料" and not screen.can_next
    before = _uses(app)
    ui.tap(ui.button("同意调取"))
    ui.wait_until(lambda: screen.flow.state.licences_loaded, timeout=30)
    ui.frames(3)
    assert "已用您的电子证照（居民户口簿电子证照），不用带纸质的" in shown_text(ui)
    assert _uses(app) == before + 1
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "拍材料"
    assert [t.material_id for t in screen.flow.capture_targets()] == ["birth_cert"], "only what no licence replaces"
    ui.tap(ui.button("这份不拍了"))
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "核对申请表"
    texts = shown_text(ui)
    assert "新生儿出生一件事申请表（一表申请）" in texts and "从电子证照调取" in texts
    assert screen.reason.startswith("还有没填的：新生儿姓名")


def test_paper_instead_fetches_nothing(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    app.go("apply", matter="HZ-WJ-001")
    ui.frames()
    screen = app.sm.current_screen
    ui.tap(ui.button("下一步"))
    ui.type_digits("13905301234")
    ui.tap(ui.button("下一步"))
    before = _uses(app)
    ui.tap(ui.button("不用，我带纸质的"))
    assert screen.can_next and _uses(app) == before
    assert "请准备原件2份" in shown_text(ui)
    ui.tap(ui.button("下一步"))
    assert screen.flow.capture_target.key == "id_card正面"
    screen.leave_paperwork()


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_a_long_form_is_paged_never_hidden_below_a_scroll(kiosk_app, elderly):
    """The theme's one form has ten lines: they come in pages that fit (第1页，共n页 with 上一页 / 下一页
    beside or above them), every line is reached with 下一页, nothing is left below the scroll, and a line
    changed on a later page brings the citizen back to that page."""
    app, ui = kiosk_app
    app.elderly = elderly
    app.identified(demo_identity())
    app.go("apply", matter="theme:newborn")
    ui.frames()
    screen = app.sm.current_screen
    from screens.apply_paperwork import tour_licences
    screen.flow.set_phone("13905301234")
    tour_licences(screen.flow)
    screen.flow.go_to("form")
    screen.refresh()
    ui.frames(4)
    fields = [line.label for line in screen.flow.form().fields]
    seen, pages = [], None
    while True:
        scroll, body = screen.ids.scroll, screen.ids.body
        assert body.height <= scroll.height + 2, "nothing hides below the scroll"
        seen += [row.label for row in sorted(ui.find(cls_name="FormLine"), key=lambda r: -r.y)]   # top down
        counter = [w.text for w in ui.find(cls_name="Label") if w.text.startswith("第") and "页，共" in w.text]
        assert counter, "a long form says which page it is on"
        pages = pages or int(counter[0].split("共")[1].rstrip("页"))
        nxt = [b for b in ui.find(cls_name="BigButton", text="下一页") if not b.disabled]
        if not nxt:
            break
        ui.tap(nxt[0])
    assert pages > 1 and seen == fields, "every line once, in order, page by page"
    assert counter[0] == f"第{pages}页，共{pages}页"
    last = fields[-1]
    ui.tap(next(r for r in ui.find(cls_name="FormLine") if r.label == last))
    assert screen.editing == last
    ui.tap(ui.button("改好了"))
    ui.frames(4)
    assert last in [row.label for row in ui.find(cls_name="FormLine")], "back on the page of the line changed"
    ui.tap(ui.button("上一页"))
    assert f"第{pages - 1}页，共{pages}页" in shown_text(ui) and last not in [r.label for r in ui.find(cls_name="FormLine")]
    app.elderly = False
