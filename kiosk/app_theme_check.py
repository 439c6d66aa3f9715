"""The theme's text/background pairs with their contrast, checked without starting Kivy."""
from __future__ import annotations

from kiosk.contrast import MIN_CONTRAST, contrast_ratio
from kiosk.theme import COLOURS

# which colour is drawn on which background in the shared widgets
PAIRS = (("col_fg", "col_bg"), ("col_fg", "col_card"), ("col_muted", "col_bg"), ("col_muted", "col_card"),
         ("col_primary_fg", "col_primary"), ("col_primary", "col_card"), ("col_brand", "col_card"),
         ("col_primary_fg", "col_brand"), ("col_warn", "col_card"), ("col_ok", "col_card"),
         ("col_primary", "col_bg"), ("col_brand", "col_bg"))


def theme_pairs():
    """(mode, fg name, bg name, ratio, minimum) for every pair the widgets use."""
    out = []
    for i, mode in enumerate(("normal", "elderly")):
        for fg, bg in PAIRS:
            out.append((mode, fg, bg, contrast_ratio(COLOURS[fg][i], COLOURS[bg][i]), MIN_CONTRAST[mode]))
    return out
