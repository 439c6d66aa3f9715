"""The pictures of 在哪里办, drawn on the terminal with Pillow from the pack's data — no tile server, no download.

- `map_png`: the service points by their positions (a local flat projection around them), the listed
  ones numbered like the list, every level with its own shape (not colour alone), the terminal as a red
  pin with 您在这里, a scale bar in kilometres and the north arrow.
- `floor_plan_png`: a hall's floor plan (places/*.yaml `floor_plan`): its areas, its numbered windows, the
  window for the matter ringed, 您在这里 at the self-service terminals (or 大门 when the terminal stands
  elsewhere) and the way from there to the window.
"""
from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from kiosk.guides.draw import ACCENT, INK, PAPER, RED, SOFT, TEXT, font
from kiosk.guides.places import FloorPlan, Place

LAND = (246, 244, 236)
MUTED = (120, 120, 120)
LEVEL_SHAPES = {"city": "star", "county": "square", "township": "triangle", "village": "circle"}
LEGEND = (("city", "市级中心"), ("county", "县区中心"), ("township", "乡镇中心"), ("village", "村服务站"))


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def _shape(d: ImageDraw.ImageDraw, kind: str, x: float, y: float, r: float, fill, outline=INK) -> None:
    if kind == "star":
        pts = [(x + (r if i % 2 == 0 else r * 0.45) * math.sin(i * math.pi / 5),
                y - (r if i % 2 == 0 else r * 0.45) * math.cos(i * math.pi / 5)) for i in range(10)]
        d.polygon(pts, fill=fill, outline=outline, width=3)
    elif kind == "square":
        d.rectangle([x - r * 0.8, y - r * 0.8, x + r * 0.8, y + r * 0.8], fill=fill, outline=outline, width=3)
    elif kind == "triangle":
        d.polygon([(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)], fill=fill, outline=outline, width=3)
    else:
        d.ellipse([x - r * 0.8, y - r * 0.8, x + r * 0.8, y + r * 0.8], fill=fill, outline=outline, width=3)


def _pin(d: ImageDraw.ImageDraw, x: float, y: float, r: float) -> None:
    d.polygon([(x, y), (x - r * 0.7, y - r * 1.4), (x + r * 0.7, y - r * 1.4)], fill=RED)
    d.ellipse([x - r, y - r * 2.4, x + r, y - r * 0.4], fill=RED, outline=PAPER, width=3)
    d.ellipse([x - r * 0.35, y - r * 1.75, x + r * 0.35, y - r * 1.05], fill=PAPER)


class _Labels:
    """Places labels where they do not cover one another (the first free spot of four)."""

    def __init__(self, d: ImageDraw.ImageDraw, size: tuple[int, int]):
        self.d, self.size, self.boxes = d, size, []

    def put(self, x: float, y: float, text: str, px: int, fill=TEXT, bold=False, gap=18) -> None:
        f = font(px, bold)
        left, top, right, bottom = self.d.textbbox((0, 0), text, font=f)
        w, h = right - left, bottom - top
        options = [(x + gap, y - h / 2), (x - gap - w, y - h / 2), (x - w / 2, y - gap - h), (x - w / 2, y + gap)]
        for ox, oy in options + [options[0]]:
            box = (ox - 4, oy - 4, ox + w + 4, oy + h + 4)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.size[0] and box[3] <= self.size[1]
            if inside and not any(_overlap(box, b) for b in self.boxes):
                break
        self.boxes.append(box)
        self.d.rounded_rectangle(box, radius=6, fill=(255, 255, 255))
        self.d.text((ox - left, oy - top), text, font=f, fill=fill)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def map_png(places: list[Place], position: tuple[float, float], numbered: list[Place] | None = None,
            size: tuple[int, int] = (960, 760), here_words: str = "您在这里") -> bytes:
    """The service points around the terminal; `numbered` ones carry their number in the list (1, 2 …)."""
    numbered = numbered or []
    w, h = size
    margin, legend_h = 70, 64
    im = Image.new("RGB", size, LAND)
    d = ImageDraw.Draw(im)
    pts = [(p.lat, p.lon) for p in (numbered or places)] + [position]   # the frame: what the list names
    lat0 = sum(p[0] for p in pts) / len(pts)
    kx = math.cos(math.radians(lat0))            # a degree of longitude is shorter than one of latitude
    xs, ys = [lon * kx for _, lon in pts], [lat for lat, _ in pts]
    span = max(max(xs) - min(xs), (max(ys) - min(ys)) * (w - 2 * margin) / (h - 2 * margin - legend_h), 0.03)
    scale = (w - 2 * margin) / span               # pixels per degree (latitude)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return w / 2 + (lon * kx - cx) * scale, (h - legend_h) / 2 - (lat - cy) * scale

    labels = _Labels(d, (w, h - legend_h))
    labels.boxes.append((w - 64, 10, w, 96))     # the north arrow
    numbers = {p.id: i for i, p in enumerate(numbered, start=1)}
    for p in places:                              # the others first, small and grey, underneath
        x, y = xy(p.lat, p.lon)
        if p.id not in numbers and 0 < x < w and 0 < y < h - legend_h:
            _shape(d, LEVEL_SHAPES.get(p.level, "circle"), x, y, 9, fill=(200, 200, 200), outline=MUTED)
    tx, ty = xy(*position)
    for p in numbered:
        x, y = xy(p.lat, p.lon)
        d.line([(tx, ty), (x, y)], fill=(170, 190, 215), width=3)
    for p in numbered:
        x, y = xy(p.lat, p.lon)
        _shape(d, LEVEL_SHAPES.get(p.level, "circle"), x, y, 22, fill=SOFT)
        d.text((x, y + 1), str(numbers[p.id]), font=font(24, True), fill=INK, anchor="mm")
    _pin(d, tx, ty, 20)
    labels.boxes.append((tx - 22, ty - 50, tx + 22, ty))
    labels.put(tx, ty - 24, here_words, 30, fill=RED, bold=True, gap=26)
    for p in numbered:
        labels.put(*xy(p.lat, p.lon), f"{numbers[p.id]} {p.name}", 24, bold=numbers[p.id] == 1, gap=28)
    # scale bar: a round number of kilometres, about a fifth of the width
    km_per_px = 111.32 / scale
    km = next(k for k in (0.5, 1, 2, 5, 10, 20, 50, 100, 200) if k / km_per_px > w / 8)
    bar = km / km_per_px
    y0 = h - legend_h - 24
    d.line([(24, y0), (24 + bar, y0)], fill=TEXT, width=5)
    d.text((24, y0 - 10), f"{km:g} 公里", font=font(22), fill=TEXT, anchor="ls")
    d.polygon([(w - 40, 20), (w - 54, 56), (w - 26, 56)], fill=TEXT)
    d.text((w - 40, 76), "北", font=font(24, True), fill=TEXT, anchor="mm")
    # legend: the shape of each level, in words
    d.rectangle([0, h - legend_h, w, h], fill=PAPER)
    x = 24
    for level, words in LEGEND:
        _shape(d, LEVEL_SHAPES[level], x + 12, h - legend_h / 2, 13, fill=SOFT)
        d.text((x + 32, h - legend_h / 2), words, font=font(22), fill=TEXT, anchor="lm")
        x += 40 + d.textlength(words, font=font(22)) + 28
    return _png(im)


def floor_plan_png(place: Place, code: str = "", here: bool = False, size: tuple[int, int] = (1000, 700)) -> bytes:
    """The hall's floor plan with the window for matter `code` ringed and the way to it from 您在这里
    (the self-service terminals, when this terminal stands in the hall) or from the 大门."""
    plan: FloorPlan | None = place.plan
    if plan is None:
        raise ValueError(f"{place.name} has no floor plan in the pack")
    w, h = size
    top = 64
    k = min((w - 40) / plan.width, (h - top - 60) / plan.depth)
    ox, oy = (w - plan.width * k) / 2, top + 10

    def xy(x: float, y: float) -> tuple[float, float]:
        return ox + x * k, oy + y * k

    im = Image.new("RGB", size, PAPER)
    d = ImageDraw.Draw(im)
    d.text((20, 16), f"{place.name}　{plan.floor}", font=font(28, True), fill=INK)
    target = plan.window_for(code) if code else None
    if target is not None:
        d.text((w - 20, 16), f"请到 {target.number} 号窗口", font=font(30, True), fill=TEXT, anchor="ra")
    d.rectangle([*xy(0, 0), *xy(plan.width, plan.depth)], fill=LAND, outline=INK, width=5)
    for a in plan.areas:
        d.rectangle([*xy(a.x, a.y), *xy(a.x + a.w, a.y + a.h)], fill=(233, 238, 246), outline=(170, 185, 205), width=2)
        d.text(xy(a.x + a.w / 2, a.y + a.h - 1.2), a.name, font=font(20), fill=MUTED, anchor="ms")
    for win in plan.windows:
        x, y = xy(win.x, win.y)
        hit = win is target
        r = 34 if hit else 26
        d.rounded_rectangle([x - r, y - r * 0.8, x + r, y + r * 0.8], radius=8, fill=ACCENT if hit else PAPER,
                            outline=TEXT if hit else INK, width=5 if hit else 3)
        d.text((x, y), win.number, font=font(26 if hit else 22, True), fill=TEXT if hit else INK, anchor="mm")
        if win.label:
            d.text((x, y + r * 0.8 + 4), win.label, font=font(18), fill=TEXT, anchor="ma")
    ex, ey = xy(*plan.entrance)
    d.rectangle([ex - 40, ey - 8, ex + 40, ey + 8], fill=PAPER, outline=INK, width=3)
    d.text((ex, ey + 12), "大门", font=font(22, True), fill=INK, anchor="ma")
    start = plan.terminals if here else plan.entrance
    sx, sy = xy(*start)
    if target is not None:     # across to the walkway in front of the window, along it, then to the window
        between = [a for a in plan.aisles if min(target.x, start[0]) <= a <= max(target.x, start[0])]
        aisle = min(between, key=lambda a: abs(a - target.x)) if between else start[0]
        wx, wy = xy(target.x, target.y)
        ax = xy(aisle, 0)[0]
        path = [(sx, sy), (ax, sy), (ax, wy), (wx + (40 if wx < ax else -40), wy)]
        _dashes(d, path, ACCENT, 7)
    if here:
        _pin(d, sx, sy, 18)
        d.text((sx + 26, sy - 26), "您在这里", font=font(28, True), fill=RED, anchor="lm")
    return _png(im)


def _dashes(d: ImageDraw.ImageDraw, pts, fill, width: int, dash: float = 18) -> None:
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        n = max(1, int(length // dash))
        for i in range(0, n, 2):
            a, b = i / n, min(1.0, (i + 1) / n)
            d.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                   fill=fill, width=width)
