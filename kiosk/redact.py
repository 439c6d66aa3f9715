"""Masking of personal data in any text that could leave the session: log lines, error messages.

Patterns catch what has a shape (ID numbers, unified social credit codes, phone numbers, card
numbers, names behind a label); the current session's own values (a name has no shape) are
registered with `Redactor.remember` and forgotten when the session is wiped.
"""
from __future__ import annotations

import re
import threading

MASK = "***"

# GB 11643 resident ID (18 with check digit X, or the old 15-digit form), not inside longer numbers.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# GB 32100 unified social credit code: 18 upper-case letters/digits with at least two digits. Wider than
# the code alphabet on purpose: a mistyped code is still somebody's.
_USCC = re.compile(r"(?<![0-9A-Za-z])(?=(?:[A-Z]*\d){2})[0-9A-Z]{18}(?![0-9A-Za-z])")
# Mainland mobile numbers, with optional +86 and separators.
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
# Landline with area code, e.g. 0530-1234567.
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
# Long digit runs: bank/social security card numbers, passport-like numbers.
_LONG_DIGITS = re.compile(r"(?<!\d)\d{12,}(?!\d)")
# Values behind labels that mean "personal": name=..., "name": "...", 姓名：...
_LABELLED = re.compile(
    r"""(?P<label>(?:"|')?(?:name|name_en|full_name|holder|address|姓名|名字|住址|地址|联系人)(?:"|')?\s*[:=：]\s*)"""
    r"""(?P<q>["']?)(?P<value>[^"',;，；\n}]{1,80})(?P=q)""",
    re.IGNORECASE,
)


class Redactor:
    """Thread-safe masker; one instance per process, shared by the log filter and the session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: set[str] = set()

    def remember(self, *values: str | None) -> None:
        """Mask these exact values too (a citizen's name, address) until `forget_all`."""
        with self._lock:
            for value in values:
                if value and len(value.strip()) >= 2:
                    self._known.add(value.strip())

    def forget_all(self) -> None:
        with self._lock:
            self._known.clear()

    def known_count(self) -> int:
        with self._lock:
            return len(self._known)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        with self._lock:
            known = sorted(self._known, key=len, reverse=True)
        for value in known:
            text = text.replace(value, MASK)
        text = _LABELLED.sub(lambda m: f"{m.group('label')}{m.group('q')}{MASK}{m.group('q')}", text)
        for pattern in (_ID_NUMBER, _USCC, _PHONE, _LANDLINE, _LONG_DIGITS):
            text = pattern.sub(MASK, text)
        return text


REDACTOR = Redactor()


def redact(text: str) -> str:
    """Mask personal data in `text` with the process-wide redactor."""
    return REDACTOR(text)


def mask_name(name: str | None) -> str:
    """张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明: enough to greet, not enough to identify."""
    if not name:
        return ""
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    if name.isascii():
        return name[0] + "*" * (len(name) - 2) + name[-1]
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str | None) -> str:
    """372901199001011234 -> 3729**********1234."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
