"""Where the pictograms are: the PNGs that kiosk/pictos.py draws into kiosk/data/pictos/.

Kept apart from the drawing code so that the front end finds a pictogram at start without loading
Pillow's drawing modules and 300 lines of shapes before its first frame.
"""
from __future__ import annotations

from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "data" / "pictos"


def path(name: str) -> str:
    """File of a pictogram, for Kivy Image.source."""
    return str(OUT_DIR / f"{name}.png")
