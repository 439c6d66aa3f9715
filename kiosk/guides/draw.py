"""Pictures of the content pack, drawn by the project itself: `python -m kiosk.guides.draw [PACK]`.

- Step pictograms (assets/steps/<name>.png): a simple scene and a two-to-four character caption.
- Samples (assets/samples/<name>.png): cards, certificates and forms filled with obviously fake
  data and a 样本 stamp, with the numbered review-point callouts of the pack drawn on them. The
  callout positions and texts come from the pack's YAML (one source of truth: the screen puts its
  tap targets at the same fractions), so re-run this after changing annotations.

Everything is drawn with Pillow and the Noto CJK font; nothing is copied. The PNGs are committed;
tests/unit/test_guides_pack.py checks that this module still reproduces them.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
INK = (31, 78, 140)
ACCENT = (230, 120, 0)
TEXT = (40, 40, 40)
PAPER = (255, 255, 255)
SOFT = (234, 243, 255)
RED = (205, 40, 40)
STEP_SIZE = (480, 360)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK (SC face of the collection)."""
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    return ImageFont.truetype(str(FONT_DIR / name), size, index=2)  # index 2 = SC


def _center_text(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int,
                 fill=TEXT, bold: bool = False) -> None:
    d.text(xy, text, font=font(size, bold), fill=fill, anchor="mm")


# -- step pictograms (drawn on a 0..100 grid of the upper 78% of the picture) --------------------

class _Grid:
    def __init__(self, d: ImageDraw.ImageDraw, w: int, h: int):
        self.d, self.w, self.h = d, w, h

    def p(self, x: float, y: float) -> tuple[int, int]:
        return int(self.w * x / 100), int(self.h * y / 100)

    def box(self, x0, y0, x1, y1) -> list[int]:
        return [*self.p(x0, y0), *self.p(x1, y1)]

    def rect(self, x0, y0, x1, y1, fill=None, outline=INK, width=6, r=12):
        self.d.rounded_rectangle(self.box(x0, y0, x1, y1), radius=r, fill=fill, outline=outline, width=width)

    def line(self, pts, fill=INK, width=6):
        self.d.line([self.p(x, y) for x, y in pts], fill=fill, width=width, joint="curve")

    def circle(self, cx, cy, r, fill=None, outline=INK, width=6):
        x0, y0 = self.p(cx - r, cy - r)
        x1, _ = self.p(cx + r, cy)
        rr = (x1 - x0) / 2
        cxp, cyp = self.p(cx, cy)
        self.d.ellipse([cxp - rr, cyp - rr, cxp + rr, cyp + rr], fill=fill, outline=outline, width=width)

    def text(self, x, y, s, size=28, fill=TEXT, bold=False):
        _center_text(self.d, self.p(x, y), s, size, fill, bold)


def _person(g: _Grid, x: float, y: float, s: float = 1.0, colour=ACCENT) -> None:
    g.circle(x, y, 6 * s, fill=colour, outline=colour)
    g.d.pieslice(g.box(x - 12 * s, y + 8 * s, x + 12 * s, y + 40 * s), 180, 360, fill=colour)


def _paper(g: _Grid, x0, y0, x1, y1, lines=3):
    g.rect(x0, y0, x1, y1, fill=PAPER)
    step = (y1 - y0) / (lines + 1)
    for i in range(1, lines + 1):
        g.line([(x0 + 6, y0 + i * step), (x1 - 6, y0 + i * step)], fill=(150, 170, 200), width=4)


def take_number(g):
    g.rect(14, 8, 46, 92, fill=SOFT)
    g.rect(20, 16, 40, 40, fill=PAPER)
    g.text(30, 28, "取号", 26, INK, True)
    g.rect(22, 52, 38, 58, fill=INK)
    _paper(g, 56, 30, 84, 80, 0)
    g.text(70, 44, "A018", 30, ACCENT, True)
    # the ticket's lines go below the number: a line through "A018" would read as crossed out
    g.line([(62, 62), (78, 62)], fill=(150, 170, 200), width=4)
    g.line([(62, 70), (78, 70)], fill=(150, 170, 200), width=4)


def swipe_id(g):
    g.rect(12, 48, 62, 90, fill=SOFT)
    g.rect(20, 12, 56, 46, fill=(200, 225, 250), outline=INK)
    g.circle(30, 26, 6, fill=PAPER)
    g.line([(40, 22), (52, 22)], width=4)
    g.line([(40, 32), (52, 32)], width=4)
    g.line([(70, 30), (70, 70)], fill=ACCENT, width=8)
    g.d.polygon([g.p(62, 62), g.p(78, 62), g.p(70, 76)], fill=ACCENT)


def fill_form(g):
    _paper(g, 18, 8, 62, 92, 5)
    g.line([(88, 18), (60, 78)], fill=ACCENT, width=14)
    g.d.polygon([g.p(57, 76), g.p(55, 90), g.p(64, 82)], fill=ACCENT)


def sign(g):
    _paper(g, 12, 12, 70, 88, 3)
    g.d.line([g.p(22, 74), g.p(30, 64), g.p(36, 76), g.p(44, 62), g.p(52, 74)], fill=RED, width=6)
    g.line([(92, 20), (64, 74)], fill=ACCENT, width=14)


def hand_in(g):
    g.rect(52, 6, 94, 94, fill=SOFT)
    g.text(73, 18, "窗口", 26, INK, True)
    _person(g, 73, 36, 0.9, INK)
    _paper(g, 16, 40, 44, 80, 3)
    g.line([(44, 60), (58, 60)], fill=ACCENT, width=8)


def photo(g):
    g.rect(14, 26, 86, 86, fill=SOFT)
    g.rect(34, 14, 54, 28, fill=SOFT)
    g.circle(50, 56, 16, fill=PAPER)
    g.circle(50, 56, 8, fill=INK, outline=INK)


def wait_review(g):
    g.circle(50, 50, 30, fill=SOFT)
    g.line([(50, 50), (50, 26)], width=8)
    g.line([(50, 50), (66, 58)], fill=ACCENT, width=8)


def get_result(g):
    g.rect(22, 10, 78, 70, fill=(255, 236, 236), outline=RED)
    g.text(50, 34, "证", 56, RED, True)
    g.d.pieslice(g.box(28, 62, 72, 100), 180, 360, fill=ACCENT)


def mail(g):
    g.rect(10, 24, 62, 74, fill=PAPER)
    g.line([(10, 24), (36, 50), (62, 24)], width=6)
    g.rect(64, 40, 92, 74, fill=SOFT)
    g.circle(22, 82, 6, fill=INK, outline=INK)
    g.circle(80, 82, 6, fill=INK, outline=INK)


def pay(g):
    g.circle(50, 48, 30, fill=(255, 243, 214), outline=ACCENT)
    g.text(50, 48, "¥", 80, ACCENT, True)


def scan_code(g):
    g.rect(28, 6, 72, 94, fill=SOFT)
    for (x, y) in ((36, 18), (54, 18), (36, 46)):
        g.rect(x, y, x + 12, y + 16, fill=INK, r=2, width=2)
    for (x, y) in ((56, 50), (62, 58), (54, 60), (60, 42)):
        g.rect(x, y, x + 4, y + 5, fill=INK, r=1, width=1)
    g.line([(24, 74), (76, 74)], fill=ACCENT, width=6)


def terminal(g):
    g.rect(22, 4, 78, 70, fill=SOFT)
    g.rect(30, 12, 70, 52, fill=PAPER)
    g.text(50, 32, "办", 44, INK, True)
    g.rect(36, 70, 64, 94, fill=SOFT)


def doctor(g):
    g.rect(20, 20, 80, 80, fill=PAPER)
    g.rect(42, 28, 58, 72, fill=RED, outline=RED, r=2)
    g.rect(28, 42, 72, 58, fill=RED, outline=RED, r=2)


def check(g):
    _paper(g, 14, 8, 58, 92, 4)
    g.circle(64, 52, 18, fill=None, outline=ACCENT, width=10)
    g.line([(76, 66), (92, 84)], fill=ACCENT, width=14)


def bank(g):
    g.rect(14, 24, 86, 78, fill=SOFT)
    g.rect(14, 34, 86, 44, fill=INK, outline=INK, r=0)
    g.rect(22, 56, 44, 68, fill=(240, 200, 80), outline=ACCENT, r=4)


def online(g):
    g.rect(34, 6, 66, 94, fill=SOFT)
    g.rect(38, 14, 62, 78, fill=PAPER)
    g.line([(42, 30), (58, 30)], width=4)
    g.line([(42, 42), (58, 42)], width=4)
    g.rect(42, 54, 58, 66, fill=ACCENT, outline=ACCENT, r=4)


def house(g):
    g.d.polygon([g.p(50, 8), g.p(12, 44), g.p(88, 44)], fill=SOFT, outline=INK)
    g.rect(20, 44, 80, 90, fill=SOFT, r=2)
    g.rect(42, 60, 58, 90, fill=ACCENT, outline=ACCENT, r=2)


def family(g):
    _person(g, 30, 16, 1.0, INK)
    _person(g, 60, 18, 0.9, ACCENT)
    _person(g, 82, 46, 0.5, ACCENT)


STEP_PICTURES: dict[str, tuple[Callable[[_Grid], None], str]] = {
    "take_number": (take_number, "取号"), "swipe_id": (swipe_id, "刷身份证"),
    "fill_form": (fill_form, "填表"), "sign": (sign, "签字"), "hand_in": (hand_in, "交材料"),
    "photo": (photo, "拍照"), "wait_review": (wait_review, "等审核"), "get_result": (get_result, "拿结果"),
    "mail": (mail, "邮寄到家"), "pay": (pay, "交费"), "scan_code": (scan_code, "扫码"),
    "terminal": (terminal, "自助机办理"), "doctor": (doctor, "去医院评定"), "check": (check, "核对"),
    "bank": (bank, "银行卡"), "online": (online, "手机上办"), "house": (house, "房屋"),
    "family": (family, "全家"),
}


def draw_step(name: str) -> Image.Image:
    """One step pictogram with its caption underneath."""
    fn, caption = STEP_PICTURES[name]
    w, h = STEP_SIZE
    im = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(im)
    g = _Grid(d, w, int(h * 0.78))
    fn(g)
    d.rectangle([0, int(h * 0.8), w, h], fill=INK)
    _center_text(d, (w // 2, int(h * 0.9)), caption, 38, PAPER, True)
    return im


# -- the whole pack ------------------------------------------------------------------------------

def sample_points(pack_dir: Path) -> dict[str, list[tuple[float, float]]]:
    """Callout positions per sample name, from the pack's materials (pack.yaml and matters).
    A sample is one picture, so two materials that share it must share its callouts."""
    from kiosk.guides.loader import parse_pack
    pack, _ = parse_pack(pack_dir)
    points: dict[str, list[tuple[float, float]]] = {}
    if pack is None:
        return points
    for matter in pack.matters:
        for mat in matter.materials:
            if not mat.sample:
                continue
            name = Path(mat.sample).stem
            pts = [(a.x, a.y) for a in mat.annotations]
            if name in points and points[name] != pts:
                raise ValueError(f"sample {name} has different callouts in {matter.source}")
            points[name] = pts
    return points


def render_all(pack_dir: Path) -> dict[str, Image.Image]:
    """Every picture of the pack: {path inside the pack: image}."""
    from kiosk.guides.draw_samples import SAMPLES, draw_sample
    points = sample_points(pack_dir)
    out = {f"assets/steps/{name}.png": draw_step(name) for name in STEP_PICTURES}
    for name in SAMPLES:
        out[f"assets/samples/{name}.png"] = draw_sample(name, points.get(name, []))
    return out


def write_all(pack_dir: Path) -> list[Path]:
    """Write the pictures into the pack folder; returns the files written."""
    written = []
    for rel, im in render_all(pack_dir).items():
        path = pack_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        im.save(path, optimize=True)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from config import CONFIG_DIR
    pack_dir = Path(argv[0]) if argv else CONFIG_DIR / "content"
    files = write_all(pack_dir)
    print(f"wrote {len(files)} pictures into {pack_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
