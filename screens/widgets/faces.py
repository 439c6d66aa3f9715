"""FaceChoice: one 好差评 level as a face pictogram WITH its words (colour is never the only cue).

Used big on the 好差评 level step (a main function) and small in the indicator rows. A chosen face
is drawn inverted and gets a tick beside its words.
"""
from __future__ import annotations

from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from screens.widgets.base import load_kv

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
    face_cap = NumericProperty(None, allownone=True)   # the face's width at most (None: all the room)
