"""The offline OCR engine: rapidocr-onnxruntime with the PP-OCR models its wheel carries.

Nothing is downloaded at run time: the models are files inside the installed package (checked by
`models_present`). The engine is built on first use (onnxruntime and the models take about a second
to load), from any thread, once per process; callers run `read` off the UI thread. Text read from a
page is personal: it is returned, never logged (the engine's own logger is kept quiet too).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

# the page is read at most this long: the det model works at about this size, and more costs time
# without reading more (bench/doccam.py measures the time per page)
READ_SIDE = 1280
MODEL_FILES = ("ch_PP-OCRv4_det_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx")


@dataclass(frozen=True)
class TextLine:
    """One line of text found on a page: its words, its box (4 corners, page pixels) and confidence."""
    text: str = field(repr=False)
    box: tuple[tuple[float, float], ...]
    score: float

    @property
    def left(self) -> float:
        return min(p[0] for p in self.box)

    @property
    def right(self) -> float:
        return max(p[0] for p in self.box)

    @property
    def top(self) -> float:
        return min(p[1] for p in self.box)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.box)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def models_present() -> bool:
    """True when the OCR package and its bundled models are installed (nothing to download)."""
    try:
        import importlib.util
        spec = importlib.util.find_spec("rapidocr_onnxruntime")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.origin:
        return False
    models = Path(spec.origin).parent / "models"
    return all((models / name).is_file() for name in MODEL_FILES)


class OcrEngine:
    """Reads the text lines of a page image (BGR or grey numpy array)."""

    def __init__(self) -> None:
        self._engine = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._engine is None:
                from rapidocr_onnxruntime import RapidOCR   # ~1 s: only when a page is first read
                for name in ("RapidOCR", "rapidocr_onnxruntime"):
                    logging.getLogger(name).setLevel(logging.ERROR)
                self._engine = RapidOCR(print_verbose=False)
            return self._engine

    def read(self, image: np.ndarray) -> list[TextLine]:
        """The text lines of `image`, top to bottom, in the image's own pixel coordinates."""
        h, w = image.shape[:2]
        scale = min(1.0, READ_SIDE / max(h, w))
        small = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) \
            if scale < 1 else image
        result, _ = self._get()(small)
        lines = []
        for box, text, score in result or []:
            pts = tuple((float(x) / scale, float(y) / scale) for x, y in box)
            lines.append(TextLine(str(text), pts, float(score)))
        lines.sort(key=lambda line: (round(line.middle / 12), line.left))
        return lines


_ENGINE: OcrEngine | None = None
_ENGINE_LOCK = threading.Lock()


def engine() -> OcrEngine:
    """The process's one OCR engine (built lazily: the import and models load on first `read`)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = OcrEngine()
        return _ENGINE
