"""The document camera on a step screen: what 我要办's 拍材料 and 身份证复印 share.

Mixed into a StepScreen. `_start_camera(live)` opens the camera and feeds a LivePage
(screens/widgets/paperwork_widgets.py); each verdict's first problem goes to `_verdict_line` in one
plain sentence; a taken page goes to `on_page_taken(page)` on the UI thread. The screen keeps the newest
frame only while the camera runs; `_stop_camera()` releases the camera and forgets the picture.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout

from devices.base import NoDevice
from devices.doccam.quality import MESSAGES

GOOD_WORDS = "很好，请别动，马上就拍。"


class DocCamView:
    """The live picture, the verdict line, the automatic shot and the 拍照 button of a capture step."""

    _doccam_off = None
    _live = None
    _verdict_line = None

    _fit = None

    def capture_row(self, body, picture):
        """The picture (live or taken) beside a column of words, together exactly as tall as the step's
        visible area (taller only when the words need it, then the step scrolls): in 长辈模式 too the
        verdict line and the buttons stay in view. Returns the column for the words."""
        app = self.app
        portrait = app.portrait
        row = BoxLayout(orientation="vertical" if portrait else "horizontal", spacing=app.pad, size_hint_y=None)
        picture.size_hint = (1, 0.55) if portrait else (0.58, 1)
        side = BoxLayout(orientation="vertical", spacing=app.pad * 0.6, size_hint=(1, 0.45) if portrait else (0.42, 1))
        row.add_widget(picture)
        row.add_widget(side)
        body.add_widget(row)
        scroller = body.parent
        if self._fit is not None:
            self._fit[0].unbind_uid("height", self._fit[1])
            self._fit = None
        floor = app.target_h * (8 if portrait else 4)

        def fit(*_args) -> None:
            words = side.minimum_height / (0.45 if portrait else 1.0)
            row.height = max(floor, words, scroller.height if scroller is not None else 0)
        if scroller is not None:
            self._fit = (scroller, scroller.fbind("height", fit))
        side.bind(minimum_height=fit)
        fit()
        return side

    def verdict_line(self, column, text: str):
        """The line that says, for every judged frame, what is wrong or that the shot comes (big)."""
        self._verdict_line = self.add_text(column, text, big=True)
        return self._verdict_line

    def _doccam(self):
        hub = getattr(self.app, "hub", None)
        return hub.get("doccam") if hub is not None else NoDevice("doccam")

    def _start_camera(self, live, wait_for_change: bool = False) -> None:
        self._stop_camera()
        camera = self._doccam()
        self._live = live
        if not camera.can("capture"):
            return
        self._doccam_off = camera.events.subscribe(self._camera_event)
        camera.capture(wait_for_change=wait_for_change)

    def _stop_camera(self) -> None:
        if self._doccam_off is not None:
            self._doccam_off()
            self._doccam_off = None
            camera = self._doccam()
            if camera.can("release"):
                camera.release()
        if self._live is not None:
            self._live.clear()
            self._live = None

    def _camera_event(self, event: str, payload) -> None:
        """Driver thread: frames and verdicts to the live picture, a taken page to the screen."""
        live = self._live
        if live is not None:
            live.on_device_event(event, payload)
        if event == "verdict":
            Clock.schedule_once(lambda _dt: self._show_verdict(payload.codes), 0)
        elif event == "page":
            Clock.schedule_once(lambda _dt: self.on_page_taken(payload), 0)

    def _show_verdict(self, codes) -> None:
        line = self._verdict_line
        if line is not None:
            line.text = MESSAGES[codes[0]] if codes else GOOD_WORDS

    def on_page_taken(self, page) -> None:
        """A page was taken (automatically or by 拍照); UI thread."""

    def take_now(self) -> None:
        """拍照: the big button takes the next frame, whatever it looks like."""
        camera = self._doccam()
        if camera.can("take"):
            camera.take()
