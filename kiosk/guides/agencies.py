"""中介超市: intermediary service agencies (agencies/*.yaml of a content pack), read only.

On the platform this is the catalogue of the intermediary-services market; the demo pack carries a few
made-up agencies. Each has a service (测绘, 评估, 设计 …), its qualification (资质), the time it promises,
its fee standard, a rating out of 5 and how to reach it. The terminal shows them and lets the citizen take
an agency's details away as a QR code (扫码带走); it never signs a contract. docs/content-pack.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.guides.folders import parse_folder
from kiosk.guides.loader import Problem, _Ctx

# service id -> the word on the button; the pack may only use these (lint)
SERVICES = {"survey": "测绘", "appraisal": "评估", "design": "设计", "audit": "审计", "legal": "法律",
            "agency": "代理"}


@dataclass
class Agency:
    """One agency of the market as a citizen compares them."""
    id: str
    name: str
    service: str                     # a key of SERVICES
    qualification: str              # 资质, as on its certificate
    promised_days: int              # 承诺时限 in working days
    fee: str                        # 收费标准, in plain words
    rating: float                   # 0..5 (the platform's 好差评 of the agency)
    phone: str
    address: str = ""
    matters: list[str] = field(default_factory=list)   # the matters its work is for (optional)
    source: str = ""

    @property
    def service_name(self) -> str:
        return SERVICES.get(self.service, self.service)

    @property
    def stars(self) -> str:
        """★★★★☆ 4.5 分 — the rating in words and signs, never colour alone."""
        full = int(self.rating + 0.5)
        return "★" * full + "☆" * (5 - full) + f" {self.rating:.1f} 分"

    def share_text(self) -> str:
        """扫码带走: the agency's details as plain text (no link: works without a network)."""
        lines = [f"【中介服务：{self.service_name}】{self.name}", f"资质：{self.qualification}",
                 f"承诺时限：{self.promised_days} 个工作日", f"收费标准：{self.fee}", f"评分：{self.rating:.1f} 分（满分5分）",
                 f"电话：{self.phone}"]
        if self.address:
            lines.append(f"地址：{self.address}")
        lines.append("自助机只提供信息，请您自己和中介机构联系、签合同。")
        return "\n".join(lines)


_AGENCY_KEYS = {"id", "name", "service", "qualification", "promised_days", "fee", "rating", "phone",
                "address", "matters"}


def _agency(c: _Ctx, d: Any, source: str, matter_codes: set[str]) -> Agency | None:
    if not isinstance(d, dict):
        c.err((), "an agency file should be a mapping")
        return None
    c.unknown(d, (), _AGENCY_KEYS)
    aid, name = c.get(d, (), "id", str), c.get(d, (), "name", str)
    label = f"agency '{aid or source}'"
    service = c.get(d, (), "service", str, True, "")
    if service and service not in SERVICES:
        c.err(("service",), f"{label}: service '{service}' should be one of {', '.join(SERVICES)}")
    rating = float(c.get(d, (), "rating", (int, float), True, 0))
    if not 0 <= rating <= 5:
        c.err(("rating",), f"{label}: rating {rating:g} should be between 0 and 5")
    days = c.get(d, (), "promised_days", int, True, 0)
    if days is not None and days < 0:
        c.err(("promised_days",), f"{label}: promised_days cannot be negative")
    matters = c.strings(d, (), "matters")
    for i, code in enumerate(matters):
        if code not in matter_codes:
            c.err(("matters", i), f"{label}: matter {code} is not in the pack")
    fee = c.get(d, (), "fee", (str, int, float), True, "")
    if aid is None or name is None:
        return None
    return Agency(id=aid, name=name, service=service, qualification=c.get(d, (), "qualification", str, True, ""),
                  promised_days=days or 0, fee=str(fee), rating=rating, phone=c.get(d, (), "phone", str, True, ""),
                  address=c.get(d, (), "address", str, False, ""), matters=matters, source=source)


def parse_agencies(root: Path, problems: list[Problem], matter_codes: set[str]) -> list[Agency]:
    """Every agencies/*.yaml of the pack; problems are added to `problems`."""
    return parse_folder(root, "agencies", "agency", problems,
                        lambda c, data, file: _agency(c, data, file, matter_codes))
