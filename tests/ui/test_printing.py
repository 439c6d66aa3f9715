"""Printing with taps in the real app: the receipt prints after a submission (and the screen says so,
or says plainly that it did not), 证明打印 from the tile to "打印好了", 一码亮证 one licence at a time."""
from __future__ import annotations

import pytest

from kiosk.demo import demo_identity
from tests.ui.flow_helpers import complain, shown_text

pytestmark = pytest.mark.ui


def test_the_receipt_prints_and_the_screen_says_so(kiosk_app):
    app, ui = kiosk_app
    complain(app, ui)
    screen = app.sm.current_screen
    ui.wait_until(lambda: screen.paper == "凭条已打印，请从出纸口取走。", timeout=60)
    assert app.hub.get("receipt").last_png.exists()


def test_paper_out_leaves_the_screen_receipt_and_a_plain_sentence(kiosk_app):
    app, ui = kiosk_app
    printer = app.hub.get("receipt")
    printer.simulate("paper_out")
    try:
        complain(app, ui)
        screen = app.sm.current_screen
        ui.wait_until(lambda: screen.paper_failed, timeout=10)
        assert "二维码" in screen.paper and screen.qr_text.startswith("菏心意回执 ")
        assert screen.paper in shown_text(ui)
    finally:
        printer.simulate("ok")


def _tile(app, ui, title: str) -> None:
    """Home, the page of tiles that has `title`, tap it."""
    app.home()
    ui.frames()
    home = app.sm.current_screen
    while not ui.find(text=title) and home.page < home.pages - 1:
        home.show_page(home.page + 1)
        ui.frames()
    ui.tap(ui.button(title))


def test_certificates_from_the_tile_to_printed(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    _tile(app, ui, "证明打印")
    assert app.sm.current == "certificates"
    screen = app.sm.current_screen
    ui.wait_until(lambda: screen.flow.state.loaded, timeout=60)
    ui.frames()
    ui.tap(ui.button("社保参保证明"))
    ui.wait_until(lambda: screen.step_key == "preview", timeout=60)
    ui.frames()
    assert "第1页，共2页" in shown_text(ui)
    ui.tap(ui.button("下一页"))
    assert "第2页，共2页" in shown_text(ui)
    ui.tap(ui.button("打印"))
    assert screen.step_key == "printing"
    ui.wait_until(lambda: screen.flow.print_status()[0] == "done", timeout=60)
    # the screen looks at the job every 0.3 s
    ui.wait_until(lambda: "打印好了，请从下面的出纸口取走。" in shown_text(ui), timeout=10)
    ui.tap(ui.button("办完了，退出"))
    assert app.session.is_empty()


def test_licences_one_at_a_time_and_a_copy(kiosk_app):
    app, ui = kiosk_app
    app.identified(demo_identity())
    _tile(app, ui, "一码亮证")
    screen = app.sm.current_screen
    ui.wait_until(lambda: screen.flow.state.loaded, timeout=60)
    ui.frames()
    assert "居民身份证电子证照" in shown_text(ui) and demo_identity().number not in shown_text(ui)
    ui.tap(ui.button("下一个"))
    assert "第 2 本" in shown_text(ui)
    ui.tap(ui.button("打印复印件"))
    ui.wait_until(lambda: screen.step_key == "printing" and screen.flow.print_status()[0] == "done", timeout=60)
    # the screen looks at the job every 0.3 s
    ui.wait_until(lambda: "打印好了，请从下面的出纸口取走。" in shown_text(ui), timeout=10)


def test_the_session_wipe_cancels_the_a4_job(kiosk_app):
    app, ui = kiosk_app
    printer = app.hub.get("printer")
    printer.seconds_per_page = 5.0
    try:
        app.identified(demo_identity())
        app.go("certificates")
        screen = app.sm.current_screen
        ui.wait_until(lambda: screen.flow.state.loaded, timeout=60)
        ui.frames()
        ui.tap(ui.button("婚姻登记记录证明"))
        ui.wait_until(lambda: screen.step_key == "preview", timeout=60)
        ui.tap(ui.button("打印"))
        job = screen.flow.state.job
        app.end_session()
        app.terminal.printing.wait(job, 5)
        assert job.state == "canceled"
        assert not list((app.settings.data_dir / "print").glob("*"))
    finally:
        printer.seconds_per_page = 0.3
