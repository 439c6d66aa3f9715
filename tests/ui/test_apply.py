"""我要办 end to end: identified citizen -> matter -> phone -> pre-review -> delivery -> submit ->
receipt; the outbox holds it, the real platform receives it, the receipt shows the 办件编号."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity
from tests.ui.flow_helpers import shown_text

pytestmark = pytest.mark.ui


def test_application_is_queued_delivered_and_tracked(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    app.home()
    ui.frames()
    ui.tap(ui.button("我要办"))
    assert app.sm.current == "apply"
    screen = app.sm.current_screen
    first = screen.flow.submittable()[0]
    plain = next(m for m in screen.flow.submittable() if m.plain_name)   # a long official name: its plain line under it
    assert f"{plain.name}\n简单说：{plain.plain_name}" in dict(screen.flow.choices()).values()
    assert any("\n简单说：" in w.text for w in ui.find(cls_name="BigButton")), "shown on the buttons as in the guides"
    ui.tap(ui.button(first.name))
    assert screen.step_title == "核对身份"
    labels = " ".join(w.text for w in ui.find(cls_name="KLabel"))
    assert "张*兰" in labels and demo_identity().number not in labels, "identity shown masked only"
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "留个手机号" and not screen.can_next
    ui.type_digits("1390530123")
    assert not screen.can_next, "10 digits are not a phone number"
    ui.type_digits("4")
    assert screen.can_next
    ui.tap(ui.button("下一步"))
    assert screen.step_title == "看看材料"
    assert not screen.can_next, "the citizen is asked about the e-licences first"
    assert not ui.find(cls_name="MaterialRow") and "这里列出全部" in shown_text(ui), "one question at a time"
    ui.tap(ui.button("同意调取"))
    ui.wait_until(lambda: screen.flow.state.licences_loaded, timeout=30)
    ui.frames(3)
    assert ui.find(cls_name="MaterialRow"), "pre-review lists the materials"
    assert "已用您的电子证照" in " ".join(w.text for w in ui.find(cls_name="Label"))
    ui.tap(ui.button("下一步"))
    from tests.ui.test_apply_paperwork import through_paperwork
    through_paperwork(app, ui, screen)       # nothing photographed: shown at the window instead
    assert screen.step_title == "怎么拿结果"
    ui.tap(ui.button("下一步"))
    ui.tap(ui.button("提交"))
    assert app.sm.current == "receipt"
    receipt = app.sm.current_screen
    local_id = receipt.local_id
    assert local_id.startswith("HZ")
    row = app.sync.outbox.receipt(local_id)
    assert row["kind"] == "application"
    # the worker delivers to the real platform; the receipt shows the tracking number when it arrives
    assert app.sync.worker.flush(timeout=20)
    ui.frames(5)
    receipt.refresh()
    assert receipt.state == "delivered" and receipt.tracking_no
    import requests
    r = requests.get(f"{app.platform.url}/api/v1/tracking/{receipt.tracking_no}",
                     headers=app.platform.headers(app.settings.get("terminal", "id")), timeout=5)
    assert r.status_code == 200 and r.json()["kind"] == "application"


def test_apply_without_identity_goes_to_identify_first(kiosk_app):
    app, ui = kiosk_app
    app.home()
    ui.frames()
    ui.tap(ui.button("我要办"))
    assert app.sm.current == "identify"
