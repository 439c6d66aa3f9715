"""Widgets of the guide screens: list items, step and sample pictures, tappable callouts.

The guide library itself (pack + search index) and the pinyin lexicon belong to the terminal core
(`app.library`, `terminal.when_lexicon_ready`)."""
from __future__ import annotations

import logging

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from screens.widgets.base import load_kv

load_kv(__file__)
log = logging.getLogger(__name__)

def when_lexicon_ready(callback) -> None:
    """Call `callback(lexicon)` on the UI thread once the terminal's pinyin lexicon is built (the core
    builds it on a background thread the first time anyone asks)."""
    App.get_running_app().terminal.when_lexicon_ready(
        lambda lexicon: Clock.schedule_once(lambda _dt: callback(lexicon), 0))


class GuideItem(ButtonBehavior, BoxLayout):
    """One line of a guide list: title, one plain line under it, and a badge."""
    text = StringProperty("")
    hint = StringProperty("")
    badge = StringProperty("")
    key = StringProperty("")
    kind = StringProperty("matter")    # matter | theme | department
    bg_color = ColorProperty((1, 1, 1, 1))
    selected = BooleanProperty(False)


class CalloutButton(ButtonBehavior, Widget):
    """A tap target over a numbered review point of a sample picture (the number is in the picture)."""
    n = NumericProperty(0)
    selected = BooleanProperty(False)
