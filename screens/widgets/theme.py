"""The theme values the .kv rules read from the App (`app.fs_body`, `app.col_fg`, …) as Kivy properties,
for the terminal's App and the 暂停服务 window on the other displays alike (kiosk/theme.py holds the
numbers)."""
from __future__ import annotations

from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty

from kiosk.theme import COLOURS, THEME


class ThemeProperties:
    """Mixed into an App: one property per theme value; `apply_theme` sets them all for the App's mode
    (`elderly`), sizes in sp and dp of this screen."""

    elderly = BooleanProperty(False)
    fs_small = NumericProperty(THEME["fs_small"][0])
    fs_body = NumericProperty(THEME["fs_body"][0])
    fs_button = NumericProperty(THEME["fs_button"][0])
    fs_title = NumericProperty(THEME["fs_title"][0])
    target_h = NumericProperty(THEME["target_h"][0])
    pad = NumericProperty(THEME["pad"][0])
    col_bg = ColorProperty(COLOURS["col_bg"][0])
    col_card = ColorProperty(COLOURS["col_card"][0])
    col_fg = ColorProperty(COLOURS["col_fg"][0])
    col_muted = ColorProperty(COLOURS["col_muted"][0])
    col_primary = ColorProperty(COLOURS["col_primary"][0])
    col_primary_fg = ColorProperty(COLOURS["col_primary_fg"][0])
    col_brand = ColorProperty(COLOURS["col_brand"][0])
    col_warn = ColorProperty(COLOURS["col_warn"][0])
    col_ok = ColorProperty(COLOURS["col_ok"][0])

    def apply_theme(self, *_args) -> None:
        """Every theme value for the mode the App is in."""
        i = 1 if self.elderly else 0
        for name, pair in THEME.items():
            setattr(self, name, (dp if name in ("target_h", "pad") else sp)(pair[i]))
        for name, pair in COLOURS.items():
            setattr(self, name, pair[i])
