"""One `Identity` type for every way a citizen or an enterprise identifies at the terminal."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kiosk.redact import mask_id_number, mask_name


class IdentitySource(str, enum.Enum):
    ID_CARD = "idcard"                # 居民身份证 / residence permits (SAM reader)
    SOCIAL_SECURITY_CARD = "sscard"   # 社会保障卡 (PC/SC)
    RESIDENT_CODE = "resident_code"   # 居民码 (QR)
    ENTERPRISE_CODE = "enterprise_code"  # 企业码 (QR)


@dataclass(repr=False)
class Identity:
    """Who is at the terminal. Lives only inside a `Session`; never logged (repr is masked)."""
    source: IdentitySource
    name: str
    # 18-character resident ID number, permit number, or unified social credit code for enterprises
    number: str
    is_enterprise: bool = False
    verified_offline: bool = False
    # everything else the source gave (card fields, code claims); personal, like the rest
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def masked_name(self) -> str:
        return self.name if self.is_enterprise else mask_name(self.name)

    @property
    def masked_number(self) -> str:
        return mask_id_number(self.number)

    @property
    def greeting(self) -> str:
        """您好，张*三 — the only form in which the name appears on screen outside forms."""
        return f"您好，{self.masked_name}"

    def personal_values(self) -> list[str]:
        """Values the log redactor must mask for as long as the session lasts."""
        values = [self.name, self.number]
        values += [str(v) for v in self.details.values() if isinstance(v, str) and len(v) >= 2]
        return values

    def wipe(self) -> None:
        self.name = ""
        self.number = ""
        self.details.clear()

    def __repr__(self) -> str:
        return f"Identity(source={self.source.value}, name={self.masked_name!r}, number={self.masked_number!r})"
