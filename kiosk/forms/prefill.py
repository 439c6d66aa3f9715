"""The application form of a matter (or of a 一件事 theme: 一套材料、一表申请), filled in advance.

    fields = prefill(labels, identity=identity, licences=[...], phone="138…")
    form = PrefilledForm(title, fields); form.change("联系电话", "139…"); form.missing()

Values come from the identity (ID card, social security card, resident code), the e-licences the
platform returned (`POST /api/v1/licences/list`, each with its `fields`) and what the citizen typed in
the flow (phone). The citizen only checks the form and changes what is wrong. Values are personal:
they live in the Session and are never logged (repr hides them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

# label on the form -> where its value comes from, first found wins
SOURCES: dict[str, tuple[str, ...]] = {
    "姓名": ("identity.name",),
    "申请人": ("identity.name",),
    "公民身份号码": ("identity.number",),
    "身份证号": ("identity.number",),
    "性别": ("identity.sex",),
    "民族": ("identity.nation",),
    "出生日期": ("identity.birth",),
    "户籍地址": ("identity.address", "licence.address"),
    "住址": ("identity.address", "licence.address"),
    "迁出地址": ("identity.address", "licence.address"),
    "联系电话": ("flow.phone",),
    "社会保障卡号": ("licence.card_number",),
    "婚姻状况": ("licence.marital_status",),
    "配偶姓名": ("licence.spouse_name",),
    "配偶身份号码": ("licence.spouse_id_number",),
    "房屋坐落": ("licence.property_address",),
}
# the e-licence type (kiosk.guides.model.LICENCE_TYPES) whose data holds a `licence.<key>` value
LICENCE_OF_KEY = {"address": "hukou", "card_number": "sscard", "marital_status": "marriage",
                  "spouse_name": "marriage", "spouse_id_number": "marriage", "property_address": "property"}


def licence_types_for(labels: Iterable[str]) -> list[str]:
    """The e-licence types that could fill some of these form labels, in order of first use."""
    out: dict[str, None] = {}
    for label in labels:
        for ref in SOURCES.get(label, ()):
            where, _, key = ref.partition(".")
            if where == "licence" and key in LICENCE_OF_KEY:
                out.setdefault(LICENCE_OF_KEY[key])
    return list(out)
SOURCE_WORDS = {"identity": "从身份证读取", "licence": "从电子证照调取", "flow": "您刚才填的", "": "请您填写"}


@dataclass
class FormField:
    """One line of the form: its label, value, where the value came from and whether it was changed."""
    label: str
    value: str = field(default="", repr=False)
    source: str = ""          # identity | licence | flow | "" (the citizen fills it)
    changed: bool = False

    @property
    def source_words(self) -> str:
        """Where the value came from, in plain words (shown small under the value)."""
        return "您改过" if self.changed else SOURCE_WORDS.get(self.source, "")


def _identity_value(identity: Any, key: str) -> str:
    if identity is None:
        return ""
    if key in ("name", "number"):
        return str(getattr(identity, key, "") or "")
    return str((identity.details or {}).get(key, "") or "")


def prefill(labels: Iterable[str], *, identity: Any = None, licences: Iterable[dict] = (),
            values: dict[str, str] | None = None) -> list[FormField]:
    """The form's fields filled from the identity, the e-licences' `fields` and the flow's `values`
    (e.g. {"phone": "138…"}); a label nobody knows stays empty for the citizen."""
    values = values or {}
    licence_fields: dict[str, str] = {}
    for licence in licences:
        for key, value in (licence.get("fields") or {}).items():
            licence_fields.setdefault(key, str(value))
    out = []
    for label in labels:
        value, source = "", ""
        for ref in SOURCES.get(label, ()):
            where, _, key = ref.partition(".")
            if where == "identity":
                value = _identity_value(identity, key)
            elif where == "licence":
                value = licence_fields.get(key, "")
            elif where == "flow":
                value = str(values.get(key, "") or "")
            if value:
                source = where
                break
        out.append(FormField(label, value, source))
    return out


@dataclass
class PrefilledForm:
    """A form the citizen checks: `change` a line, `missing` the labels still empty."""
    title: str
    fields: list[FormField]

    def get(self, label: str) -> FormField:
        """The line with this label (KeyError when the form has none)."""
        for f in self.fields:
            if f.label == label:
                return f
        raise KeyError(label)

    def change(self, label: str, value: str) -> None:
        """The citizen corrects a line."""
        line = self.get(label)
        value = value.strip()
        if value != line.value:
            line.value, line.changed = value, True

    def missing(self) -> list[str]:
        """Labels still without a value."""
        return [f.label for f in self.fields if not f.value]

    def as_payload(self) -> dict[str, Any]:
        """What the submission carries: title, each line's label, value and whether it was changed."""
        return {"title": self.title, "fields": [{"label": f.label, "value": f.value, "source": f.source,
                                                 "changed": f.changed} for f in self.fields]}

    def wipe(self) -> None:
        """Forget every value (the session ends)."""
        for f in self.fields:
            f.value = ""
