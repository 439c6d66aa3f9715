"""A signature written on the touchscreen, as strokes, made into a PNG attachment (no Kivy).

The signature pad widget (SignaturePad in screens/widgets/paperwork_widgets.py) collects strokes in
its own pixels and hands them here: `Signature.add_stroke(points)`, `clear()` for 重写, `png()` for 确定. The ink is
thick (the pad draws what the PNG will show) and a signature must be long enough to be one: a tap or
a dot is not (`MIN_INK`).
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

INK = (20, 40, 110)
WIDTH_PX = 8          # stroke width in the PNG at its 800-pixel width (a felt pen, not a hairline)
MIN_INK = 0.25        # total stroke length at least this share of the pad's width
PNG_WIDTH = 800
CONTENT_TYPE = "image/png"


@dataclass
class Signature:
    """Strokes on a pad of `size` (width, height) in the pad's own units, y pointing down."""
    size: tuple[float, float]
    strokes: list[list[tuple[float, float]]] = field(default_factory=list, repr=False)

    def add_stroke(self, points: list[tuple[float, float]]) -> None:
        """One stroke (finger down to up); points outside the pad are held to its edge."""
        w, h = self.size
        pts = [(min(max(x, 0.0), w), min(max(y, 0.0), h)) for x, y in points]
        if pts:
            self.strokes.append(pts)

    def clear(self) -> None:
        """重写: start again."""
        self.strokes.clear()

    @property
    def ink_length(self) -> float:
        """Total length of all strokes, in pad units."""
        return sum(math.dist(a, b) for s in self.strokes for a, b in zip(s, s[1:]))

    @property
    def signed(self) -> bool:
        """True when there is enough ink to count as a signature."""
        return self.ink_length >= MIN_INK * self.size[0]

    def png(self) -> bytes:
        """The signature as a PNG on white, PNG_WIDTH pixels wide, thick round ink."""
        w, h = self.size
        scale = PNG_WIDTH / w
        im = Image.new("RGB", (PNG_WIDTH, max(1, round(h * scale))), (255, 255, 255))
        d = ImageDraw.Draw(im)
        r = WIDTH_PX / 2
        for stroke in self.strokes:
            pts = [(x * scale, y * scale) for x, y in stroke]
            if len(pts) > 1:
                d.line(pts, fill=INK, width=WIDTH_PX, joint="curve")
            for x, y in (pts[0], pts[-1]):
                d.ellipse([x - r, y - r, x + r, y + r], fill=INK)
        out = io.BytesIO()
        im.save(out, "PNG", optimize=True)
        return out.getvalue()
