"""Pieces of the step-by-step citizen flows (好差评, 吐槽找茬, 办件查询).

FlowTitle / FlowHint / FlowError (kv only): the question of a step, what to do, what went wrong.
FlowActions (kv only): the row of buttons at the foot of a step.
LegacyStepScreen: a screen that shows one step at a time, each built afresh into `ids.body`.
FaceChoice: one 好差评 level as a face pictogram WITH its words (colour is never the only cue).

Used big on the 好差评 level step (a main function) and small in the indicator rows. A chosen face
is drawn inverted and gets a tick beside its words.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from screens.widgets.base import KioskScreen, load_kv
from screens.widgets import step_screen  # noqa: F401  (FlowTitle, FlowHint, FlowError, FlowActions)

load_kv(__file__)


class FaceChoice(ButtonBehavior, BoxLayout):
    """One 好差评 level: a face pictogram with its words (colour is never the only cue)."""
    level = NumericProperty(0)
    key = StringProperty("")           # which row it belongs to (indicator key), "" on the level step
    text = StringProperty("")
    picto = StringProperty("")
    selected = BooleanProperty(False)
    wide = BooleanProperty(False)      # face beside the words (one column, portrait) instead of above
    font_size = NumericProperty(26)
    bg_color = ColorProperty((1, 1, 1, 1))
    fg_color = ColorProperty((0, 0, 0, 1))
    role = StringProperty("main")


class LegacyStepScreen(KioskScreen):
    """One question per page: `show(step)` empties `ids.body` and calls `_build_<step>(body)`.

    Steps are rebuilt (not hidden) when 长辈模式 changes, so that sizes and the number of items per
    page always follow the mode, and no widget keeps what the flow's own state does not.
    """

    step = StringProperty("")

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show(self.step) if self.step else None)

    def show(self, step: str) -> None:
        """Show step `step` (builds it afresh)."""
        self.step = step
        body = self.ids.body
        body.clear_widgets()
        getattr(self, f"_build_{step}")(body)

    def _title(self, box, title: str, hint: str = "") -> None:
        box.add_widget(Factory.FlowTitle(text=title))
        if hint:
            box.add_widget(Factory.FlowHint(text=hint))

    def _add_keypad(self, body) -> None:
        """The step's error line, then the screen's one keypad (moved here from wherever it was last
        shown, so what was typed stays), then a spacer that pushes the buttons down."""
        body.add_widget(Factory.FlowError(text=self.error))
        if self.keypad.parent is not None:
            self.keypad.parent.remove_widget(self.keypad)
        body.add_widget(self.keypad)
        body.add_widget(Factory.Widget())

    def _button(self, text: str, on_tap, primary: bool = True, picto: str = ""):
        button = Factory.BigButton(text=text, primary=primary, picto=picto)
        button.bind(on_release=lambda _b: on_tap())
        return button

    def _stack_in_portrait(self, actions) -> None:
        """More than two wide buttons do not fit side by side on a portrait screen: stack them."""
        app = self.app
        count = len(actions.children)
        if app.portrait and count > 2:
            actions.orientation = "vertical"
            actions.height = app.target_h * count + actions.spacing * (count - 1)
