"""身份证复印: what the copy is for, the front and the back under the document camera (taken by
themselves when steady and sharp, or with 拍照), the A4 page at true size, then printing.

A thin view of kiosk/flows/idcopy.py (the pictures live in the flow's state, in the Session). The
screen holds the camera's newest frame only while a side is being photographed, and textures of the
taken side and of the preview only while they are shown. With the simulated camera in demo mode the
desk shows a generated card (样本), so the whole service can be tried without a card.
"""
from __future__ import annotations

from kivy.core.window import Window
from kivy.factory import Factory
from kivy.graphics.texture import Texture

from devices.doccam.quality import MESSAGES
from kiosk import wording as W
from screens.certificates import PrintingStepScreen, texture_of
from screens.widgets.doccam_view import DocCamView

OWN = "_own"
SAMPLES = {"front": "assets/samples/id_card_front.png", "back": "assets/samples/id_card_back.png"}


def bgr_texture(image):
    """A Kivy texture of a BGR picture (in memory, flipped for Kivy's bottom-left origin)."""
    h, w = image.shape[:2]
    texture = Texture.create(size=(w, h), colorfmt="bgr")
    texture.blit_buffer(image.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
    texture.flip_vertical()
    return texture


class IdCopyScreen(DocCamView, PrintingStepScreen):
    """身份证复印, one step at a time."""

    flow_name = "idcopy"
    writing = False          # the pinyin keyboard is open for a purpose of the citizen's own
    demo_desk = True         # demo mode: lay a generated card on the simulated desk (the tour lays its own)
    _kb = None
    _retaking = False

    def prepare(self, **kwargs) -> None:
        """Open the flow (nothing to ask the platform)."""
        self.writing, self.demo_desk = False, True
        super().prepare(load=False, **kwargs)

    def on_leave(self, *args):
        self.leave_capture()
        super().on_leave(*args)

    def clear_personal(self) -> None:
        self.leave_capture()
        self.writing = False
        if self._kb is not None:
            self._kb.clear()
        super().clear_personal()

    def on_step_key(self, *args) -> None:
        if self.step_key not in ("front", "back"):
            self._stop_camera()
        super().on_step_key(*args)

    def leave_capture(self) -> None:
        """The camera is released; in demo mode the simulated desk is cleared (the card is taken away)."""
        self._stop_camera()
        camera = self._doccam()
        if camera.can("place") and self.app.settings.demo:
            camera.place(None)

    # -- 用途 -------------------------------------------------------------------------------------
    def build_purpose(self, body) -> None:
        """The usual purposes as big buttons, 自己写…, and the words the copy will carry."""
        flow = self.flow
        purpose = flow.state.purpose
        if self.writing:
            if not self.app.elderly:    # 长辈模式: the top bar's 复印件做什么用 says it; the keyboard keeps its room
                self.add_text(body, "请写上复印件的用途，比如：办理医保", big=True)
            kb = self._keyboard()
            if kb.parent is not None:
                kb.parent.remove_widget(kb)
            body.add_widget(kb)
            return
        known = dict(flow.purposes())
        choices = flow.purposes() + [(OWN, f"自己写：{purpose}" if purpose and purpose not in known else "自己写…")]
        chosen = purpose if purpose in known else (OWN if purpose else None)
        self.add_choices(body, choices, chosen, self.choose_purpose)
        if purpose:
            from kiosk.flows.idcopy import watermark
            self.add_text(body, f"复印件上会写：{watermark(purpose)}", big=True)

    def choose_purpose(self, key: str) -> None:
        """A purpose was tapped (自己写… opens the keyboard)."""
        if key == OWN:
            self.writing = True
            kb = self._keyboard()
            kb.clear()
        else:
            self.flow.set_purpose(key)
        self.error = ""
        self.refresh()

    def _keyboard(self):
        if self._kb is None:
            from screens.widgets.pinyin_keyboard import keyboard_with_lexicon
            self._kb = keyboard_with_lexicon()
        return self._kb

    def done_writing(self) -> None:
        """确定: the words typed become the purpose."""
        kb = self._keyboard()
        kb.commit_letters()
        self.flow.set_purpose(kb.text)
        kb.clear()
        self.writing = False
        self.refresh()

    # -- 正面 / 反面 --------------------------------------------------------------------------------
    def build_front(self, body) -> None:
        """The front: live picture, or the taken one."""
        self._build_side(body, "front")

    def build_back(self, body) -> None:
        """The back: live picture, or the taken one."""
        self._build_side(body, "back")

    def _build_side(self, body, side: str) -> None:
        from screens.widgets.paperwork_widgets import LivePage
        flow, app = self.flow, self.app
        name = flow.side_of(side)
        picture = flow.picture(side)
        if picture is not None:
            self._stop_camera()
            words = self.capture_row(body, Factory.PagePreview(texture=bgr_texture(picture)))
            self.add_text(words, f"身份证{name}拍好了", big=True)
            problems = flow.problems(side)
            for code in problems:
                self.add_text(words, f"× 照片{MESSAGES[code]}")
            if not problems:
                self.add_text(words, "✓ 拍得很清楚。")
            self.add_text(words, "看不清的话点「重拍」；没问题就点「下一步」。", muted=True)
            return
        live = LivePage()
        words = self.capture_row(body, live)
        self.verdict_line(words, "放好后别动，机器会自己拍。")
        sample = Factory.Image(source=str(app.terminal.library.pack.asset(SAMPLES[side])), fit_mode="contain")
        if not app.elderly:     # within the room 长辈模式's bigger words leave it, so it is never smaller there
            sample.size_hint_max_y = min(Window.size) * (0.40 if app.portrait else 0.36)
        words.add_widget(sample)
        self.add_text(words, f"身份证{name}朝上，整张放在灯下。", muted=True)
        self._demo_card(side)
        self._start_camera(live, wait_for_change=self._retaking)

    def _demo_card(self, side: str) -> None:
        """Demo mode with the simulated camera: a generated card (样本) lies on the desk."""
        camera = self._doccam()
        if not (camera.can("place") and self.app.settings.demo and self.demo_desk) or self._retaking:
            return
        from kiosk.demo import demo_identity
        from kiosk.review import specimens
        who = self.session.identity or demo_identity()
        card = (specimens.id_card_front(who.name, who.number) if side == "front"
                else specimens.id_card_back("2016.01.01", "2036.01.01"))
        camera.place(card, seed=2 if side == "front" else 3)

    def on_page_taken(self, page) -> None:
        """The camera took the side asked for: it goes to the flow, the picture is shown."""
        flow = self.flow
        side = self.step_key
        if flow is None or side not in ("front", "back") or flow.picture(side) is not None:
            return
        self._stop_camera()
        flow.take(side, page.image, page.codes)
        self.error = ""
        self.refresh()

    def retake(self) -> None:
        """重拍: the side is taken again (the card lying there only once moved, or with 拍照)."""
        self.flow.retake(self.step_key)
        self._retaking = True
        self.refresh()
        self._retaking = False

    # -- 看一看 ----------------------------------------------------------------------------------
    def build_preview(self, body) -> None:
        """The A4 page as it will come out, with the words across it."""
        from kiosk.flows.idcopy import watermark
        state = self.flow.state
        if state.preview is None:
            self.add_text(body, "正在排版，请稍候……", big=True)
            return
        page = Factory.PagePreview(texture=texture_of(state.preview))
        self.fill_room(page, self.app.target_h * 2.5)
        body.add_widget(page)
        self.add_text(body, f"复印件上写着：{watermark(state.purpose)}", big=True)
        self.add_text(body, "身份证印得和真的一样大。复印件和照片只在打印时用，不会留在机器里。", muted=True)

    # -- buttons and moving on ----------------------------------------------------------------------
    def actions(self, key: str) -> list:
        """确定 while writing; 拍照 while a side is photographed; 重拍 / 下一步 once it is taken."""
        flow = self.flow
        if key == "purpose" and self.writing:
            return [self.button(W.CONFIRM, self.done_writing, picto="check")]
        if key in ("front", "back"):
            back = self.back_button()
            if flow.picture(key) is None:
                return [back, self.button("拍照", self.take_now, picto="touch")]
            return [back, self.button("重拍", self.retake, primary=False),
                    self.next_button(W.NEXT)]
        return super().actions(key)

    def next_step(self) -> None:
        """From the back on to the preview the copy is laid out off the UI thread (about a second)."""
        flow = self.flow
        if flow is not None and self.step_key == "back" and not flow.problem():
            self.in_background(flow.next)
            return
        super().next_step()

    @classmethod
    def tour_states(cls, app):
        from screens.idcopy_tour import idcopy_tour_states
        return idcopy_tour_states()
