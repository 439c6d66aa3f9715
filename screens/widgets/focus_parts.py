"""The parts of the focus ring (screens/widgets/focus_ring.py): the controls' tree in reading order,
the words on a control, and the visible frame around the one in focus."""
from __future__ import annotations

import re

from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.uix.label import Label
from kivy.uix.widget import Widget

_MARKUP = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")


def _visible(w: Widget) -> bool:
    o = 1.0
    while isinstance(w, Widget):
        o *= w.opacity
        if w.parent is w or o <= 0.01:
            break
        w = w.parent
    return o > 0.01


def _in_order(widget: Widget):
    """The widget tree in reading order: kv declaration order (Kivy keeps children last-added-first);
    inside a grid, rows top to bottom and left to right."""
    yield widget
    children = list(reversed(widget.children))
    if type(widget).__name__.endswith("GridLayout"):
        children.sort(key=lambda c: (-round(c.top), c.x))
    for child in children:
        yield from _in_order(child)


def _plain(text: str) -> str:
    return _MARKUP.sub("", str(text)).replace("\n", "，").strip()


def _words(w: Widget) -> str:
    """The words on a control: what it says for the voice (`a11y_text`), its text (and hint), else
    the labels inside it."""
    if getattr(w, "a11y_text", ""):
        return _plain(w.a11y_text)
    text = _plain(getattr(w, "text", "") or "")
    if text:
        parts = [text] + [_plain(getattr(w, a, "") or "") for a in ("badge", "hint")]
        if getattr(w, "ready", True) is False:
            parts.append("暂未开通")
        return "，".join(p for p in parts if p)
    labels = [_plain(c.text) for c in _in_order(w) if isinstance(c, Label) and c is not w and _plain(c.text)
              and _visible(c)]
    return "，".join(labels)


def _ancestor(w: Widget, name: str):
    while isinstance(w, Widget) and w.parent is not w:
        if type(w).__name__ == name:
            return w
        w = w.parent
    return None


def _pad_of(w):
    """The number field (a Keypad, or a subclass such as 办件查询's) a control belongs to, else None."""
    from screens.widgets.keypad import Keypad
    while isinstance(w, Widget) and w.parent is not w:
        if isinstance(w, Keypad):
            return w
        w = w.parent
    return None


class FocusFrame(Widget):
    """The visible focus: a thick yellow frame with a black edge, above everything, so that a
    helper standing beside the citizen (or a citizen with low vision) sees where the focus is."""

    def __init__(self, **kwargs):
        super().__init__(size_hint=(None, None), **kwargs)
        with self.canvas:
            Color(0, 0, 0, 1)
            self._outer = Line(width=dp(7))
            Color(1, 0.84, 0, 1)
            self._inner = Line(width=dp(4))

    def follow(self, target: Widget | None) -> None:
        """Draw around `target` (window coordinates); nothing when there is none."""
        if target is None or target.get_root_window() is None:
            self._outer.rectangle = self._inner.rectangle = (0, 0, 0, 0)
            self.opacity = 0
            return
        x, y = target.to_window(target.x, target.y)
        w, h = target.width, target.height
        m = dp(6)
        self._outer.rectangle = (x - m, y - m, w + 2 * m, h + 2 * m)
        self._inner.rectangle = (x - m, y - m, w + 2 * m, h + 2 * m)
        self.opacity = 1
