"""Scan code: the citizen holds the 居民码 / 企业码 on a phone screen to the camera (or to the scanner).

The live camera picture fills the left with a viewfinder; the hint picture says 请将手机屏幕对准摄像头.
A decoded code (camera or scanner thread) reaches the screen on the next frame, which says 正在核验
at once; the check runs on a worker thread (a signed code is checked here in milliseconds, any other
code needs the platform). Accepted: greet with a masked name, feed the session, go on. Refused: the
reason in plain words and a button to use the ID card instead. The camera is released when the
screen is left.
"""
from __future__ import annotations

import logging
import threading
import time

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from devices.base import NoDevice
from screens import SCREENS
from screens.widgets.base import load_kv
from screens.widgets.identify_step import IdentifyStep

log = logging.getLogger(__name__)


class Viewfinder(Widget):
    """Corner marks over the live picture: where the phone screen should be (drawn in scan_code.kv)."""
    mark = NumericProperty(0)
    box = NumericProperty(0)


load_kv(__file__)

CHECKING = "正在核验，请稍候…"
CAMERA_DOWN = "摄像头暂时不能使用，请使用身份证办理。"
# Kivy keycodes of keys without a character that matter to the wedge detector
_KEY_NAMES = {13: "enter", 271: "numpadenter", 303: "rshift", 304: "lshift", 301: "capslock",
              305: "rctrl", 306: "lctrl", 307: "ralt", 308: "lalt"}


class ScanCodeScreen(IdentifyStep):
    """Show the 居民码/企业码 to the camera or the scanner; checked off the UI thread, greets and goes on."""
    preview = ObjectProperty(None, allownone=True)   # Texture of the newest camera frame
    message = StringProperty("")
    refused = BooleanProperty(False)
    checking = BooleanProperty(False)
    can_use_card = BooleanProperty(False)
    demo = BooleanProperty(False)

    def __init__(self, **kwargs):
        self._unsubscribe: list = []
        self._latest_frame = None
        self._frame_lock = threading.Lock()
        self._show_frame = Clock.create_trigger(self._update_preview)  # coalesces many frames into one draw
        self._hid = None
        self.code_seen_at: float | None = None      # monotonic time a code reached the UI (tests, bench)
        self.reacted_at: float | None = None
        super().__init__(**kwargs)

    # -- lifecycle ------------------------------------------------------------------------
    def prepare(self, next: str = "home", next_kwargs: dict | None = None, **_kwargs) -> None:  # noqa: A002
        """`next`: where to continue once identified (with `next_kwargs`)."""
        self._next = next or "home"
        self._next_kwargs = dict(next_kwargs or {})
        self.greeting = self.message = ""
        self.refused = self.checking = False
        self.can_use_card = "identify" in SCREENS
        # the demo's "演示" helper; the tour photographs what a real terminal shows (`photographing`)
        self.demo = bool(self.app.settings.demo) and self._camera().can("show_code") \
            and not getattr(self.app, "photographing", False)
        self._cancel_continue()
        self._listen()

    def on_leave(self, *_args) -> None:
        self._stop_listening()
        self._cancel_continue()

    def clear_personal(self) -> None:
        self.greeting = self.message = ""
        self.refused = self.checking = False
        self._cancel_continue()
        self._stop_listening()

    # -- devices ----------------------------------------------------------------------------
    def _camera(self):
        hub = getattr(self.app, "hub", None)
        return hub.get("camera") if hub is not None else NoDevice("camera")

    def _listen(self) -> None:
        self._stop_listening()
        hub = getattr(self.app, "hub", None)
        if hub is None:
            return
        camera, scanner = hub.get("camera"), hub.get("scanner")
        # the camera's pictures come straight to this screen (the only one that shows them); its codes and
        # errors, and the scanner's, come from the terminal core's stream (on_device_event)
        self._unsubscribe.append(camera.events.subscribe(self._on_frame))
        if camera.can("capture"):
            camera.capture()
        else:
            self.message = CAMERA_DOWN
        if scanner.can("feed_key"):
            self._hid = scanner
            Window.bind(on_key_down=self._on_key_down)

    def _stop_listening(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        camera = self._camera()
        if camera is not None:
            if camera.can("show_code"):
                camera.show_code(None)
            if camera.can("release"):
                camera.release()
        if self._hid is not None:
            Window.unbind(on_key_down=self._on_key_down)
            self._hid = None
        with self._frame_lock:
            self._latest_frame = None
        self.preview = None

    def _on_key_down(self, _window, key, _scancode, codepoint, _modifiers):
        # never consumes the key: a wedge scanner is told from typing by timing (devices/scanner/hid.py)
        if self._hid is not None:
            self._hid.feed_key(codepoint if codepoint else _KEY_NAMES.get(key, f"key{key}"))
        return False

    def _on_frame(self, event: str, payload) -> None:
        """Driver thread: keep the newest picture and draw it on the next frame."""
        if event == "frame":
            with self._frame_lock:
                self._latest_frame = payload
            self._show_frame()

    def on_device_event(self, section: str, event: str, payload, at: float) -> None:
        """A device's event from the terminal core, on the UI thread, while this screen is shown: a code
        (seen at `at`, by the driver's clock) or an error of the camera or the scanner."""
        if section not in ("camera", "scanner"):
            return
        if event == "code":
            self.code_scanned(payload, at)
        elif event == "error":
            self._device_error(payload)

    def _update_preview(self, _dt=None) -> None:
        with self._frame_lock:
            frame, self._latest_frame = self._latest_frame, None
        if frame is None or self.manager is None or self.manager.current != self.name:
            return
        h, w = frame.shape[:2]
        texture = self.preview
        if texture is None or texture.size != (w, h):
            texture = Texture.create(size=(w, h), colorfmt="bgr")
            texture.flip_vertical()  # OpenCV rows run top-down, OpenGL's bottom-up
        texture.blit_buffer(frame.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self.preview = texture
        if self.ids.get("picture") is not None:
            self.ids.picture.canvas.ask_update()

    def _device_error(self, error) -> None:
        if self.manager is not None and self.manager.current == self.name and not self.greeting:
            self.message = error.message
            self.refused = True

    # -- codes ------------------------------------------------------------------------------
    def code_scanned(self, text: str, seen: float | None = None) -> None:
        """On the UI thread: say 正在核验 at once, check on a worker thread."""
        if self.manager is None or self.manager.current != self.name or self.greeting or self.checking:
            return
        self.code_seen_at = seen or time.monotonic()
        self.checking, self.refused = True, False
        self.message = CHECKING
        self.reacted_at = time.monotonic()
        threading.Thread(target=self._check, args=(text,), name="code-check", daemon=True).start()

    def _check(self, text: str) -> None:
        try:
            result = self.app.terminal.check_code(text)
        except Exception as exc:  # a configuration or store failure: refuse in plain words, keep running
            log.error("code check failed: %s", type(exc).__name__)
            from kiosk.codes.verifier import CodeResult
            result = CodeResult.refused("platform_error")
        Clock.schedule_once(lambda _dt: self._checked(result), 0)

    def _checked(self, result) -> None:
        self.checking = False
        if self.manager is None or self.manager.current != self.name:
            return
        if not result.ok:
            self.message = result.message
            self.refused = True
            return
        identity = result.identity()
        self.message = "已核验您的企业码，马上为您继续" if identity.is_enterprise else "已核验您的居民码，马上为您继续"
        self.greet_and_continue(identity)

    # -- buttons ----------------------------------------------------------------------------
    def use_id_card(self) -> None:
        """改用身份证: the card screen, continuing to the same place."""
        if "identify" in SCREENS:
            self.app.go("identify", next=self._next, next_kwargs=self._next_kwargs)

    def show_demo_code(self, enterprise: bool = False) -> None:
        """Demo mode: hold a phone with a freshly issued demo code to the simulated camera."""
        camera = self._camera()
        if not self.app.settings.demo or not camera.can("show_code"):
            return
        from kiosk.codes.demo_issuer import DemoIssuer
        camera.show_code(DemoIssuer(self.app.settings.data_dir).issue(enterprise=enterprise))

    # -- tour -------------------------------------------------------------------------------
    def show_frame_now(self, frame) -> None:
        """Put one camera frame on the preview at once (the tour photographs it on the next frames)."""
        with self._frame_lock:
            self._latest_frame = frame
        self._update_preview()

    @classmethod
    def tour_states(cls, app):
        from devices.camera.simulator import phone_frame
        from kiosk.codes.demo_issuer import DemoIssuer

        def still(app, frame):
            # the tour photographs one chosen frame: the live camera would replace it with its own
            app.go("scan_code", next="home")
            camera = app.hub.get("camera")
            if camera.can("release"):
                camera.release()
            app.screen("scan_code").show_frame_now(frame)

        def waiting(app):
            still(app, phone_frame(None))

        def phone(app):
            still(app, phone_frame(DemoIssuer(app.settings.data_dir).issue()))

        def refused(app):
            from kiosk.codes import message_for
            waiting(app)
            screen = app.screen("scan_code")
            screen.message, screen.refused = message_for("expired"), True

        def greeted(app):
            phone(app)
            result = app.terminal.check_code(DemoIssuer(app.settings.data_dir).issue())
            app.screen("scan_code")._checked(result)
        return [("", waiting), ("-phone", phone), ("-refused", refused), ("-greeted", greeted)]
