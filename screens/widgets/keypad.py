"""A big numeric keypad for phone numbers, tracking numbers and ID numbers.

Touch terminals have no keyboard, and the system on-screen keyboard is too small for elderly users;
digits are entered here and shown grouped (139 0530 1234) so they are easy to check.
"""
from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.widgets.base import load_kv

load_kv(__file__)


def group_digits(value: str, groups: tuple[int, ...]) -> str:
    """'13905301234' with (3, 4, 4) -> '139 0530 1234'; extra digits follow in one group."""
    out, i = [], 0
    for size in groups:
        if i >= len(value):
            break
        out.append(value[i:i + size])
        i += size
    if i < len(value):
        out.append(value[i:])
    return " ".join(out)


class Keypad(BoxLayout):
    """The big numeric keypad; digits shown grouped (139 0530 1234), PINs as dots."""
    value = StringProperty("")
    shown = StringProperty("")
    placeholder = StringProperty("请用数字键输入")
    max_len = NumericProperty(11)
    allow_x = BooleanProperty(False)   # the last character of an ID number may be X
    kind = StringProperty("phone")     # phone | id | plain — how digits are grouped
    secret = BooleanProperty(False)    # PINs: show dots, never the digits

    def on_value(self, *_):
        if self.secret:
            self.shown = "●" * len(self.value)
            return
        groups = {"phone": (3, 4, 4), "id": (6, 8, 4)}.get(self.kind, ())
        self.shown = group_digits(self.value, groups) if groups else self.value

    def press(self, key: str) -> None:
        """One key: a digit, X (ID numbers), del or clear."""
        if key == "del":
            self.value = self.value[:-1]
        elif key == "clear":
            self.value = ""
        elif len(self.value) < self.max_len:
            if key == "X" and not (self.allow_x and len(self.value) == self.max_len - 1):
                return
            self.value += key

    def clear(self) -> None:
        """Forget what was typed."""
        self.value = ""
