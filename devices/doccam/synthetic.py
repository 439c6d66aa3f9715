"""Generated photos of a page lying on a desk under a document camera (seeded, no files).

Tests and bench/ make their photos here at run time: a page (any BGR picture) is laid on a dark,
slightly textured desk mat with a perspective tilt, then the camera's faults are added one by one —
blur (Gaussian, sigma in frame pixels), glare (a saturated light spot covering a share of the page),
light (the whole scene darker), a page pushed partly out of view, sensor noise.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Photo:
    """A generated frame and the page's true corners in it (top-left clockwise, frame pixels)."""
    frame: np.ndarray
    quad: np.ndarray


def desk(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A dark desk mat (BGR) with a soft uneven texture, `size` = (width, height)."""
    w, h = size
    coarse = rng.normal(0.0, 6.0, (max(2, h // 40), max(2, w // 40))).astype(np.float32)
    texture = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    base = np.array([52, 58, 62], np.float32) + rng.uniform(-6, 6, 3).astype(np.float32)
    return np.clip(base[None, None, :] + texture[..., None], 0, 255).astype(np.float32)


def blank_page(width: int = 1000, height: int = 700, rng: np.random.Generator | None = None) -> np.ndarray:
    """A light page with dark text-like bars, for a simulator without image files."""
    rng = rng or np.random.default_rng(0)
    page = np.full((height, width, 3), 244, np.uint8)
    y = height // 10
    while y < height * 0.9:
        x = width // 12
        while x < width * 0.9:
            wlen = int(rng.integers(width // 30, width // 8))
            cv2.rectangle(page, (x, y), (min(x + wlen, int(width * 0.92)), y + height // 40), (40, 40, 40), -1)
            x += wlen + width // 40
        y += height // 12
    return page


def photo(page: np.ndarray, *, seed: int = 0, size: tuple[int, int] = (1280, 720), fill: float = 0.6,
          tilt: float = 0.04, centre: tuple[float, float] = (0.5, 0.5), blur: float = 0.0, glare: float = 0.0,
          light: float = 1.0, noise: float = 2.0, page_present: bool = True,
          glare_at: tuple[float, float] | None = None) -> Photo:
    """A camera frame of `page` on the desk.

    fill     the page's longer side as a share of the frame's shorter side (before tilt)
    tilt     random corner displacement as a share of the page's size (perspective)
    centre   where the page's middle lies, as shares of the frame (move it out to cut it off)
    blur     Gaussian sigma in frame pixels (0 = sharp)
    glare    share of the page's area under a saturated light spot (0 = none)
    light    scene brightness factor (1 = a well-lit desk)
    glare_at where the glare spot's middle lies on the page, as shares of its width and height
             (default: a random point well inside the page)
    """
    rng = np.random.default_rng(seed)
    w, h = size
    frame = desk(size, rng)
    ph, pw = page.shape[:2]
    quad = np.zeros((4, 2), np.float32)
    spot = None
    if page_present:
        s = fill * min(w, h) / max(ph, pw)
        cw, ch = pw * s, ph * s
        cx, cy = centre[0] * w, centre[1] * h
        quad = np.array([[cx - cw / 2, cy - ch / 2], [cx + cw / 2, cy - ch / 2],
                         [cx + cw / 2, cy + ch / 2], [cx - cw / 2, cy + ch / 2]], np.float32)
        quad += rng.uniform(-tilt, tilt, (4, 2)).astype(np.float32) * np.array([cw, ch], np.float32)
        src = np.array([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]], np.float32)
        matrix = cv2.getPerspectiveTransform(src, quad)
        if glare_at is not None:
            at = np.array([[[glare_at[0] * (pw - 1), glare_at[1] * (ph - 1)]]], np.float32)
            spot = cv2.perspectiveTransform(at, matrix)[0, 0]
        warped = cv2.warpPerspective(page.astype(np.float32) * 0.93, matrix, size, flags=cv2.INTER_AREA)
        inside = cv2.warpPerspective(np.ones((ph, pw), np.float32), matrix, size, flags=cv2.INTER_LINEAR)
        frame = frame * (1 - inside[..., None]) + warped * inside[..., None]
    frame = frame * light
    if page_present and glare > 0:   # the lamp's reflection is as bright however dim the room
        frame = _glare(frame, quad, glare, rng, spot)
    if blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
    if noise > 0:
        frame = frame + rng.normal(0.0, noise, frame.shape).astype(np.float32)
    return Photo(np.clip(frame, 0, 255).astype(np.uint8), quad)


def _glare(frame: np.ndarray, quad: np.ndarray, share: float, rng: np.random.Generator,
           centre: np.ndarray | None = None) -> np.ndarray:
    """A light's reflection: a disc covering `share` of the page at full white, fading at its rim."""
    page_area = cv2.contourArea(quad)
    radius = float(np.sqrt(share * page_area / np.pi))
    # the spot's middle stays far enough inside the page that the whole disc lies on it
    weights = rng.dirichlet(np.ones(4)) * 0.5 + 0.125
    cx, cy = (weights[:, None] * quad).sum(axis=0) if centre is None else centre
    yy, xx = np.mgrid[0:frame.shape[0], 0:frame.shape[1]].astype(np.float32)
    dist = np.hypot(xx - cx, yy - cy)
    rim = max(3.0, radius * 0.4)
    alpha = np.clip(1.0 - (dist - radius) / rim, 0.0, 1.0)
    alpha[dist <= radius] = 1.0
    return frame * (1 - alpha[..., None]) + 255.0 * alpha[..., None]
