"""Pictograms of the terminal, drawn by the project itself with Pillow (`python -m kiosk.pictos`).

White shapes on a transparent background, so that the UI tints them with the theme colour (Kivy's
Image.color multiplies). Drawn at 4x and scaled down for smooth edges. The PNGs in kiosk/data/pictos/
are the output of this module; tests/unit/test_pictos.py checks that they are up to date.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw

from kiosk.picto_files import OUT_DIR, path  # noqa: F401  (path: where a pictogram is, for Kivy)

SIZE = 256
SCALE = 4
W = SIZE * SCALE
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
LINE = 44  # stroke width at 4x


def _u(v: float) -> int:
    """Coordinates are given on a 0..100 grid."""
    return int(round(v * W / 100))


def _box(x0, y0, x1, y1):
    return [_u(x0), _u(y0), _u(x1), _u(y1)]


def _line(d: ImageDraw.ImageDraw, pts, width=LINE):
    d.line([(_u(x), _u(y)) for x, y in pts], fill=WHITE, width=width, joint="curve")
    for x, y in (pts[0], pts[-1]):
        r = width / 2
        d.ellipse([_u(x) - r, _u(y) - r, _u(x) + r, _u(y) + r], fill=WHITE)


def _doc(d, x0=22, y0=10, x1=72, y1=90):
    d.rounded_rectangle(_box(x0, y0, x1, y1), radius=_u(6), outline=WHITE, width=LINE)


def guide(d):  # an open book
    d.rounded_rectangle(_box(8, 18, 48, 84), radius=_u(5), outline=WHITE, width=LINE)
    d.rounded_rectangle(_box(52, 18, 92, 84), radius=_u(5), outline=WHITE, width=LINE)
    for y in (34, 48, 62):
        _line(d, [(17, y), (39, y)], LINE * 2 // 3)
        _line(d, [(61, y), (83, y)], LINE * 2 // 3)


def apply(d):  # a form and a pen
    _doc(d, 12, 8, 64, 92)
    for y in (28, 44, 60):
        _line(d, [(23, y), (52, y)], LINE * 2 // 3)
    _line(d, [(90, 30), (58, 78)], LINE + 12)
    d.polygon([(_u(55), _u(84)), (_u(52), _u(93)), (_u(61), _u(88))], fill=WHITE)


def tracking(d):  # a magnifying glass over a document
    _doc(d, 10, 8, 58, 80)
    for y in (26, 40):
        _line(d, [(21, y), (46, y)], LINE * 2 // 3)
    d.ellipse(_box(44, 44, 80, 80), outline=WHITE, width=LINE)
    _line(d, [(76, 76), (92, 92)], LINE + 12)


def evaluation(d):  # a smiling face and a star
    d.ellipse(_box(8, 14, 76, 82), outline=WHITE, width=LINE)
    d.ellipse(_box(26, 34, 34, 42), fill=WHITE)
    d.ellipse(_box(50, 34, 58, 42), fill=WHITE)
    d.arc(_box(24, 36, 60, 70), start=20, end=160, fill=WHITE, width=LINE)
    _star(d, 82, 20, 15)


def _star(d, cx, cy, r):
    import math
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.45
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((_u(cx + rad * math.cos(a)), _u(cy + rad * math.sin(a))))
    d.polygon(pts, fill=WHITE)


def complaint(d):  # a megaphone
    d.polygon([(_u(14), _u(38)), (_u(34), _u(38)), (_u(74), _u(14)), (_u(74), _u(78)),
               (_u(34), _u(58)), (_u(14), _u(58))], fill=WHITE)
    d.rectangle(_box(24, 58, 36, 84), fill=WHITE)
    _line(d, [(84, 36), (94, 32)], LINE * 2 // 3)
    _line(d, [(84, 48), (96, 48)], LINE * 2 // 3)
    _line(d, [(84, 60), (94, 64)], LINE * 2 // 3)


def postal(d):  # an envelope at a house door
    d.polygon([(_u(50), _u(6)), (_u(92), _u(40)), (_u(8), _u(40))], outline=WHITE, width=LINE)
    d.rectangle(_box(16, 40, 84, 92), outline=WHITE, width=LINE)
    d.rectangle(_box(30, 52, 70, 80), fill=WHITE)
    d.line([(_u(30), _u(52)), (_u(50), _u(68)), (_u(70), _u(52))], fill=CLEAR, width=LINE // 2)


def appointment(d):  # a queue ticket with a number
    d.rounded_rectangle(_box(14, 10, 86, 90), radius=_u(8), outline=WHITE, width=LINE)
    d.rectangle(_box(26, 24, 74, 34), fill=WHITE)
    for x in (30, 50, 70):  # three dots: "your turn is coming"
        d.ellipse(_box(x - 6, 52, x + 6, 64), fill=WHITE)
    _line(d, [(28, 78), (72, 78)], LINE * 2 // 3)


def help(d):  # a person raising a hand
    d.ellipse(_box(36, 8, 60, 32), fill=WHITE)
    d.rounded_rectangle(_box(32, 36, 64, 72), radius=_u(8), fill=WHITE)
    _line(d, [(62, 42), (80, 24), (84, 6)], LINE + 8)
    _line(d, [(36, 44), (24, 66)], LINE + 8)
    _line(d, [(40, 70), (38, 94)], LINE + 8)
    _line(d, [(56, 70), (58, 94)], LINE + 8)


def idcard(d):  # a resident ID card
    d.rounded_rectangle(_box(6, 20, 94, 80), radius=_u(7), outline=WHITE, width=LINE)
    d.rounded_rectangle(_box(62, 32, 84, 66), radius=_u(3), fill=WHITE)
    for y, x1 in ((36, 52), (48, 52), (60, 44)):
        _line(d, [(16, y), (x1, y)], LINE * 2 // 3)


def sscard(d):  # a bank-style card with a chip
    d.rounded_rectangle(_box(6, 20, 94, 80), radius=_u(7), outline=WHITE, width=LINE)
    d.rounded_rectangle(_box(16, 34, 36, 52), radius=_u(3), fill=WHITE)
    _line(d, [(16, 66), (80, 66)], LINE * 2 // 3)


def qrphone(d):  # a phone showing a QR code
    d.rounded_rectangle(_box(24, 4, 76, 96), radius=_u(9), outline=WHITE, width=LINE)
    for x, y in ((33, 18), (53, 18), (33, 52)):
        d.rectangle(_box(x, y, x + 14, y + 14), outline=WHITE, width=LINE * 2 // 3)
    for x, y in ((55, 54), (62, 62), (55, 68), (66, 52)):
        d.rectangle(_box(x, y, x + 6, y + 6), fill=WHITE)
    _line(d, [(44, 88), (56, 88)], LINE * 2 // 3)


def elderly(d):  # an older person with a walking stick
    d.ellipse(_box(30, 6, 52, 28), fill=WHITE)
    d.rounded_rectangle(_box(28, 32, 54, 66), radius=_u(8), fill=WHITE)
    _line(d, [(34, 64), (28, 94)], LINE + 8)
    _line(d, [(48, 64), (54, 94)], LINE + 8)
    _line(d, [(52, 40), (70, 56)], LINE)
    _line(d, [(72, 52), (76, 94)], LINE)


def home(d):
    d.polygon([(_u(50), _u(8)), (_u(94), _u(46)), (_u(6), _u(46))], fill=WHITE)
    d.rectangle(_box(18, 44, 82, 92), fill=WHITE)
    d.rectangle(_box(42, 62, 58, 92), fill=CLEAR)


def back(d):
    _line(d, [(60, 14), (24, 50), (60, 86)], LINE + 16)
    _line(d, [(26, 50), (88, 50)], LINE + 16)


def clock(d):
    d.ellipse(_box(8, 8, 92, 92), outline=WHITE, width=LINE)
    _line(d, [(50, 50), (50, 24)], LINE)
    _line(d, [(50, 50), (70, 60)], LINE)


def speaker(d):
    d.polygon([(_u(10), _u(36)), (_u(30), _u(36)), (_u(54), _u(14)), (_u(54), _u(86)),
               (_u(30), _u(64)), (_u(10), _u(64))], fill=WHITE)
    d.arc(_box(48, 30, 72, 70), start=-60, end=60, fill=WHITE, width=LINE)
    d.arc(_box(52, 16, 92, 84), start=-60, end=60, fill=WHITE, width=LINE)


def building(d):  # "under construction": a traffic cone
    d.polygon([(_u(50), _u(8)), (_u(78), _u(84)), (_u(22), _u(84))], fill=WHITE)
    d.polygon([(_u(40), _u(36)), (_u(60), _u(36)), (_u(64), _u(48)), (_u(36), _u(48))], fill=CLEAR)
    d.polygon([(_u(32), _u(60)), (_u(68), _u(60)), (_u(72), _u(70)), (_u(28), _u(70))], fill=CLEAR)
    d.rounded_rectangle(_box(10, 84, 90, 94), radius=_u(3), fill=WHITE)


def touch(d):  # a finger tapping
    d.rounded_rectangle(_box(40, 20, 58, 70), radius=_u(9), fill=WHITE)
    d.rounded_rectangle(_box(28, 52, 76, 94), radius=_u(14), fill=WHITE)
    d.arc(_box(30, 2, 68, 40), start=200, end=340, fill=WHITE, width=LINE * 2 // 3)


def check(d):  # done: a tick in a circle
    d.ellipse(_box(6, 6, 94, 94), outline=WHITE, width=LINE)
    _line(d, [(28, 52), (44, 68), (74, 34)], LINE + 10)


def phone(d):  # a handset, for phone numbers and call-backs
    d.rounded_rectangle(_box(28, 4, 72, 96), radius=_u(8), outline=WHITE, width=LINE)
    _line(d, [(42, 14), (58, 14)], LINE * 2 // 3)
    d.ellipse(_box(45, 80, 55, 90), fill=WHITE)


def warn(d):  # attention: a triangle with an exclamation mark
    d.polygon([(_u(50), _u(6)), (_u(96), _u(90)), (_u(4), _u(90))], outline=WHITE, width=LINE)
    _line(d, [(50, 34), (50, 62)], LINE + 6)
    d.ellipse(_box(45, 72, 55, 82), fill=WHITE)


def _face(d, mouth: int, brows: int = 0):
    """A round face for the 好差评 levels; `mouth` from +2 (big smile) to -2 (deep frown)."""
    d.ellipse(_box(6, 6, 94, 94), outline=WHITE, width=LINE)
    d.ellipse(_box(30, 32, 40, 44), fill=WHITE)
    d.ellipse(_box(60, 32, 70, 44), fill=WHITE)
    if brows:  # eyebrows slanting down towards the nose: unhappy
        _line(d, [(26, 26), (42, 30)], LINE * 2 // 3)
        _line(d, [(74, 26), (58, 30)], LINE * 2 // 3)
    if mouth == 2:     # wide open smile
        d.chord(_box(26, 44, 74, 80), start=0, end=180, fill=WHITE)
    elif mouth == 1:
        d.arc(_box(28, 40, 72, 76), start=20, end=160, fill=WHITE, width=LINE + 8)
    elif mouth == 0:
        _line(d, [(32, 66), (68, 66)], LINE + 8)
    elif mouth == -1:
        d.arc(_box(28, 60, 72, 94), start=200, end=340, fill=WHITE, width=LINE + 8)
    else:              # deep frown
        d.arc(_box(28, 58, 72, 96), start=195, end=345, fill=WHITE, width=LINE + 8)


def face5(d):  # 非常满意
    _face(d, 2)


def face4(d):  # 满意
    _face(d, 1)


def face3(d):  # 基本满意
    _face(d, 0)


def face2(d):  # 不满意
    _face(d, -1)


def face1(d):  # 非常不满意
    _face(d, -2, brows=1)


def printer(d):  # a printer with a sheet coming out
    d.rounded_rectangle(_box(8, 34, 92, 72), radius=_u(6), outline=WHITE, width=LINE)
    d.rectangle(_box(26, 12, 74, 34), outline=WHITE, width=LINE)
    d.rectangle(_box(26, 60, 74, 94), fill=CLEAR, outline=WHITE, width=LINE)
    for y in (72, 82):
        _line(d, [(36, y), (64, y)], LINE * 2 // 3)
    d.ellipse(_box(76, 42, 84, 50), fill=WHITE)


def licence(d):  # a licence card with a seal, shown on a phone-sized frame
    d.rounded_rectangle(_box(6, 18, 94, 82), radius=_u(7), outline=WHITE, width=LINE)
    d.ellipse(_box(60, 32, 84, 56), outline=WHITE, width=LINE * 2 // 3)
    _line(d, [(66, 44), (71, 49), (79, 39)], LINE // 2)
    for y, x1 in ((34, 48), (46, 48), (58, 40)):
        _line(d, [(16, y), (x1, y)], LINE * 2 // 3)
    _line(d, [(16, 70), (84, 70)], LINE * 2 // 3)


PICTOS: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    f.__name__: f for f in (guide, apply, tracking, evaluation, complaint, postal, appointment, help,
                            idcard, sscard, qrphone, elderly, home, back, clock, speaker, building, touch,
                            check, phone, warn, face5, face4, face3, face2, face1, printer, licence)
}


def render(name: str) -> Image.Image:
    """Draw one pictogram at SIZE x SIZE."""
    img = Image.new("RGBA", (W, W), CLEAR)
    PICTOS[name](ImageDraw.Draw(img))
    return img.resize((SIZE, SIZE), Image.LANCZOS)


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PICTOS:
        target = out_dir / f"{name}.png"
        render(name).save(target, optimize=True)
        written.append(target)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(p)
