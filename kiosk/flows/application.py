"""我要办: material pre-review and the application payload for a matter submitted at the terminal.

Pre-review ("材料预审") tells the citizen before submitting what the terminal already has (an
electronic certificate replaces the paper: 电子证照), what they must still bring or send, and what
is optional — so that "一审就通过、一次就办好" is more than a slogan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.flows.base import Flow, FlowState, Step
from kiosk.flows.paperwork import Paperwork
from kiosk.flows.subject import THEME_PREFIX, Subject
from kiosk.flows.common import mask_phone, phone_problem
from kiosk import wording as W

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


def prereview(matter, fetched: dict[str, dict] | None = None, missing=()) -> list[MaterialCheck]:
    """What happens with each material of `matter` when applying here: `fetched` are the e-licences the
    citizen agreed to use, by type (kiosk/flows/subject.py); `missing` the types the platform has none of."""
    fetched = fetched or {}
    out = []
    for m in matter.materials:
        licence = fetched.get(m.licence) if m.e_certificate and m.licence else None
        if licence is not None:
            out.append(MaterialCheck(m.id, m.name, E_CERT, f"已用您的电子证照（{licence['title']}），不用带纸质的"))
        elif m.e_certificate and m.licence in missing and m.required:
            out.append(MaterialCheck(m.id, m.name, BRING, f"平台上没有您的这份电子证照，请准备{m.form_text}"))
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
                        terminal_id: str, level: str, licence_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """The `payload` of an "application" submission (platform-api.md); `licence_ids`: material id ->
    the e-licence that replaced it."""
    licence_ids = licence_ids or {}
    return {
        "matter_code": "" if matter.code.startswith("theme:") else matter.code,
        "matter_name": matter.name,
        "phone": phone,
        "delivery": delivery,
        "materials": [{"id": c.material_id, "status": c.status,
                       **({"licence_id": licence_ids[c.material_id]} if c.material_id in licence_ids else {})}
                      for c in checks],
        "needs_visit": needs_visit(checks),
        "terminal": {"id": terminal_id, "level": level},
    }


def time_words(matter) -> str:
    """How long an application sent from the terminal takes. A matter done on the spot at the window
    (即办) is still read by the department first: "当场办好" would promise what the terminal cannot."""
    limit = matter.time_limit
    if limit is None:
        return "以窗口告知为准"
    if limit.promised_days == 0:
        return "部门收到申请后当天办好"
    return limit.text


def receipt_note(matter, phone_masked: str, checks: list[MaterialCheck]) -> str:
    """What happens next, in one or two plain sentences."""
    when = time_words(matter)
    note = f"{when}。办理进度会发短信到 {phone_masked}。"
    if needs_visit(checks):
        note += "收到短信后，请带上要核对的材料原件到窗口。"
    return note


# -- the 我要办 flow ---------------------------------------------------------------------------------


@dataclass
class ApplicationState(FlowState):
    matter_code: str = ""        # a matter's code, or theme:<id> for a 一件事 theme
    phone: str = ""
    delivery: str = ""
    with_choice: bool = True     # the matter is chosen here (not carried over from its guide)
    reviews: dict = field(default_factory=dict)        # capture target -> {"quality", "checks", "page", "material"}
    capture_index: int = 0
    consent: str = ""                                  # e-licences: "" not asked | yes | no
    licences: list = field(default_factory=list)       # e-licences fetched with consent ({"type", "fields": {...}})
    licences_missing: list = field(default_factory=list)
    licences_loaded: bool = False
    licence_message: str = ""
    form_values: dict = field(default_factory=dict)    # label -> what the citizen wrote over the pre-filled value
    form_changed: list = field(default_factory=list)
    signature: Any = None                              # kiosk.forms.signature.Signature


class ApplicationFlow(Subject, Paperwork, Flow):
    """我要办: (choose a matter or a 一件事 theme) → check identity → phone → materials (e-licences with
    consent) → 拍材料 → 核对申请表 → 签名 → delivery → confirm (kiosk/flows/subject.py: the theme and the
    e-licences; kiosk/flows/paperwork.py: the three paperwork steps)."""

    name = "apply"
    title = "我要办"
    kind = "application"
    finish_words = W.SUBMIT
    State = ApplicationState

    def begin(self, matter: str = "", theme: str = "", **_start) -> None:
        self.state.matter_code = (THEME_PREFIX + theme) if theme else (matter or "")
        self.state.with_choice = not self.state.matter_code

    def steps(self) -> list[Step]:
        steps = [Step("choose", "选一件事", "这些事可以在这台机器上直接申请。点一下您要办的事。")] \
            if self.state.with_choice else []
        return steps + [Step("identity", "核对身份"), Step("phone", "留个手机号", "办好了会发短信告诉您。请输入11位手机号。"),
                        Step("materials", "看看材料", "机器已经帮您预先核对了一遍："),
                        Step("capture", "拍材料", "把材料放在灯下，机器会自己拍。"),
                        Step("form", "核对申请表", "表已经帮您填好了。看一看，不对的点一下改。"),
                        Step("sign", "签名", "请用手指在框里写上您的名字。"),
                        Step("delivery", "怎么拿结果", "结果办好后，您想怎么拿？"), Step("confirm", "看一遍，没问题就提交")]

    # -- data -----------------------------------------------------------------------------------
    def receipt_matter(self) -> str:
        matter = self.matter
        return matter.name if matter is not None else self.title

    def submittable(self) -> list:
        """The matters that can be applied for at the terminal, most asked-for first."""
        return sorted((m for m in self.terminal.library.pack.matters if m.submit_at_terminal),
                      key=lambda m: -m.popularity)

    def choices(self) -> list[tuple[str, str]]:
        """(key, words) of the choose step: the 一件事 themes (one form for all) first, then the matters
        (a long official name with its plain line under it, "简单说：…", as in the guides)."""
        return ([(THEME_PREFIX + t.id, f"{t.name}（{len(t.matters)}件事一起办）") for t in self.themes()]
                + [(m.code, f"{m.name}\n{m.plain_line}" if m.plain_line else m.name) for m in self.submittable()])

    def choose_matter(self, code: str) -> None:
        """A matter (or theme:<id>) was tapped: it is the one (and the flow goes on to the identity check)."""
        if code != self.state.matter_code:
            self.state.consent, self.state.licences_loaded = "", False
            self.state.licences.clear()
            self.state.licences_missing.clear()
        self.state.matter_code = code
        if self.step.key == "choose":
            self.next()

    def checks(self) -> list[MaterialCheck]:
        return prereview(self.matter, self.fetched(), self.state.licences_missing)

    def delivery_options(self) -> list[tuple[str, str]]:
        options = delivery_options(self.matter)
        if self.state.delivery not in dict(options):
            self.state.delivery = options[0][0]
        return options

    def choose_delivery(self, key: str) -> None:
        if key in dict(self.delivery_options()):
            self.state.delivery = key

    # -- checks ---------------------------------------------------------------------------------
    def check_choose(self) -> str:
        return "" if self.matter is not None else "请先点一下您要办的事。"

    def check_identity(self) -> str:
        if self.matter is None:
            return "请先点一下您要办的事。"
        return "" if self.terminal.session.identified else "请先刷身份证或出示居民码，这样材料可以自动调取。"

    def check_phone(self) -> str:
        return phone_problem(self.state.phone)

    # -- submitting -----------------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        self.delivery_options()
        fetched = self.fetched()
        licence_ids = {m.id: fetched[m.licence]["id"] for m in self.matter.materials
                       if m.e_certificate and m.licence in fetched}
        payload = application_payload(self.matter, self.state.phone, self.state.delivery, self.checks(),
                                      self.setting("terminal", "id"), self.setting("terminal", "level"), licence_ids)
        payload.update(self.licences_payload())
        payload.update(self.paperwork_payload())
        return payload

    def restart(self) -> None:
        """After a submission: the pages are sealed in the outbox; forget them here, then start afresh."""
        self.forget_pages()
        super().restart()

    def receipt_note(self) -> str:
        return receipt_note(self.matter, mask_phone(self.state.phone), self.checks())
