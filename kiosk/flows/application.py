"""我要办: material pre-review and the application payload for a matter submitted at the terminal.

Pre-review ("材料预审") tells the citizen before submitting what the terminal already has (an
electronic certificate replaces the paper: 电子证照), what they must still bring or send, and what
is optional — so that "一审就通过、一次就办好" is more than a slogan.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

E_CERT = "e_certificate"   # fetched from the e-certificate library: nothing to bring
BRING = "bring"            # original must be shown at the window (or posted)
OPTIONAL = "optional"

DELIVERY_WORDS = {
    "window": "到窗口领取",
    "post": "免费邮寄到家",
    "electronic": "电子证照，手机上查看",
    "sms": "短信通知结果",
}


@dataclass
class MaterialCheck:
    material_id: str
    name: str
    status: str          # E_CERT | BRING | OPTIONAL
    words: str           # what the citizen reads


def prereview(matter, identified: bool) -> list[MaterialCheck]:
    """What happens with each material of `matter` when applying here."""
    out = []
    for m in matter.materials:
        if m.e_certificate and identified:
            out.append(MaterialCheck(m.id, m.name, E_CERT, "已自动调取电子证照，不用带"))
        elif not m.required:
            out.append(MaterialCheck(m.id, m.name, OPTIONAL, "有的话更好，没有也可以"))
        else:
            out.append(MaterialCheck(m.id, m.name, BRING, f"请准备{m.form_text}，工作人员核对时要看"))
    return out


def needs_visit(checks: list[MaterialCheck]) -> bool:
    """True when something must still be shown in person (or posted)."""
    return any(c.status == BRING for c in checks)


def delivery_options(matter) -> list[tuple[str, str]]:
    """(key, words) of the ways the result can be delivered; window pickup always possible."""
    keys = [d for d in (matter.delivery or []) if d in DELIVERY_WORDS]
    if "window" not in keys:
        keys.append("window")
    return [(k, DELIVERY_WORDS[k]) for k in keys]


def application_payload(matter, phone: str, delivery: str, checks: list[MaterialCheck],
                        terminal_id: str, level: str) -> dict[str, Any]:
    """The `payload` of an "application" submission (platform-api.md)."""
    return {
        "matter_code": matter.code,
        "matter_name": matter.name,
        "phone": phone,
        "delivery": delivery,
        "materials": [{"id": c.material_id, "status": c.status} for c in checks],
        "needs_visit": needs_visit(checks),
        "terminal": {"id": terminal_id, "level": level},
    }


def receipt_note(matter, phone_masked: str, checks: list[MaterialCheck]) -> str:
    """What happens next, in one or two plain sentences."""
    when = matter.time_limit.text if matter.time_limit else "以窗口告知为准"
    note = f"{when}。办理进度会发短信到 {phone_masked}。"
    if needs_visit(checks):
        note += "收到短信后，请带上要核对的材料原件到窗口。"
    return note
