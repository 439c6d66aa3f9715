"""The 256-byte text block of resident ID cards and permits (UCS-2LE), for all four card types.

Field offsets and lengths are in bytes (shared/specs/devices.md). Parsing never guesses: a date that
is not YYYYMMDD (or 长期) or a text block of the wrong size raises `CardTextError`, which the driver
turns into a device error. `encode_text` is the inverse, used by the simulator and the tests.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from typing import Any

from devices.checkdigit import valid_id_number
from devices.nations import NATIONS, nation_name  # noqa: F401  (re-exported for the codec's users)

TEXT_LEN = 256
TYPE_OFFSET = 248

# card type -> JSON name (resident for any other value at offset 248)
TYPE_NAMES = {"J": "hmt", "I": "foreign", "Y": "foreign2023"}

SEX = {"0": "未知", "1": "男", "2": "女", "9": "未知"}

LONG_TERM = "长期"

# (field, offset, length) per layout; the resident layout is the default
_RESIDENT = (("name", 0, 30), ("sex", 30, 2), ("nation", 32, 4), ("birth", 36, 16), ("address", 52, 70),
             ("id_number", 122, 36), ("authority", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16))
_HMT = _RESIDENT[:2] + _RESIDENT[3:] + (("pass_number", 220, 18), ("issue_count", 238, 4))
_FOREIGN = (("name_en", 0, 120), ("sex", 120, 2), ("id_number", 122, 30), ("nationality", 152, 6),
            ("name", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16), ("birth", 220, 16),
            ("card_version", 236, 4), ("authority", 240, 8))
_FOREIGN2023 = (("name", 0, 30), ("sex", 30, 2), ("issue_count", 32, 4), ("birth", 36, 16),
                ("name_en", 52, 70), ("name_en_more", 220, 22), ("id_number", 122, 36),
                ("valid_from", 188, 16), ("valid_to", 204, 16), ("nationality", 242, 6),
                ("previous_link", 250, 6))
LAYOUTS = {"resident": _RESIDENT, "hmt": _HMT, "foreign": _FOREIGN, "foreign2023": _FOREIGN2023}

# the JSON keys of `read-card --source idcard`, in order (issue 3)
JSON_KEYS = ("type", "name", "name_en", "sex", "nation", "birth", "address", "id_number", "authority",
             "valid_from", "valid_to", "pass_number", "issue_count", "nationality", "sam_id")


class CardTextError(ValueError):
    """The text block cannot be read as any card type. The message names the field, never its value."""


@dataclass(repr=False)
class IdCardRecord:
    """One card as read: the fields of the JSON output, plus the raw photo and fingerprint bytes."""
    type: str
    name: str | None = None
    name_en: str | None = None
    sex: str | None = None
    nation: str | None = None
    birth: str | None = None
    address: str | None = None
    id_number: str | None = None
    authority: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    pass_number: str | None = None
    issue_count: str | None = None
    nationality: str | None = None
    sam_id: str | None = None
    photo: bytes = b""            # WLT as read; only the licensed vendor library can decode it
    fingerprint: bytes | None = None
    extra: dict[str, str] = field(default_factory=dict)  # card_version, previous_link

    def as_json(self) -> dict[str, Any]:
        """Exactly the keys of the staff CLI (issue 3); missing values are None."""
        data = asdict(self)
        return {key: data[key] for key in JSON_KEYS}

    def __repr__(self) -> str:  # never print personal data by accident
        return f"IdCardRecord(type={self.type!r})"


def _field(text: bytes, offset: int, length: int, strip: bool = True) -> str:
    raw = text[offset:offset + length]
    # rare characters outside the BMP cannot be on a UCS-2 card; replacement keeps parsing total
    value = raw.decode("utf-16-le", errors="replace").replace("\x00", " ")
    return value.strip() if strip else value


def card_type(text: bytes) -> str:
    """resident | hmt | foreign | foreign2023, from the character at byte 248."""
    if len(text) != TEXT_LEN:
        raise CardTextError(f"text block of {len(text)} bytes, expected {TEXT_LEN}")
    return TYPE_NAMES.get(_field(text, TYPE_OFFSET, 2), "resident")


def format_date(value: str, what: str, allow_long_term: bool = False) -> str:
    """YYYYMMDD -> YYYY-MM-DD; 长期 stays 长期 where allowed."""
    if allow_long_term and value == LONG_TERM:
        return value
    if len(value) != 8 or not value.isdigit():
        raise CardTextError(f"{what} is not a date")
    try:
        _dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CardTextError(f"{what} is not a valid date") from None
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def sex_name(code: str) -> str:
    return SEX.get(code.strip(), "未知")


def parse_text(text: bytes) -> IdCardRecord:
    """Fields of a text block as an IdCardRecord (photo and sam_id are added by the driver)."""
    kind = card_type(text)
    raw = {name: _field(text, off, ln) for name, off, ln in LAYOUTS[kind]}
    rec = IdCardRecord(type=kind)
    rec.name = raw.get("name") or None
    rec.sex = sex_name(raw.get("sex", ""))
    if kind == "resident":
        rec.nation = nation_name(raw["nation"]) or None
    if kind in ("resident", "hmt"):
        rec.address = raw["address"] or None
    rec.authority = raw.get("authority") or None
    rec.id_number = raw.get("id_number") or None
    if kind == "hmt":
        rec.pass_number = raw["pass_number"] or None
    if kind in ("hmt", "foreign2023"):
        rec.issue_count = raw["issue_count"] or None
    if kind in ("foreign", "foreign2023"):
        rec.nationality = raw["nationality"] or None
        name_en = raw["name_en"]
        if kind == "foreign2023" and raw["name_en_more"]:
            # the 2023 card continues a long English name in a second field
            # (the first part is full then, and its last character may be a meaningful space)
            name_en = (_field(text, 52, 70, strip=False) + _field(text, 220, 22, strip=False)).strip()
        rec.name_en = name_en or None
    if kind == "foreign":
        rec.extra["card_version"] = raw["card_version"]
    if kind == "foreign2023" and raw["previous_link"]:
        rec.extra["previous_link"] = raw["previous_link"]
    rec.birth = format_date(raw["birth"], "birth")
    rec.valid_from = format_date(raw["valid_from"], "valid_from")
    rec.valid_to = format_date(raw["valid_to"], "valid_to", allow_long_term=True)
    if not rec.id_number:
        raise CardTextError("id_number is empty")
    return rec


def id_number_ok(rec: IdCardRecord) -> bool:
    """Check digit of the card's number where it has one (all but the 15-character 2017 foreigner card)."""
    if rec.type == "foreign":
        number = rec.id_number or ""
        return len(number) == 15 and number[:3].isalpha() and number[3:].isdigit()
    return valid_id_number(rec.id_number)


def fields_consistent(rec: IdCardRecord) -> None:
    """Raise CardTextError when an 18-character number disagrees with the birth or sex field (the
    number encodes both: digits 7-14 the birth date, digit 17 odd for men, even for women)."""
    number = rec.id_number or ""
    if rec.type == "foreign" or len(number) != 18:
        return
    if rec.birth and number[6:14] != rec.birth.replace("-", ""):
        raise CardTextError("birth date does not match the card number")
    if rec.sex in ("男", "女") and number[16].isdigit() and (int(number[16]) % 2 == 1) != (rec.sex == "男"):
        raise CardTextError("sex does not match the card number")


# -- encoding (simulator, tests) ---------------------------------------------------------------
_SEX_CODES = {"男": "1", "女": "2", "未知": "0"}
_NATION_CODES = {v: k for k, v in NATIONS.items()}


def _put(buf: bytearray, offset: int, length: int, value: str) -> None:
    raw = value.encode("utf-16-le")
    if len(raw) > length:
        raise ValueError(f"value too long for field at {offset}")
    buf[offset:offset + length] = raw + " ".encode("utf-16-le") * ((length - len(raw)) // 2)


def _undate(value: str | None) -> str:
    return (value or "").replace("-", "")


def encode_text(rec: IdCardRecord) -> bytes:
    """256-byte text block for a record: the inverse of `parse_text`."""
    buf = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    values = {
        "name": rec.name or "", "sex": _SEX_CODES.get(rec.sex or "未知", "0"),
        "nation": _NATION_CODES.get(rec.nation or "", ""), "birth": _undate(rec.birth),
        "address": rec.address or "", "id_number": rec.id_number or "", "authority": rec.authority or "",
        "valid_from": _undate(rec.valid_from), "valid_to": _undate(rec.valid_to),
        "pass_number": rec.pass_number or "", "issue_count": rec.issue_count or "",
        "nationality": rec.nationality or "", "name_en": rec.name_en or "", "name_en_more": "",
        "card_version": rec.extra.get("card_version", ""), "previous_link": rec.extra.get("previous_link", ""),
    }
    if rec.type == "foreign2023" and len(values["name_en"]) > 35:
        values["name_en"], values["name_en_more"] = values["name_en"][:35], values["name_en"][35:]
    for name, off, ln in LAYOUTS[rec.type]:
        _put(buf, off, ln, values[name])
    marker = {v: k for k, v in TYPE_NAMES.items()}.get(rec.type, " ")
    _put(buf, TYPE_OFFSET, 2, marker)
    return bytes(buf)
