"""Captured pages and the signature as the attachments of a submission.

A taken page becomes a JPEG sized for reading (devices/doccam/encode.py) named after its material
(户口簿首页.jpg); the Session keeps it as {"name", "content_type", "data"} until the submission seals
it in the outbox (terminal.submit(..., attachments=[(name, content_type, bytes)])) or the session is
wiped. Nothing here logs a page or its name with personal data.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from devices.doccam.encode import CONTENT_TYPE, encode_page


def page_attachment(material_name: str, page: np.ndarray, side: str = "", long_side: int = 1600,
                    quality: int = 80) -> dict[str, Any]:
    """A Session attachment for one page of a material (`side`: 正面, 反面, 第2页 …)."""
    name = f"{material_name}{side}.jpg"
    return {"name": name, "content_type": CONTENT_TYPE, "data": encode_page(page, long_side, quality)}


def for_submit(attachments: Iterable[dict[str, Any]]) -> list[tuple[str, str, bytes]]:
    """The Session's attachments as terminal.submit takes them, each name once (a retake replaces)."""
    by_name: dict[str, tuple[str, str, bytes]] = {}
    for a in attachments:
        by_name[a["name"]] = (a["name"], a["content_type"], a["data"])
    return list(by_name.values())
