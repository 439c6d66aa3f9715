"""Masking of personal data in any text that could leave the session: log lines, error messages.

Patterns catch what has a shape (ID numbers, unified social credit codes, phone numbers, card
numbers, names behind a label); the current session's own values (a name has no shape) are
registered with `Redactor.remember` and forgotten when the session is wiped.
"""
from __future__ import annotations

import re
import threading

MASK = "***"

# Separators people and forms put inside numbers: space, hyphen, dot (ASCII; full-width ones are
# normalised first, see _FULLWIDTH).
_SEP = r"[ \-.]?"
# GB 11643 resident ID (18 with check digit X, or the old 15-digit form), not inside longer numbers;
# written whole or grouped (372901 19900101 1234, 372901-19900101-123X).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d(?:" + _SEP + r"\d){16}" + _SEP + r"[\dXx]|\d{15})(?![0-9A-Za-z])")
# GB 32100 unified social credit code: 18 upper-case letters/digits with at least two digits. Wider than
# the code alphabet on purpose: a mistyped code is still somebody's.
_USCC = re.compile(r"(?<![0-9A-Za-z])(?=(?:[A-Z]*\d){2})[0-9A-Z]{18}(?![0-9A-Za-z])")
# Mainland mobile numbers, with optional +86 and separators (139 0530 1234, 139-0530-1234, 139.0530.1234).
_PHONE = re.compile(r"(?<!\d)(?:\+?86" + _SEP + r")?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?!\d)")
# Landline with area code: 0530-1234567, 0530 1234567, (0530)1234567, 0530.1234567, and the local number
# grouped too: 0530-123-4567, 0530 555 1234.
_LANDLINE = re.compile(r"(?<![\d.])(?:\(0\d{2,3}\)\s?|0\d{2,3}[ \-.])(?:\d{7,8}|\d{3,4}[ \-.]\d{4})(?![\d.])")
# Long digit runs, grouped or not: bank/social security card numbers, passport-like numbers.
_LONG_DIGITS = re.compile(r"(?<![\d.])\d(?:[ \-]?\d){11,}(?![\d.])")
# Values behind labels that mean "personal": name=..., "name": "...", 姓名：...
_LABELLED = re.compile(
    r"""(?P<label>(?:"|')?(?:name|name_en|full_name|holder|address|姓名|名字|住址|地址|联系人)(?:"|')?\s*[:=：]\s*)"""
    r"""(?P<q>["']?)(?P<value>[^"',;，；\n}]{1,80})(?P=q)""",
    re.IGNORECASE,
)
# Labels followed by a space only: 姓名 张三, 住址 菏泽市牡丹区…, address 菏泽市…
_LABELLED_SPACE = re.compile(r"(?P<label>(?:姓名|名字|住址|地址|联系人|full_name|address)[ \t\u3000]+)"
                             r"(?P<value>[^\s,;，；。]{1,80})", re.IGNORECASE)
# Our own local submission numbers (HZ0001-20261127-0007) are not personal data and must stay readable:
# they are set aside before the number patterns run (their dashed digits look like a landline).
_LOCAL_ID = re.compile(r"(?<![0-9A-Za-z])[A-Z]{1,4}\d{4}-\d{8}-\d{4,6}(?![0-9A-Za-z])")
# Full-width digits, letters X/x and separators (１３９０５３０１２３４, ０５３０－１２３４５６７) read as ASCII.
_FULLWIDTH = {**{0xFF10 + i: str(i) for i in range(10)}, 0xFF38: "X", 0xFF58: "x", 0xFF0D: "-", 0xFF0E: ".",
              0x3000: " ", 0xFF08: "(", 0xFF09: ")", 0xFF0B: "+"}


class Redactor:
    """Thread-safe masker. The terminal core owns one: its session remembers the citizen's values in it
    and the log filter (kiosk/logs.py) masks every record with it."""

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
        text = text.translate(_FULLWIDTH)
        text = _LABELLED.sub(lambda m: f"{m.group('label')}{m.group('q')}{MASK}{m.group('q')}", text)
        text = _LABELLED_SPACE.sub(lambda m: f"{m.group('label')}{MASK}", text)
        kept: list[str] = []

        def keep(match: re.Match) -> str:
            kept.append(match.group(0))
            return f"\x00{len(kept) - 1}\x00"
        text = _LOCAL_ID.sub(keep, text)
        for pattern in (_ID_NUMBER, _USCC, _PHONE, _LONG_DIGITS, _LANDLINE):   # a grouped card number before a landline in it
            text = pattern.sub(MASK, text)
        if kept:
            text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
        return text


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
