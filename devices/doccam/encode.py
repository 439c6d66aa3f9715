"""A taken page as a JPEG sized for reading at the counter, not for archiving (codec, no I/O)."""
from __future__ import annotations

import cv2
import numpy as np

CONTENT_TYPE = "image/jpeg"


def encode_page(page: np.ndarray, long_side: int = 1600, quality: int = 80) -> bytes:
    """JPEG bytes of a BGR page, its longer side at most `long_side` pixels (about 140 dpi on A4:
    enough to read every line of a form, a fraction of a scan's size)."""
    h, w = page.shape[:2]
    scale = long_side / max(h, w)
    if scale < 1.0:
        page = cv2.resize(page, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, int(quality), cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise ValueError("the page could not be encoded")
    return data.tobytes()


def decode_image(data: bytes) -> np.ndarray | None:
    """A BGR image from encoded bytes (JPEG, PNG …), or None when they are not an image."""
    array = np.frombuffer(data, np.uint8)
    if array.size == 0:
        return None
    return cv2.imdecode(array, cv2.IMREAD_COLOR)
