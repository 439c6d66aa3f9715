"""The quality verdict of one document-camera frame, in words a citizen can act on.

    verdict = judge(frame)          # verdict.codes: () when the page can be taken
    verdict.page                    # the straightened page (None when no whole page is in view)

Codes, each with its plain refusal (MESSAGES) and one measured threshold:
  no_document  no page-shaped bright shape in view (page.MIN_AREA, MIN_CONTRAST, MIN_SOLIDITY)
  incomplete   the page runs off the frame (page.EDGE_MARGIN)
  too_dark     the paper's white is darker than DARK_LEVEL
  glare        more than GLARE_SHARE of the page is blown out by the lamp's reflection
  blurry       the page's edges are less steep than SHARP_MIN (see `sharpness`)

How the thresholds were chosen (docs/doccam.md has the sweep, `python -m bench.doccam --calibrate`
prints it again): each is the point where the pre-review's OCR on generated photos of the demo
samples starts to miss fields, moved a little to the safe side; DARK_LEVEL sits above that point
(the OCR reads down to paper ≈ 30, the page finder loses the page below ≈ 45; docs/doccam.md says
why). Each has a test that a photo just on either side of it is judged right
(tests/unit/test_doccam_quality.py). The machine only says what it sees; the citizen may retake or go
on, and staff decide.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from devices.doccam.page import PageFind, find_page, straighten

NO_DOCUMENT, INCOMPLETE, TOO_DARK, GLARE, BLURRY = "no_document", "incomplete", "too_dark", "glare", "blurry"
CODES = (NO_DOCUMENT, INCOMPLETE, TOO_DARK, GLARE, BLURRY)
MESSAGES = {
    NO_DOCUMENT: "没看到材料，请放在灯下",
    INCOMPLETE: "没拍全，请把材料放在中间",
    TOO_DARK: "太暗了，请打开灯",
    GLARE: "有反光，请挪一挪",
    BLURRY: "看不清，请放稳",
}

SHARP_MIN = 0.45     # sharpness of the straightened page
GLARE_SHARE = 0.0005  # share of the page at or above the glare level (a spot of 0.1 % over the ID number hides it)
GLARE_LEVEL = 250    # grey level counted as blown out (never below the paper's own white + 10)
DARK_LEVEL = 80      # the paper's white (90th percentile grey of the page)
MEASURE_SIDE = 1000  # the page is measured at most this long (the camera's own pixels below that)


@dataclass
class Verdict:
    """What one frame shows: the problems (`codes`, empty = good), the page and the measures."""
    codes: tuple[str, ...]
    find: PageFind
    page: np.ndarray | None = None
    measures: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong with the picture."""
        return not self.codes

    @property
    def messages(self) -> list[str]:
        """The plain sentence of each problem."""
        return [MESSAGES[c] for c in self.codes]


def sharpness(gray: np.ndarray) -> float:
    """How steep the page's strongest edges are for their contrast: about 1 for a crisp print edge,
    about 1 / (2.5 sigma) for an edge blurred by a Gaussian of sigma pixels, 0 for a flat page.

    The mean gradient of the steepest 0.5 % of pixels (ink edges) over the page's contrast (2nd to
    98th percentile grey), so the same blur reads the same on a busy form and on a sparse card."""
    f = gray.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy).ravel() / 4.0      # a one-pixel step of height 1 reads 1
    low, high = np.percentile(f[::2, ::2], (2, 98))
    contrast = float(high - low)
    if contrast < 8:
        return 0.0
    k = max(16, mag.size // 200)
    steepest = np.partition(mag, mag.size - k)[-k:]
    return float(steepest.mean()) / contrast


def glare_share(gray: np.ndarray) -> float:
    """Share of the page that is blown out (at least GLARE_LEVEL and brighter than the paper)."""
    paper = float(np.median(gray))
    level = max(GLARE_LEVEL, min(254.0, paper + 10))
    mask = (gray >= level).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return float(mask.mean())


def paper_level(gray: np.ndarray) -> float:
    """The paper's white: the 90th percentile grey level."""
    return float(np.percentile(gray, 90))


def judge(frame: np.ndarray, find: PageFind | None = None, long_side: int = MEASURE_SIDE) -> Verdict:
    """The verdict on a BGR frame (`find`: a page already found in it, to save finding it twice)."""
    find = find if find is not None else find_page(frame)
    if find.quad is None and not find.touches_edge:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        light = paper_level(gray[::4, ::4])
        codes = (NO_DOCUMENT, TOO_DARK) if light < DARK_LEVEL * 0.5 else (NO_DOCUMENT,)
        return Verdict(codes, find, measures={"light": light})
    if not find.found:
        return Verdict((INCOMPLETE,), find)
    page = straighten(frame, find.quad, long_side)
    codes, m = _measure(page)
    m["area"] = find.area
    return Verdict(codes, find, page, m)


def judge_page(page: np.ndarray) -> tuple[str, ...]:
    """The problems of a picture that is all page (a scan): too_dark, glare, blurry."""
    return _measure(page)[0]


def _measure(page: np.ndarray) -> tuple[tuple[str, ...], dict[str, float]]:
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) if page.ndim == 3 else page
    m = {"light": paper_level(gray), "glare": glare_share(gray), "sharpness": sharpness(gray)}
    codes = []
    if m["light"] < DARK_LEVEL:
        codes.append(TOO_DARK)
    if m["glare"] > GLARE_SHARE:
        codes.append(GLARE)
    if m["sharpness"] < SHARP_MIN:
        codes.append(BLURRY)
    return tuple(codes), m
