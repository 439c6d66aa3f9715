"""The pre-review of one photo, as the kiosk and `run_kiosk.py prereview` run it.

    result = prereview(image, "id_card_front", name="张三", id_number="3717…")
    result.as_dict() -> {"ok", "quality": [codes], "checks": [{"check", "ok", "detail"}], "fields": {…}}

Photo -> quality verdict (devices.doccam.quality) -> the straightened page -> OCR -> the kind's rules.
A photo whose page fills it (a flat scan, a cropped picture) is read whole. Quality problems are
reported beside the checks and never stop them: the citizen retakes or goes on, staff decide.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import cv2
import numpy as np

from devices.doccam import quality
from kiosk.review import rules
from kiosk.review.ocr import OcrEngine, engine

# a photo whose bright part covers this share of it is a page by itself (a scan, not a desk)
WHOLE_PAGE_AREA = 0.8


@dataclass
class PreReview:
    """Quality codes, the review checks and the fields read (personal: shown, never logged)."""
    quality: list[str]
    checks: list[rules.Check]
    fields: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """True when the picture is good and every check holds."""
        return not self.quality and all(c.ok for c in self.checks)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "quality": list(self.quality), "checks": [c.as_dict() for c in self.checks],
                "fields": dict(self.fields)}


def page_of(image: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """The page to read and the quality codes of the photo."""
    verdict = quality.judge(image)
    if verdict.page is not None:
        return verdict.page, verdict.codes
    if verdict.find.area >= WHOLE_PAGE_AREA or _fills_frame(image):
        whole = quality.judge_page(image)
        return image, whole
    return image, verdict.codes


def _fills_frame(image: np.ndarray) -> bool:
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    return float((gray[::4, ::4] > 150).mean()) >= WHOLE_PAGE_AREA


def prereview(image: np.ndarray, kind: str, *, name: str | None = None, id_number: str | None = None,
              today: dt.date | None = None, required: list[str] | None = None,
              ocr: OcrEngine | None = None) -> PreReview:
    """Judge, read and review one photo of a material of `kind` (rules.KINDS)."""
    page, codes = page_of(image)
    lines = (ocr or engine()).read(page)
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) if page.ndim == 3 else page
    result = rules.review(kind, lines, gray, name=name, id_number=id_number, today=today, required=required)
    return PreReview(list(codes), result.checks, result.fields)
