"""What 我要办 applies for and what replaces paper, without a display.

A subject is one matter, or a 一件事 theme (一套材料、一表申请): the theme stands as one Matter whose
materials are the theme's one set (Pack.theme_materials) without the matters' separate paper forms —
they become the one form the terminal fills (its lines: the union of the matters' form lines) — and
whose submission is one 办件 carrying all the matters.

E-licences (电子证照) replace paper only with the citizen's consent: `use_licences(True)` asks the
platform (POST /api/v1/licences/fetch, blocking: call it off the UI thread) for the licence types the
materials and the form can use; what it returns is kept in the flow's state (the Session) and fills the
form; a material whose licence came back is not asked for on paper nor photographed.
"""
from __future__ import annotations

from typing import Any

from kiosk.guides.model import LICENCE_TYPES, Matter, TimeLimit

THEME_PREFIX = "theme:"
DEFAULT_FORM_LABELS = ["姓名", "公民身份号码", "联系电话"]
# the e-licence data that identifies someone (not 已婚, 户主, C1: masking those would blank ordinary log words)
PERSONAL_KEYS = {"name", "number", "address", "card_number", "spouse_name", "spouse_id_number", "property_address",
                 "household_head", "married_on"}
OFFLINE_WORDS = "现在连不上政务平台，电子证照调不出来。请带上纸质材料，或稍后再试。"


def is_form(material) -> bool:
    """A paper application form (review kind `form`)."""
    return bool(material.review and material.review.kind == "form")


def form_labels_of(matter) -> list[str]:
    """The lines of a matter's application form (its form material's `review.required`)."""
    for m in matter.materials:
        if is_form(m) and m.review.required:
            return list(m.review.required)
    return list(DEFAULT_FORM_LABELS)


def theme_subject(pack, theme) -> Matter:
    """A theme as one Matter: one set of materials (no separate paper forms), the longest time limit,
    the ways of delivery and the fees of all its matters."""
    matters = pack.theme_matters(theme)
    materials = [m for m in pack.theme_materials(theme) if not is_form(m)]
    days = [m.time_limit.promised_days for m in matters]
    promised = None if any(d is None for d in days) or not days else max(days)
    fees = list(dict.fromkeys(m.fee for m in matters if m.fee))
    delivery = list(dict.fromkeys(d for m in matters for d in m.delivery))
    return Matter(code=THEME_PREFIX + theme.id, name=theme.name, department="", summary=theme.summary,
                  levels=[], submit_at_terminal=True, materials=materials, delivery=delivery,
                  time_limit=TimeLimit(promised_days=promised),
                  fee="免费" if fees == ["免费"] else "；".join(fees) or "免费")


class Subject:
    """Mixed into ApplicationFlow: the matter or theme chosen, its form lines and its e-licences.
    The state has `matter_code`, `consent` ("" not asked | yes | no), `licences`, `licences_missing`,
    `licences_loaded` and `licence_message`."""

    # -- the subject --------------------------------------------------------------------------
    @property
    def theme(self):
        """The 一件事 theme chosen (None for a single matter)."""
        code = self.state.matter_code
        if not code.startswith(THEME_PREFIX):
            return None
        return next((t for t in self.terminal.library.pack.themes if t.id == code[len(THEME_PREFIX):]), None)

    @property
    def matter(self):
        """The matter chosen, or the theme standing as one matter (None before a choice)."""
        pack = self.terminal.library.pack
        theme = self.theme
        return theme_subject(pack, theme) if theme is not None else pack.by_code.get(self.state.matter_code)

    def matters(self) -> list:
        """The real matters applied for: the one, or every matter of the theme."""
        theme = self.theme
        if theme is not None:
            return self.terminal.library.pack.theme_matters(theme)
        matter = self.matter
        return [matter] if matter is not None else []

    def themes(self) -> list:
        """The 一件事 themes that can be applied for here in one go."""
        return [t for t in self.terminal.library.pack.themes if t.submit_at_terminal]

    def form_labels(self) -> list[str]:
        """The one form's lines: for a theme the union of its matters' forms, each line once."""
        labels: dict[str, None] = {}
        for matter in self.matters():
            for label in form_labels_of(matter):
                labels.setdefault(label)
        return list(labels) or list(DEFAULT_FORM_LABELS)

    def form_title(self) -> str:
        theme = self.theme
        if theme is not None:
            return f"{theme.name}申请表（一表申请）"
        for m in self.matter.materials if self.matter else []:
            if is_form(m):
                return m.name
        return f"{self.matter.name}申请表" if self.matter else "申请表"

    # -- e-licences ------------------------------------------------------------------------------
    def licence_types(self) -> list[str]:
        """The e-licence types the materials and the form could use, in order."""
        from kiosk.forms.prefill import licence_types_for
        types: dict[str, None] = {}
        for m in self.matter.materials if self.matter else []:
            if m.e_certificate and m.licence in LICENCE_TYPES:
                types.setdefault(m.licence)
        for t in licence_types_for(self.form_labels()):
            types.setdefault(t)
        return list(types)

    def licence_offer(self) -> list[str]:
        """What the citizen is asked to agree to: the names of the papers an e-licence could replace
        (and the others the form would be filled from); empty when nothing can be fetched."""
        identity = self.terminal.session.identity
        if identity is None or identity.is_enterprise:
            return []
        return [LICENCE_TYPES[t] for t in self.licence_types()]

    def use_licences(self, agreed: bool) -> None:
        """The citizen's answer; with consent the e-licences are fetched now (blocking)."""
        from kiosk import documents
        state = self.state
        state.consent = "yes" if agreed else "no"
        state.licences, state.licences_missing, state.licence_message = [], [], ""
        state.licences_loaded = not agreed
        if not agreed:
            return
        theme = self.theme
        try:
            found, missing = documents.fetch_licences(self.terminal, self.licence_types(),
                                                      [m.code for m in self.matters()], theme.id if theme else "")
        except documents.DocumentError as exc:
            found, missing = [], []
            state.licence_message = OFFLINE_WORDS if exc.code == "offline" else exc.message
        state.licences, state.licences_missing, state.licences_loaded = found, missing, True
        for licence in found:      # names, numbers and addresses that fill the form: masked in every log line
            self.terminal.session.remember_personal(*[str(v) for k, v in licence["fields"].items()
                                                      if v and k in PERSONAL_KEYS])

    def fetched(self) -> dict[str, dict[str, Any]]:
        """The fetched e-licences by type."""
        return {lic["type"]: lic for lic in self.state.licences}

    def check_materials(self) -> str:
        if self.licence_offer() and not self.state.consent:
            return "请先选一下：用电子证照，还是带纸质材料。"
        if self.state.consent == "yes" and not self.state.licences_loaded:
            return "正在调取您的电子证照，请稍候……"
        return ""

    def licences_payload(self) -> dict[str, Any]:
        """What the submission says of the subject and of the e-licences used (ids, no data)."""
        out: dict[str, Any] = {"matters": [{"code": m.code, "name": m.name} for m in self.matters()],
                               "licences": [{"type": lic["type"], "id": lic["id"]} for lic in self.state.licences],
                               "licence_consent": self.state.consent == "yes"}
        theme = self.theme
        if theme is not None:
            out["theme"] = {"id": theme.id, "name": theme.name}
        return out
