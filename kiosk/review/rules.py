"""Review rules per kind of material: what the terminal checks on a page before staff see it.

    review(kind, lines, gray_page, name=..., id_number=..., today=..., fields=[...]) -> Review

Kinds and the checks each makes (a check whose reference is not known — no name given — is left out):
  id_card_front  readable, name_matches, id_number_matches
  id_card_back   readable, not_expired
  hukou_page     readable, name_matches, id_number_matches
  form           readable, filled (the required fields have something written; without a list, those
                 of USUAL_FORM_LABELS the form has), signed
  generic        readable

Details are plain sentences for the citizen and never contain what was read (no names or numbers):
the page and its text are personal. The machine only points out; staff decide.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from devices.checkdigit import valid_id_number
from kiosk.review.kinds import CHECKS, KINDS  # noqa: F401  (re-exported)
from kiosk.review.ocr import TextLine

SENTENCES: dict[str, tuple[str, str]] = {        # check -> (when ok, when not)
    "readable": ("字能看清。", "字看不清，请重拍。"),
    "name_matches": ("姓名和本人一致。", "姓名和本人对不上。"),
    "id_number_matches": ("号码和本人一致。", "号码和本人对不上。"),
    "not_expired": ("证件还在有效期内。", "证件已经过期了。"),
    "filled": ("该填的都填了。", "还有没填的地方。"),
    "signed": ("已经签字。", "还没有签字。"),
}
# a form's usual lines: required when a form is reviewed without the material's own list (the
# `prereview` command), each only where the form has that line printed
USUAL_FORM_LABELS = ("姓名", "公民身份号码", "联系电话")
MIN_CHARS = 4          # a readable page has at least this many characters read …
MIN_SCORE = 0.75       # … with at least this mean confidence
INK_SHARE = 0.004      # a signature darkens at least this share of the space beside 签字/签名
_CONFUSIONS = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "×": "X", "x": "X",
                             "Ｘ": "X", "（": "(", "）": ")", "：": ":", "　": ""})
_DATE = re.compile(r"(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})")


@dataclass
class Check:
    """One review point: its name, whether it holds and the plain sentence to show."""
    check: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


@dataclass
class Review:
    """The checks of one page and the fields read from it (personal: shown, never logged)."""
    checks: list[Check]
    fields: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def _check(name: str, ok: bool, detail: str = "") -> Check:
    return Check(name, ok, detail or SENTENCES[name][0 if ok else 1])


def normalise(text: str) -> str:
    """Text without spaces, with full-width and look-alike characters made plain."""
    return re.sub(r"\s+", "", text).translate(_CONFUSIONS)


def id_numbers(text: str) -> list[str]:
    """Every 18-character resident ID number in `text` (look-alike letters read as digits)."""
    digits = re.sub(r"[^0-9X]", " ", normalise(text).upper())
    return re.findall(r"(?<![0-9X])\d{17}[0-9X](?![0-9X])", digits)


def _after_label(lines: list[TextLine], label: str) -> str:
    """What is written after `label`: the rest of its own line, else the nearest line to its right."""
    for line in lines:
        text = normalise(line.text)
        at = text.find(label)
        if at < 0:
            continue
        rest = text[at + len(label):].lstrip(":(签字)")
        if rest:
            return rest
        height = max(1.0, line.bottom - line.top)
        right = [o for o in lines if o is not line and o.left >= line.right - 2 and abs(o.middle - line.middle) < height * 0.7]
        if right:
            return normalise(min(right, key=lambda o: o.left).text)
        return ""
    return ""


def _readable(lines: list[TextLine]) -> Check:
    chars = sum(len(normalise(line.text)) for line in lines)
    score = sum(line.score * len(line.text) for line in lines) / max(1, sum(len(line.text) for line in lines))
    return _check("readable", chars >= MIN_CHARS and score >= MIN_SCORE)


def _identity_checks(lines: list[TextLine], name_label: str, name: str | None, id_number: str | None,
                     fields: dict[str, str]) -> list[Check]:
    joined = "".join(normalise(line.text) for line in lines)
    numbers = id_numbers(joined)
    found_name = _after_label(lines, name_label)
    if found_name:
        fields["name"] = found_name
    if numbers:
        fields["id_number"] = next((n for n in numbers if valid_id_number(n)), numbers[0])
    checks = []
    if name:
        checks.append(_check("name_matches", normalise(name) in joined))
    if id_number:
        checks.append(_check("id_number_matches", normalise(id_number).upper() in numbers))
    return checks


def _expiry(lines: list[TextLine], today: dt.date, fields: dict[str, str]) -> Check:
    joined = "".join(normalise(line.text) for line in lines)
    tail = joined[joined.find("有效期"):] if "有效期" in joined else joined
    dates = []
    for y, m, d in _DATE.findall(tail):
        try:
            dates.append(dt.date(int(y), int(m), int(d)))
        except ValueError:
            continue
    if "长期" in tail:
        fields["valid_to"] = "长期"
        return _check("not_expired", True)
    if not dates:
        return _check("not_expired", False, "看不清有效期，请重拍。")
    if len(dates) >= 2:
        fields["valid_from"] = dates[0].isoformat()
    end = dates[-1]
    fields["valid_to"] = end.isoformat()
    return _check("not_expired", end >= today)


def _filled(lines: list[TextLine], required: list[str], fields: dict[str, str]) -> Check:
    missing = []
    for label in required:
        value = _after_label(lines, normalise(label))
        if value:
            fields[label] = value
        else:
            missing.append(label)
    if missing:
        return _check("filled", False, "这几项还没填：" + "、".join(missing) + "。")
    return _check("filled", True)


def printed_labels(lines: list[TextLine], labels) -> list[str]:
    """Those of `labels` that are printed on the page (found in a line read from it)."""
    texts = [normalise(line.text) for line in lines]
    return [label for label in labels if any(normalise(label) in text for text in texts)]


def _signed(lines: list[TextLine], gray: np.ndarray) -> Check:
    label = next((line for line in lines if "签字" in line.text or "签名" in line.text), None)
    if label is None:
        return _check("signed", False, "没找到签字的地方。")
    h, w = gray.shape[:2]
    height = max(8, int(label.bottom - label.top))
    x0, x1 = int(min(w - 1, label.right + 2)), int(min(w, label.right + 12 * height))
    y0, y1 = int(max(0, label.top - height)), int(min(h, label.bottom + height))
    region = gray[y0:y1, x0:x1]
    if region.size == 0:
        return _check("signed", False)
    paper = float(np.percentile(region, 90))
    ink = (region < paper - 60).astype(np.uint8)
    # the printed line to sign on is ink too: long straight runs are taken out before counting
    lines_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(15, height * 3)), np.uint8))
    ink = cv2.subtract(ink, lines_mask)
    for other in lines:        # printed words beside the label (日期 …) are not a signature
        if other is label:
            continue
        ox0, ox1 = int(other.left) - x0, int(other.right) - x0
        oy0, oy1 = int(other.top) - y0, int(other.bottom) - y0
        if ox1 > 0 and oy1 > 0 and ox0 < ink.shape[1] and oy0 < ink.shape[0] and other.score >= 0.9:
            ink[max(0, oy0):max(0, oy1), max(0, ox0):max(0, ox1)] = 0
    return _check("signed", float(ink.mean()) >= INK_SHARE)


def review(kind: str, lines: list[TextLine], gray: np.ndarray, *, name: str | None = None,
           id_number: str | None = None, today: dt.date | None = None, required: list[str] | None = None) -> Review:
    """The review of one page of `kind` (KINDS) from its text lines and its grey image."""
    if kind not in KINDS:
        raise ValueError(f"unknown material kind {kind!r}")
    fields: dict[str, str] = {}
    checks = [_readable(lines)]
    if kind == "id_card_front":
        checks += _identity_checks(lines, "姓名", name, id_number, fields)
    elif kind == "hukou_page":
        checks += _identity_checks(lines, "姓名", name, id_number, fields)
    elif kind == "id_card_back":
        checks.append(_expiry(lines, today or dt.date.today(), fields))
    elif kind == "form":
        wanted = list(required) if required is not None else printed_labels(lines, USUAL_FORM_LABELS)
        checks.append(_filled(lines, wanted, fields))
        checks.append(_signed(lines, gray))
    return Review(checks, fields)
