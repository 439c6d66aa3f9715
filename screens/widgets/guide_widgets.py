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
from kivy.uix.layout import Layout
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


class ButtonRows(Layout):
    """Buttons side by side, in as few rows as their natural widths allow (one row when they fit), each row
    filling the width with the rows' widths as even as possible. Its height follows the rows (size_hint_y
    None); the buttons keep their own height. A button's words and picture stay centred in it: its own
    side padding is taken away and the gaps inside it are `inner`, so that a row of long words still fits."""
    spacing = NumericProperty(0)
    inner = NumericProperty(0)
    rows = NumericProperty(1)
    natural_width = NumericProperty(0)   # what all of them need in one row

    def __init__(self, **kwargs):
        self._trigger = Clock.create_trigger(self.do_layout, -1)
        super().__init__(**kwargs)
        self.size_hint_y = None
        self.fbind("width", self._trigger)
        self.fbind("spacing", self._trigger)
        self.fbind("pos", self._trigger)
        self.fbind("inner", self._trigger)

    def add_widget(self, widget, *args, **kwargs):
        """Add a button; the rows follow its width and height."""
        widget.fbind("minimum_width", self._trigger)
        widget.fbind("height", self._trigger)
        return super().add_widget(widget, *args, **kwargs)

    def remove_widget(self, widget, *args, **kwargs):
        """Remove a button."""
        widget.funbind("minimum_width", self._trigger)
        widget.funbind("height", self._trigger)
        return super().remove_widget(widget, *args, **kwargs)

    @staticmethod
    def split(widths: list[float], room: float, gap: float) -> list[list[int]]:
        """The buttons (indices, in order) on each row: the fewest rows in which every row fits `room`, and of
        those the split whose widest row is narrowest (a button wider than `room` gets a row of its own)."""
        from itertools import combinations
        n = len(widths)
        if n == 0:
            return []

        def width(a: int, b: int) -> float:
            return sum(widths[a:b]) + gap * (b - a - 1)
        for k in range(1, n + 1):
            best = None
            for cuts in combinations(range(1, n), k - 1):
                bounds = (0, *cuts, n)
                rows = [(bounds[i], bounds[i + 1]) for i in range(k)]
                widest = max(width(a, b) for a, b in rows)
                if all(width(a, b) <= room or b - a == 1 for a, b in rows) and (best is None or widest < best[0]):
                    best = (widest, rows)
            if best is not None:
                return [list(range(a, b)) for a, b in best[1]]
        return [[i] for i in range(n)]

    def natural(self, b) -> float:
        """The width `b` needs: its words and picture with the gaps `inner` (a plain widget: its minimum)."""
        if not isinstance(b, BoxLayout):
            return getattr(b, "minimum_width", b.width)
        return sum(c.width for c in b.children if c.size_hint_x is None) + self.inner * (len(b.children) - 1)

    def do_layout(self, *_args):
        """Place the buttons in rows (`split`), each row stretched to the full width."""
        buttons = list(reversed(self.children))        # in the order they were added
        for b in buttons:
            if isinstance(b, BoxLayout) and (b.padding[0] or b.padding[2] or b.spacing != self.inner):
                b.padding = (0, b.padding[1], 0, b.padding[3])
                b.spacing = self.inner
        widths = [self.natural(b) for b in buttons]
        self.natural_width = sum(widths) + self.spacing * max(0, len(widths) - 1)
        rows = self.split(widths, self.width, self.spacing)
        self.rows = max(1, len(rows))
        heights = [max((buttons[i].height for i in row), default=0) for row in rows]
        self.height = sum(heights) + self.spacing * max(0, len(rows) - 1)
        top = self.top
        for row, h in zip(rows, heights):
            natural = sum(widths[i] for i in row)
            extra = (self.width - self.spacing * (len(row) - 1) - natural) / len(row)
            x = self.x
            for i in row:
                b = buttons[i]
                b.size_hint_x = None
                b.width = widths[i] + extra
                b.pos = (x, top - h + (h - b.height) / 2)
                x += b.width + self.spacing
            top -= h + self.spacing
