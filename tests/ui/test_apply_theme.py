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
