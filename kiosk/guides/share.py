"""扫码带走: the guide as text in a QR code, so the citizen's phone carries it home.

The QR holds the text itself, not a link: it works at a village point with no network, and any
phone's camera app shows it. segno picks the smallest QR version that fits (byte mode, UTF-8).
"""
from __future__ import annotations

import io

import segno

from kiosk.guides.model import Matter, Pack, Theme

MAX_CHARS = 600   # keeps the code at a version a phone reads from a screen at arm's length


def matter_text(pack: Pack, matter: Matter) -> str:
    """What to bring, where and when, whom to call — the part one needs at the counter."""
    lines = [f"【{matter.name}】", matter.summary, "要带的材料："]
    for i, mat in enumerate(matter.materials, start=1):
        extra = "（可以不带：机器能查到）" if mat.e_certificate else ""
        optional = "（部分情况需要）" if not mat.required else ""
        lines.append(f"{i}. {mat.name} {mat.form_text}{extra}{optional}")
    lines += [f"地点：{matter.place}", f"时间：{matter.hours}", f"时限：{matter.time_limit.text}",
              f"收费：{matter.fee}", f"咨询：{matter.phone_ask}  投诉：{matter.phone_complain}"]
    if pack.notice:
        lines.append(pack.notice)
    return _fit("\n".join(lines))


def theme_text(pack: Pack, theme: Theme) -> str:
    lines = [f"【{theme.name}】", theme.summary, "一起办：" + "、".join(m.name for m in pack.theme_matters(theme)),
             "一次带齐："]
    lines += [f"{i}. {mat.name} {mat.form_text}" for i, mat in enumerate(pack.theme_materials(theme), start=1)]
    if pack.notice:
        lines.append(pack.notice)
    return _fit("\n".join(lines))


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1] + "…"


def qr_png(text: str, scale: int = 6) -> bytes:
    """PNG bytes of a QR code carrying `text` (dark on white, with the standard quiet zone)."""
    qr = segno.make(text, error="m", encoding="utf-8", micro=False)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()
