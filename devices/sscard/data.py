"""Reading a social security card (社会保障卡) over any APDU transport — PC/SC or the simulator.

`read_card(transmit)` selects the SSSE application, reads EF05 (card) and EF06 (holder) record by
record by tag, and decodes ASCII, GBK and BCD (shared/specs/devices.md). It answers 6Cxx (wrong Le:
send again with xx) and 61xx (more data: GET RESPONSE). It never sends VERIFY: a wrong PIN uses up
the citizen's retries and can lock the card, and these files do not need one.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from typing import Any, Callable

from devices.nations import NATIONS, nation_name

# sx1.sh. + 社会保障 in GBK
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
EF05 = b"\xEF\x05"
EF06 = b"\xEF\x06"

# tag -> (field, value length, decoding)
EF05_TAGS = {0x01: ("card_id", 16, "hex"), 0x02: ("card_type", 1, "text"), 0x03: ("version", 4, "ascii"),
             0x04: ("issuer_org", 12, "text"), 0x05: ("issue_date", 4, "bcd_date"),
             0x06: ("expiry_date", 4, "bcd_date"), 0x07: ("card_number", 9, "ascii")}
EF06_TAGS = {0x08: ("ssn", 18, "ascii"), 0x09: ("name", 30, "gbk"), 0x0A: ("sex", 1, "sex"),
             0x0B: ("nation", 1, "nation"), 0x0C: ("birthplace", 3, "bcd"), 0x0D: ("birth_date", 4, "bcd_date")}

JSON_KEYS = ("card_id", "card_type", "version", "issuer_org", "issue_date", "expiry_date", "card_number",
             "ssn", "name", "sex", "nation", "birthplace", "birth_date")

INS_VERIFY = 0x20
MAX_CHAINED = 8   # GET RESPONSE rounds before we call the card broken (a loop guard)

Transmit = Callable[[list[int]], "tuple[list[int], int, int]"]


class CardDataError(ValueError):
    """The card answered, but not like a social security card. Messages never carry card values."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(repr=False)
class SsCardRecord:
    card_id: str | None = None
    card_type: str | None = None
    version: str | None = None
    issuer_org: str | None = None
    issue_date: str | None = None
    expiry_date: str | None = None
    card_number: str | None = None
    ssn: str | None = None
    name: str | None = None
    sex: str | None = None
    nation: str | None = None
    birthplace: str | None = None
    birth_date: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Exactly the keys of `read-card --source sscard` (issue 3)."""
        data = asdict(self)
        return {key: data[key] for key in JSON_KEYS}

    def __repr__(self) -> str:  # never print personal data by accident
        return "SsCardRecord(...)"


# -- decoding -----------------------------------------------------------------------------
def bcd_digits(value: bytes) -> str:
    """Packed BCD -> digits; a nibble above 9 means the field is not BCD."""
    text = value.hex().upper()
    if not text.isdigit():
        raise CardDataError("sscard.bad_data", "BCD field holds non-digits")
    return text


def bcd_date(value: bytes) -> str:
    digits = bcd_digits(value)
    if len(digits) != 8:
        raise CardDataError("sscard.bad_data", "date of wrong length")
    try:
        _dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise CardDataError("sscard.bad_data", "date is not a calendar date") from None
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _trim(value: bytes) -> bytes:
    return value.rstrip(b"\x00 \xFF")


def decode(kind: str, value: bytes) -> str | None:
    """Decode one record value by its kind (see EF05_TAGS / EF06_TAGS)."""
    if kind == "hex":
        return value.hex().upper()
    if kind == "bcd_date":
        return bcd_date(value)
    if kind == "bcd":
        return bcd_digits(value)
    if kind == "nation":
        return nation_name(bcd_digits(value)) or None
    if kind == "sex":
        return {b"1": "男", b"2": "女"}.get(value[:1], "未知")
    if kind == "gbk":
        try:
            return _trim(value).decode("gbk").strip() or None
        except UnicodeDecodeError:
            raise CardDataError("sscard.bad_data", "name is not GBK") from None
    raw = _trim(value)
    if kind == "ascii":
        try:
            return raw.decode("ascii").strip() or None
        except UnicodeDecodeError:
            raise CardDataError("sscard.bad_data", "text field is not ASCII") from None
    # "text": printable ASCII as text, anything else as hex (issuer codes differ between provinces)
    if raw and all(0x20 <= b < 0x7F for b in raw):
        return raw.decode("ascii").strip()
    return value.hex().upper() or None


# -- APDUs --------------------------------------------------------------------------------
def send(transmit: Transmit, apdu: list[int]) -> tuple[bytes, int, int]:
    """Transmit, following 61xx with GET RESPONSE and 6Cxx with a resend at the right Le."""
    if len(apdu) >= 2 and apdu[1] == INS_VERIFY:
        raise AssertionError("VERIFY must never be sent to a citizen's card")
    data, sw1, sw2 = transmit(apdu)
    if sw1 == 0x6C:
        data, sw1, sw2 = transmit(apdu[:4] + [sw2])
    out = bytes(data)
    rounds = 0
    while sw1 == 0x61:
        rounds += 1
        if rounds > MAX_CHAINED:
            raise CardDataError("sscard.bad_answer", "endless GET RESPONSE chain")
        data, sw1, sw2 = transmit([0x00, 0xC0, 0x00, 0x00, sw2])
        out += bytes(data)
    return out, sw1, sw2


def _select(transmit: Transmit, p1: int, ident: bytes, what: str) -> None:
    _, sw1, sw2 = send(transmit, [0x00, 0xA4, p1, 0x00, len(ident)] + list(ident))
    if (sw1, sw2) != (0x90, 0x00):
        code = "sscard.not_ssc" if p1 == 0x04 else "sscard.bad_answer"
        raise CardDataError(code, f"select {what}: {sw1:02X}{sw2:02X}")


def _read_file(transmit: Transmit, tags: dict[int, tuple[str, int, str]], out: dict[str, str | None]) -> None:
    for tag, (field_name, length, kind) in tags.items():
        data, sw1, sw2 = send(transmit, [0x00, 0xB2, tag, 0x00, length + 2])
        if (sw1, sw2) == (0x6A, 0x83) or (sw1, sw2) == (0x6A, 0x82):
            out[field_name] = None  # record not on this card generation
            continue
        if (sw1, sw2) != (0x90, 0x00):
            raise CardDataError("sscard.bad_answer", f"read record {tag:02X}: {sw1:02X}{sw2:02X}")
        if len(data) < 2 or data[0] != tag or data[1] > len(data) - 2:
            raise CardDataError("sscard.bad_answer", f"record {tag:02X} is malformed")
        out[field_name] = decode(kind, data[2:2 + data[1]])


def read_card(transmit: Transmit) -> SsCardRecord:
    """Read EF05 and EF06 of the card behind `transmit`. Raises CardDataError."""
    _select(transmit, 0x04, SSSE_AID, "SSSE")
    values: dict[str, str | None] = {}
    _select(transmit, 0x02, EF05, "EF05")
    _read_file(transmit, EF05_TAGS, values)
    _select(transmit, 0x02, EF06, "EF06")
    _read_file(transmit, EF06_TAGS, values)
    record = SsCardRecord(**values)
    if not record.ssn or not record.name:
        raise CardDataError("sscard.bad_data", "card has no holder number or name")
    return record


# -- encoding (virtual card, tests) ---------------------------------------------------------
def bcd(digits: str) -> bytes:
    return bytes.fromhex(digits)


def encode_records(record: SsCardRecord, card_type_byte: bytes = b"1") -> tuple[dict[int, bytes], dict[int, bytes]]:
    """EF05 and EF06 record values for a record (inverse of `read_card`'s decoding)."""
    nation_codes = {v: k for k, v in NATIONS.items()}
    ef05 = {
        0x01: bytes.fromhex(record.card_id or "00" * 16),
        0x02: (record.card_type or "").encode("ascii") or card_type_byte,
        0x03: (record.version or "").encode("ascii"),
        0x04: (record.issuer_org or "").encode("ascii").ljust(12, b" "),
        0x05: bcd((record.issue_date or "").replace("-", "")),
        0x06: bcd((record.expiry_date or "").replace("-", "")),
        0x07: (record.card_number or "").encode("ascii"),
    }
    ef06 = {
        0x08: (record.ssn or "").encode("ascii"),
        0x09: (record.name or "").encode("gbk").ljust(30, b"\x00"),
        0x0A: {"男": b"1", "女": b"2"}.get(record.sex or "", b"0"),
        0x0B: bcd(nation_codes.get(record.nation or "", "00")),
        0x0C: bcd(record.birthplace or "000000"),
        0x0D: bcd((record.birth_date or "").replace("-", "")),
    }
    return ef05, ef06
