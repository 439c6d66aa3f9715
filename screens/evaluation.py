"""好差评: what is rated → five faces → the four indicators → (差评) reasons and a call-back phone → submit.

The steps, the indicator pages, the checks and the payload are kiosk/flows/evaluation.py
(EvaluationFlow); this screen shows them and forwards taps. Tapping a face or what is rated moves on
by itself, so those steps have no 下一步.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.demo import demo_identity
from kiosk.flows.evaluation import BAD_REASONS, HALL, LEVELS
from screens.widgets.base import load_kv
from screens.widgets.faces import FaceChoice
from screens.widgets.step_screen import StepScreen
from kiosk import wording as W

load_kv(__file__)


class EvaluationScreen(StepScreen):
    """好差评, one step at a time."""

    flow_name = "evaluation"

    # -- what is rated ----------------------------------------------------------------------------
    def build_target(self, body) -> None:
        """The hall, or one of this visit's submissions; a tap chooses and moves on."""
        choose = self.chose(self.flow.choose_target)
        for key, words in self.flow.target_choices():
            button = self.button(words, lambda k=key: choose(k), primary=False,
                                 picto="evaluation" if key == HALL else "apply")
            button.wrap = True        # a receipt's number with its matter may not fit on one line
            body.add_widget(button)

    # -- five faces ---------------------------------------------------------------------------------
    def build_level(self, body) -> None:
        """Five faces with their words, best to worst (one column in portrait); a tap moves on."""
        app, flow = self.app, self.flow
        grid = GridLayout(cols=1 if app.portrait else 5, spacing=app.pad, size_hint_y=None,
                          height=app.target_h * (5 * 1.2 + 4 * 0.2) if app.portrait else app.target_h * 3.4)
        choose = self.chose(flow.choose_level)
        for level, words in LEVELS:
            face = FaceChoice(level=level, text=words, picto=f"face{level}", font_size=app.fs_button,
                              selected=flow.state.level == level, wide=app.portrait)
            face.bind(on_release=lambda f: choose(f.level))
            grid.add_widget(face)
        body.add_widget(grid)

    # -- the four indicators (fewer a page in 长辈模式) ------------------------------------------------
    def build_indicators(self, body) -> None:
        """The indicators of this page, each a row of five small faces (pre-filled with the level)."""
        for key, words in self.flow.indicators_shown():
            body.add_widget(self._indicator_row(key, words))

    def _indicator_row(self, key: str, words: str):
        app, flow = self.app, self.flow
        row = Factory.IndicatorRow()
        row.text = words
        small = app.fs_small if app.portrait else app.fs_body
        for level, level_words in LEVELS:
            face = FaceChoice(level=level, key=key, text=level_words, picto=f"face{level}", font_size=small,
                              selected=flow.state.indicators.get(key) == level, role="choice")
            if app.portrait and not app.elderly:    # within the width 长辈模式's margins leave (never smaller there)
                face.face_cap = dp(150)
            face.bind(on_release=lambda f: self._set_indicator(f.key, f.level))
            row.ids.faces.add_widget(face)
        return row

    def _set_indicator(self, key: str, level: int) -> None:
        self.flow.set_indicator(key, level)
        self.refresh()

    # -- 差评 reasons ---------------------------------------------------------------------------------
    def build_reasons(self, body) -> None:
        """The 差评 reasons: several may be chosen, each says 已选 in words."""
        app, flow = self.app, self.flow
        if app.portrait:
            cols = 1 if app.elderly else 2
        else:
            cols = 2 if app.elderly else 3
        grid = GridLayout(cols=cols, spacing=app.pad, size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        toggle = self.chose(flow.toggle_reason)
        for key, words in BAD_REASONS:
            chosen = key in flow.state.reasons
            button = Factory.BigButton(text=("已选：" if chosen else "") + words, primary=chosen,
                                       picto="check" if chosen else "")
            button.key = key
            button.bind(on_release=lambda b: toggle(b.key))
            grid.add_widget(button)
        body.add_widget(grid)

    # -- call-back phone ------------------------------------------------------------------------------
    def build_phone(self, body) -> None:
        """The keypad; every key goes to the flow."""
        self.add_keypad(body, self.flow.state.phone, self.flow.set_phone, placeholder="请用数字键输入手机号")

    def submit_without_phone(self) -> None:
        """不留电话，提交: no call-back number after all."""
        self.flow.set_phone("")
        self.finish()

    # -- the buttons at the foot ----------------------------------------------------------------------
    def actions(self, key: str) -> list:
        """Faces and what is rated move on by themselves (上一步 only); the indicator pages say 下一页;
        a call-back phone that is not required can be skipped."""
        flow = self.flow
        back = self.back_button()
        if key == "target":
            return []
        if key == "level":
            return [back, Widget()] if flow.index > 0 else []
        if key == "indicators" and flow.more_indicators:
            return [back, self.next_button(W.PAGE_NEXT)]
        if key == "phone" and not flow.phone_required:
            return [back, self.button("不留电话，提交", self.submit_without_phone, primary=False),
                    self.next_button(flow.finish_words, picto="check")]
        return super().actions(key)

    # -- tour -----------------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        """The first step, what is rated, the indicators, the 差评 reasons and the real-name phone step."""
        def state(step="", level=0, reasons=(), phone="", identified=False, receipt=False):
            def go(app):
                if identified:
                    app.identified(demo_identity())
                if receipt:
                    app.session.receipts.append({"local_id": "HZ0001-20261127-0007", "kind": "application"})
                app.go("evaluation")
                screen = app.screen("evaluation")
                flow = screen.flow
                if level:
                    flow.choose_level(level)
                for reason in reasons:
                    flow.toggle_reason(reason)
                flow.set_phone(phone)
                if step:
                    flow.go_to(step)
                screen.refresh()
            return go

        return [("", state()), ("-target", state(receipt=True)), ("-indicators", state("indicators", 4)),
                ("-reasons", state("reasons", 2, ("slow", "many_trips"))),
                ("-phone", state("phone", 1, phone="1390530", identified=True))]
