"""Checks shared by the flows."""
from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def valid_mobile(number: str) -> bool:
    """A mainland mobile number: 11 digits starting 13–19."""
    return bool(_MOBILE.match(number or ""))


def mask_phone(number: str) -> str:
    """13905301234 -> 139****1234 (for receipts and summaries on screen)."""
    return number[:3] + "****" + number[-4:] if len(number) == 11 else "*" * len(number)
