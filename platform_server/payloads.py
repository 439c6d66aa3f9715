"""The `payload` of every submission kind as a pydantic model: each field the terminal sends, typed and bounded.

What the terminal sends is built in kiosk/flows/*.py (application_payload, licences_payload, paperwork_payload,
the 免申即享 confirmation in benefits.py, evaluation and complaint build_payload, postal_payload,
appointment_payload, the help request) and kiosk/submit.py adds `applicant`; docs/platform-api-extensions.md
lists the keys. Strict types (a bool is not a number, "5" is not 5), no unknown keys, and every field may be
left out (a terminal of an older version sends fewer): what is sent must be right, what is missing is "".
A terminal that adds a key to a payload adds it here too (test_terminal_flows.py sends every flow through).
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from common.kinds import KINDS

Key = Annotated[StrictStr, Field(max_length=64)]                 # codes, ids, keys
Words = Annotated[StrictStr, Field(max_length=200)]              # names and plain sentences
Long = Annotated[StrictStr, Field(max_length=1000)]              # a form value, a note, a review's detail
Phone = Annotated[StrictStr, Field(max_length=20, pattern=r"^[0-9 +-]*$")]
Stars = Annotated[StrictInt, Field(ge=1, le=5)]
RegionCode = Annotated[StrictStr, Field(max_length=12, pattern=r"^[0-9]*$")]
MAX_ITEMS = 100


def _iso_date(value: str) -> str:
    dt.date.fromisoformat(value)           # 2026-02-30 is refused here
    return value


IsoDate = Annotated[StrictStr, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_iso_date)]


def items(model, most: int = MAX_ITEMS):
    return Annotated[list[model], Field(max_length=most)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Applicant(Part):
    """Who submitted (kiosk/submit.py): the identity the citizen gave at the terminal."""
    source: Key = ""
    name: Words = ""
    number: Key = ""
    is_enterprise: StrictBool = False


class Payload(Part):
    kind: ClassVar[str] = ""               # the submission kind (common/kinds.py) this model checks
    applicant: Applicant | None = None     # None: an anonymous complaint


# -- application (我要办, 一件事, 免申即享 确认领取) --------------------------------------------------------
class Material(Part):
    id: Key
    status: Literal["e_certificate", "bring", "optional"]
    licence_id: Key = ""


class MatterRef(Part):
    code: Key = ""
    name: Words = ""


class ThemeRef(Part):
    id: Key = ""
    name: Words = ""


class LicenceRef(Part):
    type: Key
    id: Key


class FormLine(Part):
    label: Words
    value: Long = ""
    source: Key = ""
    changed: StrictBool = False


class Form(Part):
    title: Words = ""
    fields: items(FormLine) = []


class Check(Part):
    check: Key
    ok: StrictBool
    detail: Long = ""


class PageReview(Part):
    quality: items(Key, 20) = []
    checks: items(Check, 50) = []
    page: Words = ""
    material: Key | None = None


class TerminalRef(Part):
    id: Key = ""
    level: Key = ""


class Benefit(Part):
    policy_id: Key
    mode: Literal["confirm"]
    amount: Words = ""


class ApplicationPayload(Payload):
    kind = "application"
    matter_code: Key = ""
    matter_name: Words = ""
    phone: Phone = ""
    delivery: Key = ""
    materials: items(Material) = []
    needs_visit: StrictBool = False
    matters: items(MatterRef, 50) = []
    theme: ThemeRef | None = None
    licences: items(LicenceRef, 20) = []
    licence_consent: StrictBool = False
    form: Form | None = None
    prereview: items(PageReview, 50) = []
    signed: StrictBool = False
    terminal: TerminalRef | None = None
    benefit: Benefit | None = None


# -- evaluation (好差评, GB/T 39735) -------------------------------------------------------------------
class Target(Part):
    type: Key = ""
    local_id: Key = ""
    kind: Literal[KINDS + ("",)] = ""  # type: ignore[valid-type]


class EvaluationPayload(Payload):
    kind = "evaluation"
    standard: Key = ""
    channel: Key = ""
    target: Target | None = None
    level: Stars | None = None
    level_words: Words = ""
    score: Stars | None = None
    bad: StrictBool = False
    indicators: Annotated[dict[Key, Stars], Field(max_length=20)] = {}
    reasons: items(Key, 20) = []
    real_name: StrictBool = False
    callback_phone: Phone | None = None
    callback_required: StrictBool = False
    rectify_within_working_days: Annotated[StrictInt, Field(ge=1, le=60)] | None = None
    terminal_id: Key = ""
    terminal_name: Words = ""
    elderly_mode: StrictBool = False


# -- complaint (吐槽找茬, 办不成事) --------------------------------------------------------------------
class ComplaintPayload(Payload):
    kind = "complaint"
    category: Key = ""
    problem: Key = ""
    problem_words: Words = ""
    place: Key = ""
    place_words: Words = ""
    hall: Words = ""
    contact_phone: Phone | None = None
    anonymous: StrictBool = False
    note: Long | None = None
    terminal_id: Key = ""
    terminal_name: Words = ""
    region_code: RegionCode = ""
    elderly_mode: StrictBool = False


# -- postal_order, appointment, help_request ---------------------------------------------------------
class PostalPayload(Payload):
    kind = "postal_order"
    service: Key = ""
    address_source: Key = ""
    address: Words | None = None
    phone: Phone = ""
    pickup_slot: Key | None = None
    fee: Key = ""
    terminal_id: Key = ""


class AppointmentPayload(Payload):
    kind = "appointment"
    department: Key = ""
    department_name: Words = ""
    date: IsoDate | None = None
    half_day: Literal["am", "pm"] | None = None
    phone: Phone = ""
    terminal_id: Key = ""


class HelpPayload(Payload):
    kind = "help_request"
    reason: Key = ""
    terminal_id: Key = ""
    terminal_name: Words = ""
    screen: Key = ""
    elderly_mode: StrictBool = False


# kind -> its model; tests/unit/test_payload_models.py: one for every kind of common/kinds.py
PAYLOADS: dict[str, type[Payload]] = {m.kind: m for m in (ApplicationPayload, EvaluationPayload, ComplaintPayload,
                                                          PostalPayload, AppointmentPayload, HelpPayload)}
