"""The 居民码 screen with the simulated camera: live preview, a demo code read by the real decoder, refusals."""
from __future__ import annotations

import time

import pytest

from kiosk.codes import REASONS
from kiosk.identity import IdentitySource

pytestmark = pytest.mark.ui


def _pump_until(ui, condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        ui.frames(1)
        time.sleep(0.01)


def _texts(ui):
    return " ".join(str(w.text) for w in ui.find() if type(w).__name__ in ("Label", "KLabel"))


def test_demo_code_on_the_phone_identifies_and_goes_on(kiosk_app):
    app, ui = kiosk_app
    camera = app.hub.get("camera")
    app.home()
    app.go("scan_code", next="home")
    ui.frames(2)
    screen = app.sm.current_screen
    assert app.sm.current == "scan_code" and camera.running
    assert "请将手机屏幕对准摄像头" in _texts(ui)
    _pump_until(ui, lambda: screen.preview is not None)      # the live picture is shown
    assert screen.ids.hint_picture.source
    ui.tap(ui.button("演示：手机出示居民码"))
    _pump_until(ui, lambda: screen.greeting)
    assert screen.code_seen_at is not None and screen.reacted_at >= screen.code_seen_at
    assert screen.greeting.startswith("您好，张*") and "张三丰" not in _texts(ui)
    assert app.session.identity.source is IdentitySource.RESIDENT_CODE
    assert app.session.identity.verified_offline
    _pump_until(ui, lambda: app.sm.current == "home")
    _pump_until(ui, lambda: not camera.running)   # released when the screen is left


def test_refused_code_says_why_and_offers_the_id_card(kiosk_app):
    app, ui = kiosk_app
    camera = app.hub.get("camera")
    app.go("scan_code", next="home")
    ui.frames(2)
    screen = app.sm.current_screen
    camera.show_code("RC1.R.this-is-not.a-code")
    _pump_until(ui, lambda: screen.refused)
    assert screen.message == REASONS["bad_format"]
    assert REASONS["bad_format"] in _texts(ui)
    assert app.session.identity is None
    ui.tap(ui.button("改用身份证办理"))
    assert app.sm.current == "identify"
    _pump_until(ui, lambda: not camera.running)


def test_an_expired_code_is_refused_in_plain_words(kiosk_app):
    from kiosk.codes.demo_issuer import DemoIssuer
    app, ui = kiosk_app
    app.go("scan_code", next="home")
    ui.frames(2)
    screen = app.sm.current_screen
    old = DemoIssuer(app.settings.data_dir).issue(now=time.time() - 1000)
    app.hub.get("camera").show_code(old)
    _pump_until(ui, lambda: screen.refused)
    assert screen.message == "这个码已过期，请在手机上重新打开居民码再试。"
    app.end_session()
    _pump_until(ui, lambda: not app.hub.get("camera").running)
    assert screen.message == "" and app.sm.current == "attract"


def test_keyboard_wedge_scanner_on_the_scan_screen(kiosk_app):
    from kivy.core.window import Window

    from devices.scanner.hid import HidScanner
    from kiosk.codes.demo_issuer import DemoIssuer
    app, ui = kiosk_app
    ticks = iter(range(10**6))
    scanner = HidScanner(35, clock=lambda: next(ticks) * 0.004)   # a scanner types a key every 4 ms
    original = app.terminal.replace_device("scanner", scanner)     # a scanner plugged in while running
    try:
        app.go("scan_code", next="home")
        ui.frames(2)
        screen = app.sm.current_screen
        text = DemoIssuer(app.settings.data_dir).issue(enterprise=True)
        for ch in text:
            if ch.isupper():
                Window.dispatch("on_key_down", 304, 0, None, [])
            Window.dispatch("on_key_down", ord(ch.lower()), 0, ch, ["shift"] if ch.isupper() else [])
        Window.dispatch("on_key_down", 13, 0, None, [])
        _pump_until(ui, lambda: screen.greeting)
        assert app.session.identity.source is IdentitySource.ENTERPRISE_CODE
        assert screen.greeting == "您好，菏泽示例科技有限公司"
        app.end_session()
        ui.frames(2)
        assert scanner.detector._buffer == []
    finally:
        app.terminal.replace_device("scanner", original)


def test_entering_and_leaving_many_times_leaves_nothing_behind(kiosk_app):
    from kivy.core.window import Window

    from devices.scanner.hid import HidScanner
    app, ui = kiosk_app
    camera = app.hub.get("camera")
    scanner = HidScanner(35)
    original = app.terminal.replace_device("scanner", scanner)
    try:
        def counts():
            return (len(camera.events._listeners), len(scanner.events._listeners),
                    len(Window.get_property_observers("on_key_down")))
        before = counts()
        for _ in range(15):
            app.go("scan_code", next="home")
            ui.frames(2)
            app.home()
            ui.frames(2)
        _pump_until(ui, lambda: not camera.running)
        assert counts() == before
        screen = app.screen("scan_code")
        assert screen._hid is None and screen.preview is None
    finally:
        app.terminal.replace_device("scanner", original)


def test_the_camera_stopping_mid_scan_is_said_and_the_id_card_offered(kiosk_app):
    """The camera driver tells a stop once as an error (devices/camera/opencv.py, tested against OpenCV
    in tests/devices/test_camera.py); here it arrives from a device thread while the citizen scans."""
    import threading
    from devices.camera.opencv import MSG_CAMERA
    from devices.states import Completion, DeviceError
    app, ui = kiosk_app
    camera = app.hub.get("camera")
    app.go("scan_code", next="home")
    ui.frames(2)
    screen = app.sm.current_screen
    _pump_until(ui, lambda: camera.running)
    stopped = threading.Thread(target=lambda: camera.report_error(
        DeviceError(Completion.DEVICE_NOT_READY, "camera_stopped", MSG_CAMERA)))
    stopped.start()
    stopped.join()
    _pump_until(ui, lambda: screen.refused)
    assert screen.message == MSG_CAMERA and MSG_CAMERA in _texts(ui)
    assert app.session.identity is None
    ui.tap(ui.button("改用身份证办理"))
    assert app.sm.current == "identify"
    _pump_until(ui, lambda: not camera.running)
