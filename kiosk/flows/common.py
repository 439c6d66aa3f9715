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


def phone_problem(phone: str, required: bool = True) -> str:
    """The one phone check of every flow: plain words when `phone` cannot be accepted, "" when it can.

    An optional phone may be left empty; a started one must be a whole mobile number."""
    phone = phone or ""
    if not phone:
        return "请输入手机号。" if required else ""
    if not phone.startswith("1"):
        return "手机号是1开头的11位数字，请再看一下。"
    if len(phone) < 11:
        return f"手机号是11位，还差{11 - len(phone)}位。"
    if not valid_mobile(phone):
        return "这个手机号不对，请再看一下。"
    return ""
