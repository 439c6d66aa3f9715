"""证明打印: choose a certificate, look at every page, print it on A4 and wait for "打印好了".

A thin view of kiosk/flows/certificates.py. The platform is asked on a background thread (the flow's
`load()` and `choose()`); the answer comes back to the UI thread through Clock. The pages are shown
from images the flow rendered in memory (pypdfium2); nothing is written to disk by this screen.
"""
from __future__ import annotations

import threading

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.graphics.texture import Texture

from screens.widgets.base import load_kv
from screens.widgets.step_screen import StepScreen
from kiosk import wording as W

load_kv(__file__)


def texture_of(image):
    """A Kivy texture of a PIL image (in memory; Kivy's origin is bottom-left, so flipped)."""
    rgb = image.convert("RGB")
    texture = Texture.create(size=rgb.size, colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    texture.flip_vertical()
    return texture


class PrintingStepScreen(StepScreen):
    """What 证明打印 and 一码亮证 share: background calls, the printing step and its status line."""

    def prepare(self, load: bool = True, **kwargs) -> None:
        """Open the flow and (unless the tour fills it) ask the platform in the background."""
        super().prepare(**kwargs)
        if load:
            self.in_background(self.flow.load)

    def in_background(self, work, then=None) -> None:
        """Run `work()` off the UI thread (the citizen sees 正在… meanwhile); refresh when done."""
        flow = self.flow
        self.app.busy(True)

        def run() -> None:
            try:
                result = work()
            except Exception:   # the error guard is for the UI thread; here: a plain answer
                import logging
                logging.getLogger(__name__).exception("platform call failed")
                result = None

            def back(_dt) -> None:
                self.app.busy(False)
                if self.flow is flow:           # not wiped or left meanwhile
                    if then is not None:
                        then(result)
                    self.refresh()
            Clock.schedule_once(back)
        threading.Thread(target=run, name=f"{self.flow_name}-platform", daemon=True).start()

    def on_enter(self, *args):
        self._poll = Clock.schedule_interval(lambda _dt: self._follow_job(), 0.3)

    def on_leave(self, *args):
        if getattr(self, "_poll", None) is not None:
            self._poll.cancel()
            self._poll = None

    def _follow_job(self) -> None:
        flow = self.flow
        if flow is None or self.step_key != "printing":
            return
        state, words = flow.print_status()
        if words != getattr(self, "_shown_words", None):
            self.refresh()

    def build_printing(self, body) -> None:
        """The job's state in plain words, large; "打印好了" only once the printer said so."""
        state, words = self.flow.print_status()
        self._shown_words = words
        picto = {"done": "check", "failed": "warn", "canceled": "warn"}.get(state, "printer")
        status = Factory.PrintStatus()
        status.picto, status.words = picto, words or "正在准备打印，请稍等……"
        status.ok, status.bad = state == "done", state in ("failed", "canceled")
        body.add_widget(status)
        if state == "done" and self.app.elderly:
            self.app.say(words)

    def actions(self, key: str) -> list:
        """The step before printing prints; the printing step offers 取消打印, then the way out."""
        if key == self.flow.steps()[-2].key:     # the step before printing: its button prints
            return [self.back_button(),
                    self.next_button(self.flow.finish_words, picto="printer", on_tap=self.finish)]
        if key == "printing":
            state, _ = self.flow.print_status()
            if state in ("waiting", "printing"):
                return [self.button("取消打印", self.cancel_print, primary=False, picto="back")]
            return [self.button(W.HOME, self.app.home, primary=False, picto="home"),
                    self.button(W.FINISH, self.app.end_session, picto="check")]
        return super().actions(key)

    def cancel_print(self) -> None:
        """取消打印: the job is cancelled before it prints (as the session wipe does)."""
        self.app.terminal.printing.cancel_all()
        self.refresh()

    def finish(self) -> None:
        """The forward button of the last step before printing: print."""
        self.flow.print_document()
        self.refresh()


class CertificatesScreen(PrintingStepScreen):
    """The certificates the platform offers, a preview of every page, then the printing step."""

    flow_name = "certificates"

    def build_choose(self, body) -> None:
        """The certificates as big buttons (or why there are none)."""
        state = self.flow.state
        if not state.loaded:
            self.add_text(body, "正在查询您能打印的证明，请稍等……", big=True)
            return
        if state.message and not state.documents:
            self.add_text(body, state.message, big=True)
            return
        self.add_choices(body, self.flow.choices(), state.chosen, self.choose, cols=1)
        if getattr(self, "_issuing", False):
            self.add_text(body, "正在生成证明，请稍等……", muted=True)

    def choose(self, kind: str) -> None:
        """A certificate was tapped: the platform issues it, then its pages are shown."""
        self._issuing = True
        width = int(self.width * 0.5) or 900

        def done(_result) -> None:
            self._issuing = False
        self.in_background(lambda: self.flow.choose(kind, max(600, width)), done)
        self.refresh()

    def build_preview(self, body) -> None:
        """One page large, with 上一页 / 下一页 and the document number."""
        state = self.flow.state
        doc = state.document
        page = Factory.PagePreview(texture=texture_of(state.previews[state.page]))
        # the page as tall as the screen allows under the step's title, above the page bar and buttons
        self.fill_room(page, self.app.target_h * 2.5)
        body.add_widget(page)
        bar = Factory.BoxLayout(size_hint_y=None, height=self.app.target_h, spacing=self.app.pad)
        for words, delta, enabled in ((W.PAGE_PREV, -1, state.page > 0),
                                      (None, 0, False),
                                      (W.PAGE_NEXT, 1, state.page < len(state.previews) - 1)):
            if words is None:
                words = Factory.KLabel(text=f"第{state.page + 1}页，共{len(state.previews)}页\n编号 {doc.number}",
                                       halign="center", size_hint_x=2)
                # the bar as tall as its words (portrait wraps them), never drawn over the page above
                words.bind(height=lambda _w, h, bar=bar: setattr(bar, "height", max(self.app.target_h, h)))
                bar.add_widget(words)
                continue
            button = self.button(words, lambda d=delta: self.turn(d), primary=False)
            button.disabled, button.opacity = not enabled, 1 if enabled else 0
            bar.add_widget(button)
        body.add_widget(bar)

    def turn(self, delta: int) -> None:
        """Show another page of the preview."""
        self.flow.turn(delta)
        self.refresh()

    @classmethod
    def tour_states(cls, app):
        from screens.print_tour import certificate_states
        return certificate_states(app)
