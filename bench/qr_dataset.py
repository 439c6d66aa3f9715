"""A labelled set of camera-like 1280x720 frames with QR codes, generated at run time (seeded, deterministic).

Categories are what a terminal camera meets in a service hall: codes on phone screens (moiré from
the pixel grid, glare from ceiling lights, a dim screen, dark mode), blur, perspective, rotation,
small codes, a code held too close (big and out of focus), low contrast, several codes at once, and
frames with no code at all.

    from bench.qr_dataset import generate
    for sample in generate(per_category=20, seed=7): sample.category, sample.image, sample.texts

The conditions of the hall (where the ceiling light comes from, how bright phone screens are, the
camera's noise, how strong the glare, blur and moiré are) are a `Conditions` value. Two are fixed here:
TUNING (used with TUNING_SEED to choose the cascade's stages and thresholds) and HELD_OUT (another
seed and other conditions, used only to report figures; nothing in devices/camera was tuned on it).

    python -m bench.qr_dataset OUTDIR [N] [tuning|held_out]   # writes PNGs to look at

Nothing here is committed as images. These are generated frames, not photos from a terminal camera.
"""
from __future__ import annotations

import string
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np
import segno

W, H = 1280, 720
CATEGORIES = ("clean", "phone_moire", "phone_glare", "phone_dark", "phone_dark_mode", "blur",
              "perspective", "rotation", "small", "close", "low_contrast", "multi", "none")
PHONE_CATEGORIES = ("phone_moire", "phone_glare", "phone_dark", "phone_dark_mode")
_B64 = string.ascii_letters + string.digits + "-_"


@dataclass
class Sample:
    category: str
    index: int
    image: np.ndarray          # BGR uint8, H x W
    texts: tuple[str, ...]     # what must be decoded; empty for "none"
    quads: tuple[np.ndarray, ...] = field(default=(), repr=False)   # each code's 4 corners in the frame


Range = tuple[float, float]


@dataclass(frozen=True)
class Conditions:
    """How the hall, the phones and the camera treat a frame; every range is drawn uniformly per frame."""
    name: str
    light_deg: Range              # direction the ceiling light comes from (0 = from the right, 90 = from below)
    ambient: Range                # frame brightness falloff across the frame along the light direction
    screen_brightness: Range      # phone screens in the ordinary phone categories (1 = full)
    dark_screen: Range            # the phone_dark category's screen brightness
    dark_room: Range              # phone_dark: how much of the room's light is left
    noise: Range                  # camera noise sigma (grey levels) on every frame
    dark_noise: Range             # ... on phone_dark frames (gain turned up)
    lens: Range                   # lens softness sigma (px) on every frame
    glare: Range                  # strength of a ceiling light reflected on a phone's glass (grey levels)
    glare_size: Range             # its half-width (px)
    glare_offset: Range           # its distance from the code's centre along the light direction (px)
    blur_lens: Range              # blur category: out-of-focus sigma (px)
    blur_motion: Range            # blur category: motion blur length (px)
    moire_scale: Range            # phone_moire: camera pixels per screen pixel (near 1 the grid aliases)
    glare_scale: Range            # camera pixels per screen pixel on the other phone categories
    subpixel_gap: int = 4         # screen pixel = R, G, B stripes + (gap - 3) dark columns


# What the cascade was tuned on (with TUNING_SEED): light from the upper left, bright screens.
TUNING = Conditions(
    "tuning", light_deg=(200, 250), ambient=(0.0, 0.25), screen_brightness=(0.85, 1.0),
    dark_screen=(0.18, 0.35), dark_room=(0.15, 0.3), noise=(1.5, 2.5), dark_noise=(3, 6), lens=(0.5, 0.7),
    glare=(130, 230), glare_size=(40, 90), glare_offset=(0, 70), blur_lens=(1.5, 2.6), blur_motion=(7, 14),
    moire_scale=(0.6, 0.95), glare_scale=(0.9, 1.12))
TUNING_SEED = 7
# Reported on, never tuned on: light from the right and from below, dimmer screens, a noisier camera,
# broader and stronger glare, more blur, other moiré pitches and another subpixel layout.
HELD_OUT = Conditions(
    "held_out", light_deg=(-40, 100), ambient=(0.1, 0.4), screen_brightness=(0.6, 0.9),
    dark_screen=(0.14, 0.3), dark_room=(0.1, 0.25), noise=(2.5, 4.5), dark_noise=(4, 8), lens=(0.6, 0.9),
    glare=(160, 260), glare_size=(50, 110), glare_offset=(0, 90), blur_lens=(1.8, 2.9), blur_motion=(9, 16),
    moire_scale=(0.55, 1.05), glare_scale=(0.85, 1.15), subpixel_gap=3)
HELD_OUT_SEED = 1011
CONDITIONS = {c.name: c for c in (TUNING, HELD_OUT)}


def _u(rng: np.random.Generator, r: Range) -> float:
    return float(rng.uniform(r[0], r[1]))


# -- content ---------------------------------------------------------------------------------
def _code_text(rng: np.random.Generator) -> str:
    """Mostly RC1-shaped texts (~300 characters, a QR of version 10-12), some short platform codes."""
    if rng.random() < 0.8:
        payload = "".join(rng.choice(list(_B64), int(rng.integers(170, 230))))
        sig = "".join(rng.choice(list(_B64), 86))
        return f"RC1.{'RE'[int(rng.integers(0, 2))]}.{payload}.{sig}"
    return "https://hzzwfw.example.cn/c/" + "".join(rng.choice(list(_B64), int(rng.integers(16, 40))))


def _qr_modules(text: str) -> np.ndarray:
    """0/1 matrix with a 4-module quiet zone (1 = dark)."""
    qr = segno.make(text, error="m", micro=False)
    return np.array(list(qr.matrix_iter(border=4)), dtype=np.uint8)


def _qr_gray(text: str, module_px: int, dark: int = 0, light: int = 255) -> np.ndarray:
    m = _qr_modules(text)
    img = np.where(m == 1, dark, light).astype(np.uint8)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def _scene(rng: np.random.Generator) -> np.ndarray:
    """A cluttered hall background: gradient, shapes, lines, text, noise."""
    base = rng.integers(60, 200, 3)
    gy, gx = np.mgrid[0:H, 0:W].astype(np.float32)
    grad = (gx / W * rng.uniform(-60, 60) + gy / H * rng.uniform(-60, 60))
    img = np.clip(base[None, None, :] + grad[..., None], 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(8, 20))):
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        p1 = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        p2 = (int(rng.integers(0, W)), int(rng.integers(0, H)))
        kind = rng.integers(0, 3)
        if kind == 0:
            cv2.rectangle(img, p1, p2, color, -1)
        elif kind == 1:
            cv2.circle(img, p1, int(rng.integers(10, 120)), color, -1)
        else:
            cv2.line(img, p1, p2, color, int(rng.integers(1, 6)))
    for _ in range(int(rng.integers(2, 6))):
        words = "".join(rng.choice(list(string.ascii_letters + " "), int(rng.integers(5, 25))))
        cv2.putText(img, words, (int(rng.integers(0, W - 200)), int(rng.integers(20, H))),
                    cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.5, 1.5)),
                    tuple(int(c) for c in rng.integers(0, 256, 3)), 2)
    return img


def _paste(scene: np.ndarray, content: np.ndarray, dst: np.ndarray, interp=cv2.INTER_LINEAR) -> np.ndarray:
    """Warp `content` (BGR) onto the quadrilateral `dst` of the scene, in place; returns the 3x3 transform."""
    h, w = content.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, np.float32(dst))
    warped = cv2.warpPerspective(content, m, (W, H), flags=interp, borderMode=cv2.BORDER_CONSTANT)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (W, H), flags=cv2.INTER_NEAREST)
    scene[mask > 0] = warped[mask > 0]
    return m


def _map(m: np.ndarray, pts) -> np.ndarray:
    return cv2.perspectiveTransform(np.float32(pts).reshape(-1, 1, 2), m).reshape(-1, 2)


def _quad(rng: np.random.Generator, cx: float, cy: float, w: float, h: float, angle_deg: float,
          tilt: float = 0.0) -> np.ndarray:
    """Corners of a w x h rectangle rotated by angle and foreshortened by `tilt` (0..0.5)."""
    hw, hh = w / 2, h / 2
    pts = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]], np.float32)
    if tilt:
        side = int(rng.integers(0, 4))
        shrink = 1 - tilt
        if side == 0:      # top edge farther away
            pts[0, 0] *= shrink; pts[1, 0] *= shrink
        elif side == 1:    # right edge farther away
            pts[1, 1] *= shrink; pts[2, 1] *= shrink
        elif side == 2:
            pts[2, 0] *= shrink; pts[3, 0] *= shrink
        else:
            pts[0, 1] *= shrink; pts[3, 1] *= shrink
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    return pts @ rot.T + np.float32([cx, cy])


def _camera(img: np.ndarray, rng: np.random.Generator, noise: float = 2.0, blur: float = 0.6,
            bayer: bool = False) -> np.ndarray:
    """Lens softness and sensor noise that every frame has; optionally the sensor's colour mosaic."""
    if blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    if bayer:
        # one colour per sensor pixel, then demosaicing: on a screen's stripes this adds colour moiré
        mosaic = np.zeros(img.shape[:2], np.uint8)
        mosaic[0::2, 0::2] = img[0::2, 0::2, 0]
        mosaic[0::2, 1::2] = img[0::2, 1::2, 1]
        mosaic[1::2, 0::2] = img[1::2, 0::2, 1]
        mosaic[1::2, 1::2] = img[1::2, 1::2, 2]
        img = cv2.cvtColor(mosaic, cv2.COLOR_BayerRG2BGR)
    if noise > 0:
        img = np.clip(img.astype(np.float32) + rng.normal(0, noise, img.shape), 0, 255).astype(np.uint8)
    return img


# -- phone screens ----------------------------------------------------------------------------
def _phone_screen(text: str | None, rng: np.random.Generator, dark_mode: bool = False,
                  brightness: float = 1.0) -> tuple[np.ndarray, tuple[int, int, int, int] | None]:
    """Screen content at screen-pixel resolution: a green app header, a white card with the code;
    and the code's box (x, y, w, h) on the screen."""
    sw, sh = 300, 560
    bg = (30, 30, 30) if dark_mode else (245, 245, 245)
    screen = np.full((sh, sw, 3), bg, np.uint8)
    screen[:70] = (80, 160, 40)  # header bar in BGR (green), as the 居民码 apps have
    cv2.putText(screen, "Health Code", (20, 45), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (255, 255, 255), 2)
    box = None
    if text is not None:
        m = _qr_modules(text)
        module = max(2, int(240 // m.shape[0]))
        if dark_mode:
            qr = np.where(m == 1, 235, 25).astype(np.uint8)  # light modules on dark
        else:
            qr = np.where(m == 1, 0, 255).astype(np.uint8)
        qr = cv2.resize(qr, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
        y, x = 110, (sw - qr.shape[1]) // 2
        screen[y:y + qr.shape[0], x:x + qr.shape[1]] = qr[..., None]
        box = (x, y, qr.shape[1], qr.shape[0])
    else:
        for i in range(6):
            cv2.rectangle(screen, (20, 100 + 70 * i), (280, 150 + 70 * i), (200, 200, 200), -1)
    return np.clip(screen.astype(np.float32) * brightness, 0, 255).astype(np.uint8), box


def _subpixels(screen: np.ndarray, k: int = 4) -> np.ndarray:
    """Each screen pixel as R, G, B stripes and dark gaps (k x k camera-independent subpixels): the grid
    that beats against the sensor. k = 4 leaves a dark column and row, k = 3 a dark row only."""
    big = np.repeat(np.repeat(screen, k, axis=0), k, axis=1).astype(np.float32)
    mask = np.zeros((k, k, 3), np.float32)
    gain = (9 / 16) / ((k - 1) / (k * k))         # the same mean brightness whatever the layout
    for c, channel in enumerate((2, 1, 0)):       # R, G, B columns (BGR image)
        mask[: k - 1, c, channel] = gain
    tiled = np.tile(mask, (screen.shape[0], screen.shape[1], 1))
    return np.clip(big * tiled, 0, 255).astype(np.uint8)


def _phone(scene: np.ndarray, text: str | None, rng: np.random.Generator, cond: Conditions, *,
           dark_mode=False, brightness=1.0, subpixel=True, screen_scale: float | None = None, angle=None,
           tilt=0.0) -> np.ndarray | None:
    """A phone held up to the camera showing the code, pasted into the scene; returns the code's corners."""
    screen, box = _phone_screen(text, rng, dark_mode, brightness)
    k = cond.subpixel_gap
    content = _subpixels(screen, k) if subpixel else screen
    # camera pixels per screen pixel: around 1 the subpixel grid aliases into moiré
    scale = screen_scale if screen_scale is not None else _u(rng, cond.moire_scale)
    w, h = screen.shape[1] * scale, screen.shape[0] * scale
    body = np.full((int(h) + 40, int(w) + 24, 3), 15, np.uint8)
    cx, cy = rng.uniform(w / 2 + 20, W - w / 2 - 20), H / 2 + rng.uniform(-40, 40)
    ang = float(rng.uniform(-12, 12)) if angle is None else angle
    quad_body = _quad(rng, cx, cy, w + 24, h + 40, ang)
    _paste(scene, body, quad_body)
    quad = _quad(rng, cx, cy, w, h, ang, tilt)
    # each sensor pixel integrates the screen area it sees; a pitch that is not a whole multiple of
    # the sensor's beats into moiré (area resize first, the small rotation then barely resamples)
    cw, ch = max(1, int(w)), max(1, int(h))
    content = cv2.resize(content, (cw, ch), interpolation=cv2.INTER_AREA)
    m = _paste(scene, content, quad)
    if box is None:
        return None
    x, y, bw, bh = box
    fx, fy = cw / screen.shape[1], ch / screen.shape[0]
    return _map(m, [[x * fx, y * fy], [(x + bw) * fx, y * fy], [(x + bw) * fx, (y + bh) * fy], [x * fx, (y + bh) * fy]])


def _glare(img: np.ndarray, rng: np.random.Generator, cx: float, cy: float, strength: float,
           size: Range) -> np.ndarray:
    gy, gx = np.mgrid[0:H, 0:W].astype(np.float32)
    sx = rng.uniform(*size)
    sy = sx * rng.uniform(0.55, 0.75)
    blob = np.exp(-(((gx - cx) / sx) ** 2 + ((gy - cy) / sy) ** 2) / 2)
    return np.clip(img.astype(np.float32) + strength * blob[..., None], 0, 255).astype(np.uint8)


def _lighting(img: np.ndarray, rng: np.random.Generator, cond: Conditions, light: float) -> np.ndarray:
    """The ceiling light's falloff across the whole frame: brighter towards where it comes from."""
    fall = _u(rng, cond.ambient)
    if fall <= 0:
        return img
    gy, gx = np.mgrid[0:H, 0:W].astype(np.float32)
    d = ((gx - W / 2) * np.cos(light) + (gy - H / 2) * np.sin(light)) / (W / 2)   # -1 .. 1 towards the light
    gain = 1 - fall / 2 + fall / 2 * np.clip(d, -1, 1)
    return np.clip(img.astype(np.float32) * gain[..., None], 0, 255).astype(np.uint8)


# -- categories ---------------------------------------------------------------------------------
def _paper(scene, text, rng, module_px=4, angle=0.0, tilt=0.0, dark=0, light=255, center=None) -> np.ndarray:
    qr = _qr_gray(text, module_px, dark, light)
    size = qr.shape[0]
    # the half-extent of the rotated code: a code partly outside the frame is no test of a decoder
    a = np.deg2rad(angle)
    half = size / 2 * (abs(np.cos(a)) + abs(np.sin(a)))
    cx, cy = center or (rng.uniform(half + 10, W - half - 10), rng.uniform(half + 10, max(half + 11, H - half - 10)))
    quad = _quad(rng, cx, cy, size, size, angle, tilt)
    _paste(scene, cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR), quad)
    return quad


def make_sample(category: str, index: int, seed: int = TUNING_SEED, conditions: Conditions = TUNING) -> Sample:
    """One deterministic frame of a category under the given conditions."""
    cond = conditions
    rng = np.random.default_rng([seed, CATEGORIES.index(category), index])
    scene = _scene(rng)
    light = np.deg2rad(_u(rng, cond.light_deg))
    texts: list[str] = []
    quads: list[np.ndarray] = []
    noise, lens = _u(rng, cond.noise), _u(rng, cond.lens)
    bright = _u(rng, cond.screen_brightness)
    if category == "none":
        if rng.random() < 0.5:
            _phone(scene, None, rng, cond, brightness=bright)
    elif category == "multi":
        n = int(rng.integers(2, 4))
        for i in range(n):
            t = _code_text(rng)
            texts.append(t)
            # short texts keep several codes inside the frame at a readable size
            quads.append(_paper(scene, t, rng, module_px=3, angle=float(rng.uniform(-10, 10)),
                                center=(W * (i + 0.5) / n, H / 2 + rng.uniform(-100, 100))))
    else:
        text = _code_text(rng)
        texts.append(text)
        quad = None
        if category == "clean":
            quad = _paper(scene, text, rng, module_px=int(rng.integers(4, 7)), angle=float(rng.uniform(-5, 5)))
        elif category == "phone_moire":
            quad = _phone(scene, text, rng, cond, brightness=bright)
        elif category == "phone_glare":
            quad = _phone(scene, text, rng, cond, brightness=bright, subpixel=rng.random() < 0.5,
                          screen_scale=_u(rng, cond.glare_scale))
            # a ceiling light reflected on the glass: on the code, pushed towards where the light is
            qx, qy = quad.mean(axis=0)
            off, jitter = _u(rng, cond.glare_offset), rng.uniform(-30, 30, 2)
            scene = _glare(scene, rng, qx + off * np.cos(light) + jitter[0], qy + off * np.sin(light) + jitter[1],
                           _u(rng, cond.glare), cond.glare_size)
        elif category == "phone_dark":
            scene = (scene.astype(np.float32) * _u(rng, cond.dark_room)).astype(np.uint8)
            quad = _phone(scene, text, rng, cond, brightness=_u(rng, cond.dark_screen),
                          subpixel=rng.random() < 0.5, screen_scale=_u(rng, cond.glare_scale))
            noise = _u(rng, cond.dark_noise)
        elif category == "phone_dark_mode":
            quad = _phone(scene, text, rng, cond, dark_mode=True, brightness=bright, subpixel=rng.random() < 0.5,
                          screen_scale=_u(rng, cond.glare_scale))
        elif category == "blur":
            quad = _paper(scene, text, rng, module_px=int(rng.integers(4, 6)), angle=float(rng.uniform(-8, 8)))
            if rng.random() < 0.5:
                lens = _u(rng, cond.blur_lens)
            else:
                length = int(round(_u(rng, cond.blur_motion)))
                kernel = np.zeros((length, length), np.float32)
                kernel[length // 2, :] = 1.0 / length
                rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), float(rng.uniform(0, 180)), 1)
                kernel = cv2.warpAffine(kernel, rot, (length, length))
                scene = cv2.filter2D(scene, -1, kernel / max(kernel.sum(), 1e-6))
        elif category == "perspective":
            quad = _paper(scene, text, rng, module_px=int(rng.integers(4, 6)), angle=float(rng.uniform(-15, 15)),
                          tilt=float(rng.uniform(0.25, 0.45)))
        elif category == "rotation":
            quad = _paper(scene, text, rng, module_px=int(rng.integers(4, 6)), angle=float(rng.uniform(0, 360)))
        elif category == "small":
            qr_modules = _qr_modules(text).shape[0]
            target = float(rng.uniform(1.5, 2.3)) * qr_modules  # 1.5-2.3 camera pixels per module
            qr = _qr_gray(text, 8)
            qr = cv2.resize(qr, (int(target), int(target)), interpolation=cv2.INTER_AREA)
            cx, cy = rng.uniform(200, W - 200), rng.uniform(150, H - 150)
            quad = _quad(rng, cx, cy, qr.shape[1], qr.shape[0], float(rng.uniform(-8, 8)))
            _paste(scene, cv2.cvtColor(qr, cv2.COLOR_GRAY2BGR), quad)
        elif category == "close":
            # held right up to the lens: the code fills most of the frame height and is out of focus
            # (at most 9 px a module, so that a tilted code still fits in the frame's height)
            quad = _paper(scene, text, rng, module_px=int(rng.integers(8, 10)), angle=float(rng.uniform(-6, 6)),
                          center=(W / 2 + rng.uniform(-150, 150), H / 2))
            lens = float(rng.uniform(1.5, 4.0))
        elif category == "low_contrast":
            light_level = int(rng.integers(170, 215))
            quad = _paper(scene, text, rng, module_px=int(rng.integers(4, 6)), angle=float(rng.uniform(-8, 8)),
                          dark=light_level - int(rng.integers(25, 45)), light=light_level)
        else:
            raise ValueError(category)
        quads.append(quad)
    if category != "phone_dark":
        scene = _lighting(scene, rng, cond, light)
    bayer = category in PHONE_CATEGORIES
    image = _camera(scene, rng, noise=noise, blur=lens, bayer=bayer)
    return Sample(category, index, image, tuple(texts), tuple(np.float32(q) for q in quads))


def generate(per_category: int = 20, seed: int = TUNING_SEED, categories=CATEGORIES,
             conditions: Conditions = TUNING) -> Iterator[Sample]:
    """Every category, `per_category` frames each, always the same for the same seed and conditions."""
    for category in categories:
        for index in range(per_category):
            yield make_sample(category, index, seed, conditions)


def held_out(per_category: int = 20, categories=CATEGORIES) -> Iterator[Sample]:
    """The report set: HELD_OUT_SEED under HELD_OUT conditions (never used to tune the cascade)."""
    return generate(per_category, HELD_OUT_SEED, categories, HELD_OUT)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "qr_dataset")
    out.mkdir(parents=True, exist_ok=True)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    which = sys.argv[3] if len(sys.argv) > 3 else "tuning"
    cond = CONDITIONS[which]
    seed = HELD_OUT_SEED if cond is HELD_OUT else TUNING_SEED
    for s in generate(n, seed, conditions=cond):
        cv2.imwrite(str(out / f"{which}_{s.category}_{s.index:02d}.png"), s.image)
    print(f"wrote {n * len(CATEGORIES)} {which} images (seed {seed}) to {out}")
