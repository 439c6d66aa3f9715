"""The committed pictograms are what kiosk/pictos.py draws (so nobody hand-edits a PNG)."""
from PIL import Image, ImageChops

from kiosk import pictos


def test_committed_pictograms_match_the_generator():
    for name in pictos.PICTOS:
        committed = Image.open(pictos.path(name)).convert("RGBA")
        drawn = pictos.render(name)
        assert committed.size == drawn.size == (pictos.SIZE, pictos.SIZE)
        diff = ImageChops.difference(committed, drawn).getbbox()
        assert diff is None, f"{name}.png is out of date: run python -m kiosk.pictos"


def test_pictograms_are_not_blank():
    for name in pictos.PICTOS:
        alpha = pictos.render(name).getchannel("A")
        covered = sum(1 for v in alpha.getdata() if v > 128) / (pictos.SIZE ** 2)
        assert 0.03 < covered < 0.7, name
