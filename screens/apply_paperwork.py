"""我要办's paperwork steps on screen: 拍材料 (live picture, automatic or big-button shot, the review on
the guide's annotated sample), 核对申请表 (big and plain, tap a line to change it) and 签名 (a pad with
thick ink, 重写, 确定). The flow (kiosk/flows/paperwork.py) holds every value; the screen holds the
newest camera frame only while 拍材料 is shown, and a page only until the flow has it.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from devices.doccam.quality import MESSAGES
from kiosk import wording as W
from screens.widgets.doccam_view import DocCamView

ID_FIELDS = {"公民身份号码", "身份证号", "配偶身份号码"}
PHONE_FIELDS = {"联系电话"}
REVIEWING = "正在核对，请稍候…"


class PaperworkSteps(DocCamView):
    """Mixed into ApplyScreen: the builders of the capture, form and sign steps."""

    capture_phase = "live"          # live | reviewing | reviewed
    editing = ""                    # the form line being changed ("" none)
    _kb = None
    _retaking = False
    _pad = None

    def on_page_taken(self, page) -> None:
        flow = self.flow
        if flow is None or self.step_key != "capture" or self.capture_phase != "live":
            return
        self.capture_phase = "reviewing"
        self._stop_camera()
        flow.review_page_async(page.image)
        self.refresh()

    def on_page_reviewed(self, data: dict) -> None:
        """The pre-review finished (terminal event, UI thread)."""
        if self.step_key == "capture" and self.capture_phase == "reviewing":
            self.capture_phase = "reviewed"
            self.refresh()

    def retake(self) -> None:
        """重拍: the page lying there is taken again only once it was lifted or moved (or by 拍照)."""
        self.capture_phase = "live"
        self._retaking = True
        self.refresh()
        self._retaking = False

    def use_page(self) -> None:
        """就用这张: go on to the next page."""
        self.flow.accept_page()
        self.capture_phase = "live"
        self.refresh()

    def skip_page(self) -> None:
        """这份不拍了: it is shown at the window instead."""
        self.flow.skip_page()
        self.capture_phase = "live"
        self.refresh()

    # -- 拍材料 -------------------------------------------------------------------------------------
    # the sample's height at most in normal mode, as a share of the screen's short side (landscape, portrait):
    # within what 长辈模式's layout (taller top bar and buttons, bigger words) has for it, so that it is never
    # smaller there (screens/widgets/audit.py compare_pictures); 长辈模式 takes the room it has
    SAMPLE_SHARE = {"review": (0.52, 0.69), "beside": (0.33, 0.23)}

    def _sample_cap(self, where: str):
        from kivy.core.window import Window
        if self.app.elderly:
            return None
        return min(Window.size) * self.SAMPLE_SHARE[where][1 if self.app.portrait else 0]

    def build_capture(self, body) -> None:
        from screens.widgets.paperwork_widgets import LivePage, ReviewedSample
        flow = self.flow
        target = flow.capture_target
        self._stop_camera()
        if target is None:
            self.add_text(body, "材料都拍好了。没拍的，办理时请给工作人员看原件。", big=True)
            return
        if self.capture_phase == "reviewed":
            review = flow.review_of(target) or {"quality": [], "checks": []}
            sample = ReviewedSample(max_height=self._sample_cap("review"))
            if target.sample:
                sample.source = str(self.app.terminal.library.pack.asset(target.sample))
            sample.points = [(a.x, a.y, a.n, ok) for a, ok in flow.point_results(target)]
            side = self.capture_row(body, sample)
            self.add_text(side, f"{target.name}{target.side}", big=True)
            for code in review["quality"]:
                self.add_text(side, f"× 照片{MESSAGES[code]}")
            for check in review["checks"]:
                self.add_text(side, f"{'✓' if check['ok'] else '×'} {check['detail']}")
            self.add_text(side, "机器只是帮您看一遍，最后由工作人员审核。", muted=True)
            return
        live = LivePage()
        side = self.capture_row(body, live)
        self.add_text(side, target.instruction, big=True)
        if self.capture_phase == "reviewing":
            self.verdict_line(side, REVIEWING)
        else:
            self.verdict_line(side, "放好后别动，机器会自己拍。")
        if target.sample:
            side.add_widget(Factory.Image(source=str(self.app.terminal.library.pack.asset(target.sample)),
                                          fit_mode="contain", size_hint_max_y=self._sample_cap("beside")))
        if self.capture_phase != "reviewing":
            self._start_camera(live, wait_for_change=self._retaking)

    def actions(self, key: str) -> list:
        """拍材料, a line of the form being changed and the signature (确定) have their own buttons at the foot."""
        flow = self.flow
        if key == "capture" and flow.capture_target is not None:
            if self.capture_phase == "reviewed":
                return [self.button("重拍", self.retake, primary=False, picto="back"),
                        self.button("就用这张", self.use_page, picto="check")]
            back = self.back_button()
            if self.capture_phase == "reviewing":
                return [back]
            return [back, self.button("这份不拍了", self.skip_page, primary=False),
                    self.button("拍照", self.take_now, picto="touch")]
        if key == "form" and self.editing:
            return [self.button("改好了", self.done_editing, picto="check")]
        if key == "sign" and not flow.is_last:     # the pad's own 确定: the name is written, go on
            return [self.back_button(), self.next_button(W.CONFIRM, picto="check")]
        return super().actions(key)

    # -- 核对申请表 ----------------------------------------------------------------------------------
    def build_form(self, body) -> None:
        flow = self.flow
        form = flow.form()
        if self.editing:
            self._build_edit(body, form.get(self.editing))
            return
        self.add_text(body, form.title, big=True)
        rows = []
        for line in form.fields:
            row = Factory.FormLine()
            row.label, row.value, row.source = line.label, line.value or "（还没填）", line.source_words
            row.missing = not line.value
            row.bind(on_release=lambda r, label=line.label: self.edit_line(label))
            rows.append(row)
        self.add_rows(body, rows)       # a long form in pages that fit, never below a scroll

    def edit_line(self, label: str) -> None:
        """A line of the form was tapped: change it."""
        self.editing = label
        self.refresh()

    def _build_edit(self, body, line) -> None:
        self.add_text(body, f"改一下：{line.label}", big=True)
        if line.label in PHONE_FIELDS or line.label in ID_FIELDS:
            kind, max_len = ("phone", 11) if line.label in PHONE_FIELDS else ("id", 18)
            self.add_keypad(body, line.value, lambda v, label=line.label: self.flow.change_field(label, v),
                            kind=kind, max_len=max_len)
        else:
            kb = self._keyboard()
            kb.clear()
            kb.text = line.value
            if kb.parent is not None:
                kb.parent.remove_widget(kb)
            body.add_widget(kb)

    def _keyboard(self):
        if self._kb is None:
            from screens.widgets.pinyin_keyboard import keyboard_with_lexicon
            self._kb = keyboard_with_lexicon()
        return self._kb

    def done_editing(self) -> None:
        """改好了: what was typed on the keyboard goes to the flow; back to the whole form."""
        label = self.editing
        if label and label not in PHONE_FIELDS and label not in ID_FIELDS and self._kb is not None:
            self._kb.commit_letters()
            self.flow.change_field(label, self._kb.text)
            self._kb.clear()
        self.editing = ""
        self.refresh()

    # -- 签名 ---------------------------------------------------------------------------------------
    def build_sign(self, body) -> None:
        from screens.widgets.paperwork_widgets import SignaturePad
        pad = SignaturePad(signature=self.flow.signature(), size_hint_y=None)
        self.fill_room(pad, self.app.target_h * 2.5)     # as big as the room left: 重写 stays in view
        pad.bind(strokes_drawn=lambda *_: self.update_next())
        self._pad = pad
        self._scroll(False)      # a finger writing must not scroll the page
        body.add_widget(pad)
        row = BoxLayout(size_hint_y=None, height=self.app.target_h, spacing=self.app.pad)
        again = self.button("重写", self.clear_signature, primary=False)
        again.size_hint_x = 0.4            # not a second row of wide buttons over 上一步 / 下一步
        row.add_widget(again)
        row.add_widget(Widget())
        body.add_widget(row)

    def _scroll(self, on: bool) -> None:
        body = self.ids.get("body")
        scroller = body.parent if body is not None else None
        from kivy.uix.scrollview import ScrollView
        if isinstance(scroller, ScrollView):
            scroller.do_scroll_y = on

    def clear_signature(self) -> None:
        """重写."""
        self.flow.signature().clear()
        self.refresh()

    def leave_paperwork(self) -> None:
        """The screen is left or wiped: the camera is released, the keyboard forgets (and in demo mode
        the simulated desk is cleared, as the citizen takes their papers)."""
        self._stop_camera()
        camera = self._doccam()
        if camera.can("place"):
            camera.place(None)
        self.capture_phase, self.editing = "live", ""
        if self._kb is not None:
            self._kb.clear()


TOUR_MATTER = "HZ-WJ-001"     # 生育登记: its form has review rules in the demo pack


def tour_licences(flow, agreed: bool = True) -> None:
    """The tour's answer to 用电子证照: the reference platform's own demo e-licences of the demo citizen,
    laid into the flow without a network (what `use_licences(True)` would have fetched)."""
    from platform_server.documents import licence_register
    identity = flow.terminal.session.identity
    wanted = set(flow.licence_types())
    register = licence_register({"id_number": identity.number, "name": identity.name})
    state = flow.state
    state.consent, state.licences_loaded = ("yes" if agreed else "no"), True
    state.licences = [{"id": r["id"], "type": r["type"], "title": r["title"], "issuer": r["issuer"],
                       "valid_to": r["valid_to"], "fields": dict(r["data"])} for r in register if r["type"] in wanted]
    state.licences_missing = sorted(wanted - {r["type"] for r in register})


def paperwork_tour_states() -> list:
    """Tour states of the paperwork steps, driven with the simulated document camera; the review
    state shows a stored result (no OCR in the tour: it photographs what the citizen would see)."""
    def at(step: str, phase: str = "live", editing: str = "", blurry: bool = False, strokes: bool = False):
        def go(app):
            from kiosk.demo import demo_identity
            who = demo_identity()
            app.identified(who)
            app.go("apply", matter=TOUR_MATTER)
            screen = app.screen("apply")
            flow = screen.flow
            flow.set_phone("13905301234")
            tour_licences(flow)            # 居民身份证 and 结婚证 fetched: the form is the page to take
            flow.go_to(step)
            camera = screen._doccam()
            if step == "capture" and phase == "live" and camera.can("place"):
                from devices.doccam import synthetic
                from kiosk.review import specimens
                values = {"姓名": who.name, "公民身份号码": who.number, "联系电话": "13905301234"}
                page = specimens.form("生育登记表", values, list(values), signature=False)
                camera.place(synthetic.photo(page, seed=5, fill=0.85, blur=4.0 if blurry else 0.0).frame, as_photo=True)
            if phase == "reviewed":
                target = flow.capture_target
                flow.state.reviews[target.key] = {
                    "quality": [], "page": f"{target.name}.jpg", "material": target.material_id,
                    "checks": [{"check": "readable", "ok": True, "detail": "字能看清。"},
                               {"check": "filled", "ok": True, "detail": "该填的都填了。"},
                               {"check": "signed", "ok": False, "detail": "还没有签字。"}]}
            screen.capture_phase, screen.editing = phase, editing
            if strokes:
                flow.signature().add_stroke([(120, 170), (260, 90), (380, 210), (520, 110), (680, 190)])
            screen.refresh()
        return go
    return [("-capture", at("capture", blurry=True)), ("-review", at("capture", "reviewed")),
            ("-form", at("form")), ("-form-edit", at("form", editing="联系电话")),
            ("-sign", at("sign")), ("-signed", at("sign", strokes=True))]
