"""Finding the page in a document-camera frame and straightening it (OpenCV, no I/O).

The camera looks down at a dark desk mat; a page is the largest bright four-cornered shape. The
frame is analysed at `ANALYSIS_WIDTH` pixels (fast enough for every preview frame, bench/doccam.py),
the corners are scaled back and the page is cut out of the full frame with a perspective warp.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

ANALYSIS_WIDTH = 640
# a page smaller than this share of the frame is not a page (an ID card on a 1920x1080 document
# camera covers about 9 %; the smallest shape the tests call a page covers 2.6 %, see
# tests/unit/test_doccam_quality.py::test_no_document_just_either_side_of_the_smallest_page)
MIN_AREA = 0.02
# a page whose outline comes closer than this share of the frame's size to its edge runs off it
EDGE_MARGIN = 0.006
# the page must stand out from the desk by this many grey levels (a bare desk's texture does not)
MIN_CONTRAST = 30
# the outline must fill its four-cornered hull this much (a light spot or a hand is not a page)
MIN_SOLIDITY = 0.9


@dataclass(frozen=True)
class PageFind:
    """Where the page is: `quad` (4x2 float32, frame pixels, top-left clockwise) or None.

    `touches_edge` is True when the largest bright shape runs off the frame (没拍全); `area` is its
    share of the frame."""
    quad: np.ndarray | None
    touches_edge: bool = False
    area: float = 0.0

    @property
    def found(self) -> bool:
        """A whole page is in view."""
        return self.quad is not None and not self.touches_edge


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left (float32)."""
    pts = np.asarray(points, np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def find_page(frame: np.ndarray) -> PageFind:
    """Find the page in a BGR (or grey) frame."""
    h, w = frame.shape[:2]
    scale = ANALYSIS_WIDTH / w if w > ANALYSIS_WIDTH else 1.0
    small = cv2.resize(_gray(frame), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 \
        else _gray(frame)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    level, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright, dark = small[mask > 0], small[mask == 0]
    if bright.size == 0 or dark.size == 0 or float(bright.mean()) - float(dark.mean()) < MIN_CONTRAST:
        return PageFind(None)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return PageFind(None)
    contour = max(contours, key=cv2.contourArea)
    sh, sw = small.shape
    area = cv2.contourArea(contour) / float(sh * sw)
    if area < MIN_AREA:
        return PageFind(None, area=area)
    x, y, bw, bh = cv2.boundingRect(contour)
    margin = max(1.0, EDGE_MARGIN * max(sw, sh))
    touches = x <= margin or y <= margin or x + bw >= sw - margin or y + bh >= sh - margin
    quad = _quad(contour)
    if quad is None:
        return PageFind(None, touches_edge=touches, area=area)
    return PageFind(order_corners(quad / scale), touches_edge=touches, area=area)


def _quad(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    hull_area = cv2.contourArea(hull)
    if hull_area <= 0 or cv2.contourArea(contour) / hull_area < MIN_SOLIDITY:
        return None
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    # rounded corners (an ID card) give more points: the smallest rotated rectangle stands in
    if len(cv2.approxPolyDP(hull, 0.05 * perimeter, True)) <= 8:
        return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    return None


def straighten(frame: np.ndarray, quad: np.ndarray, long_side: int = 1600) -> np.ndarray:
    """The page cut out of `frame` and seen from straight above, its longer side at most `long_side`
    pixels (never enlarged beyond what the camera saw)."""
    tl, tr, br, bl = order_corners(quad)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    scale = min(1.0, long_side / max(width, height, 1.0))
    out_w, out_h = max(8, int(round(width * scale))), max(8, int(round(height * scale)))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], np.float32), target)
    return cv2.warpPerspective(frame, matrix, (out_w, out_h), flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def corner_shift(a: np.ndarray, b: np.ndarray, frame_shape: tuple[int, ...]) -> float:
    """How far the corners moved between two finds, as a share of the frame's diagonal."""
    diag = float(np.hypot(frame_shape[0], frame_shape[1]))
    return float(np.max(np.linalg.norm(order_corners(a) - order_corners(b), axis=1))) / diag
