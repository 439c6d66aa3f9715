"""Card records from the device drivers -> the one `Identity` type of the application."""
from __future__ import annotations

from typing import Any

from kiosk.identity import Identity, IdentitySource


def identity_from_idcard(record: Any) -> Identity:
    """An IdCardRecord (devices/idcard/text.py) as an Identity.

    The SAM module authenticates the card against the chip's keys, so the identity counts as
    verified without the network. Foreigners whose card has no Chinese name are greeted by the
    English name.
    """
    details = {k: v for k, v in record.as_json().items() if v is not None and k != "sam_id"}
    details["photo_wlt"] = record.photo
    return Identity(source=IdentitySource.ID_CARD, name=record.name or record.name_en or "",
                    number=record.id_number or "", verified_offline=True, details=details)


def identity_from_sscard(record: Any) -> Identity:
    """An SsCardRecord (devices/sscard/data.py) as an Identity; the number is the 社会保障号码.

    Reading EF05/EF06 proves only that such a card was inserted (no PIN is ever checked), so the
    identity is not marked verified.
    """
    details = {k: v for k, v in record.as_json().items() if v is not None}
    return Identity(source=IdentitySource.SOCIAL_SECURITY_CARD, name=record.name or "",
                    number=record.ssn or "", verified_offline=False, details=details)


def identity_from_card(record: Any) -> Identity:
    """Either kind of card record (what a "card_presented" event carries)."""
    if hasattr(record, "ssn"):
        return identity_from_sscard(record)
    return identity_from_idcard(record)
