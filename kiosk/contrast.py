"""WCAG 2.x contrast ratio of two colours, and the elderly-friendly minimums we audit against."""
from __future__ import annotations

from typing import Sequence

# Minimums (shared/specs/devices.md, MIIT 适老化 rules). Sizes in sp; 1 pt = 4/3 sp.
MIN_TEXT_SP = {"normal": 18.0, "elderly": 24.0}            # body text; elderly >= 18 pt
MIN_MAIN_SP = {"normal": 24.0, "elderly": 40.0}            # main functions; elderly >= 30 pt
MIN_TARGET_DP = {"normal": 44.0, "elderly": 60.0}
MIN_CONTRAST = {"normal": 4.5, "elderly": 7.0}
MIN_CONTRAST_LARGE = {"normal": 3.0, "elderly": 7.0}       # large text: >= 24 sp, or >= 18.66 sp bold


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: Sequence[float]) -> float:
    r, g, b = (_channel(float(v)) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def blend(fg: Sequence[float], bg: Sequence[float], alpha: float | None = None) -> tuple[float, float, float]:
    """fg drawn with its alpha (times `alpha`) over an opaque bg."""
    a = (fg[3] if len(fg) > 3 else 1.0) * (1.0 if alpha is None else alpha)
    return tuple(a * f + (1 - a) * b for f, b in zip(fg[:3], bg[:3]))  # type: ignore[return-value]


def contrast_ratio(fg: Sequence[float], bg: Sequence[float]) -> float:
    la, lb = luminance(fg), luminance(bg)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def is_large_text(font_sp: float, bold: bool) -> bool:
    return font_sp >= 24 or (bold and font_sp >= 18.66)
