"""Accessibility audit of what is on screen: touch targets, text sizes and text contrast.

Walks the live widget tree (the current screen and any open overlay), so it checks exactly what a
citizen would see, in the mode the app is in. Used by tests/ui and available to staff tools.
"""
from __future__ import annotations

from dataclasses import dataclass

from kivy.metrics import dp, sp
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.contrast import (MIN_CONTRAST, MIN_CONTRAST_LARGE, MIN_MAIN_SP, MIN_TARGET_DP, MIN_TEXT_SP,
                            blend, contrast_ratio, is_large_text)


@dataclass
class Finding:
    """One accessibility finding: where, what rule, the measured value and the limit."""
    screen: str
    rule: str
    widget: str
    value: float
    minimum: float

    def row(self) -> str:
        """The finding as a row of the printed table."""
        return f"| {self.screen} | {self.rule} | {self.widget} | {self.value:.1f} | {self.minimum:.1f} |"


def _effective_opacity(w: Widget) -> float:
    o = 1.0
    while w is not None and isinstance(w, Widget):
        o *= w.opacity
        if w.parent is w:
            break
        w = w.parent
    return o


def _visible(w: Widget) -> bool:
    from kivy.core.window import Window
    if w.width <= 1 or w.height <= 1 or _effective_opacity(w) < 0.05:
        return False
    x, y = w.to_window(*w.pos)
    return x < Window.width and y < Window.height and x + w.width > 0 and y + w.height > 0


def _background(w: Widget, default) -> tuple:
    """Nearest ancestor background colour that is painted (bg_color with alpha)."""
    node = w
    while node is not None and isinstance(node, Widget):
        bg = getattr(node, "bg_color", None)
        if bg is not None and len(bg) == 4 and bg[3] > 0.5:
            return tuple(bg)
        if node.parent is node:
            break
        node = node.parent
    return tuple(default)


def _main_owner(w: Widget):
    node = w.parent
    while node is not None and isinstance(node, Widget):
        if getattr(node, "role", "") == "main":
            return node
        node = node.parent
    return None


def _label_name(w: Label) -> str:
    text = (w.text or "").replace("\n", " ")
    return f"Label '{text[:14]}'"


def walk(root: Widget):
    """Every widget under `root`, depth first."""
    yield root
    for child in root.children:
        yield from walk(child)


def audit(app, roots=None, screen_name: str | None = None) -> list[Finding]:
    """Findings for the widgets under `roots` (default: the window's children) in the app's mode."""
    from kivy.core.window import Window
    mode = "elderly" if app.elderly else "normal"
    roots = roots if roots is not None else list(Window.children)
    name = screen_name or (app.sm.current if app.sm else "?")
    found: list[Finding] = []
    main_sizes: dict[int, tuple[Widget, float]] = {}
    for root in roots:
        for w in walk(root):
            if not _visible(w) or w.disabled:
                continue
            if isinstance(w, ButtonBehavior):
                side = min(w.width, w.height) / dp(1)
                if side < MIN_TARGET_DP[mode]:
                    found.append(Finding(name, "touch target (dp)", type(w).__name__, side, MIN_TARGET_DP[mode]))
            if isinstance(w, Label) and (w.text or "").strip():
                size_sp = w.font_size / sp(1)
                if size_sp + 0.01 < MIN_TEXT_SP[mode]:
                    found.append(Finding(name, "text size (sp)", _label_name(w), size_sp, MIN_TEXT_SP[mode]))
                owner = _main_owner(w)
                if owner is not None:
                    best = main_sizes.get(id(owner))
                    if best is None or size_sp > best[1]:
                        main_sizes[id(owner)] = (owner, size_sp)
                bg = _background(w, app.col_bg)
                fg = blend(w.color, bg, _effective_opacity(w))
                ratio = contrast_ratio(fg, bg)
                large = is_large_text(size_sp, w.bold)
                minimum = (MIN_CONTRAST_LARGE if large else MIN_CONTRAST)[mode]
                if ratio + 1e-6 < minimum:
                    found.append(Finding(name, "contrast (:1)", _label_name(w), ratio, minimum))
    for owner, size_sp in main_sizes.values():
        if size_sp + 0.01 < MIN_MAIN_SP[mode]:
            found.append(Finding(name, "main function text (sp)", type(owner).__name__, size_sp, MIN_MAIN_SP[mode]))
    return found


def table(findings: list[Finding]) -> str:
    """The findings as a plain-text table for the test log."""
    lines = ["| screen | rule | widget | value | minimum |", "|---|---|---|---|---|"]
    lines += [f.row() for f in findings]
    return "\n".join(lines)
