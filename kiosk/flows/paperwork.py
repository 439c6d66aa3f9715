"""我要办's paperwork steps, without a display: 拍材料 (capture + automatic pre-review), 核对申请表
(the pre-filled form) and 签名 (the signature), mixed into ApplicationFlow.

Pages and the signature are Session attachments ({"name", "content_type", "data"}) until the
submission seals them in the outbox (uploaded with PUT /api/v1/attachments/{sha256} before the
submission, purged after delivery); a wipe forgets them. The review runs off the caller's thread
(`review_page_async`); its result is kept as check names and yes/no only, and the terminal's event
stream says "page_reviewed" with no personal data. The machine never refuses: staff decide.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from kiosk.forms.prefill import FormField, PrefilledForm, prefill
from kiosk.forms.signature import CONTENT_TYPE as PNG, Signature

log = logging.getLogger(__name__)

SIGNATURE_NAME = "申请人签名.png"


@dataclass(frozen=True)
class CaptureTarget:
    """One page to photograph: the material, which side, the review kind and the guide's sample."""
    material_id: str
    name: str
    side: str                 # "" | 正面 | 反面
    kind: str                 # kiosk/review/kinds.py
    required: tuple[str, ...]
    sample: str               # path inside the pack ("" when none)
    annotations: tuple        # the sample's numbered points (kiosk.guides.model.Annotation)
    instruction: str          # one sentence: what to do

    @property
    def key(self) -> str:
        return f"{self.material_id}{self.side}"


def _instruction(name: str, side: str) -> str:
    if side:
        return f"把{name}{side}朝上放在灯下。"
    return f"把{name}平放在灯下，字朝上。"


class Paperwork:
    """The capture, form and signature parts of a flow whose state has `reviews`, `capture_index`,
    `form_values`, `form_changed` and `signature` (ApplicationState); the flow supplies `form_labels()`
    and `form_title()` (kiosk/flows/subject.py)."""

    # -- 拍材料 ------------------------------------------------------------------------------
    def capture_targets(self) -> list[CaptureTarget]:
        """The pages of the materials the citizen brings (not fetched as e-certificates), in order."""
        from kiosk.flows.application import E_CERT
        fetched = {c.material_id for c in self.checks() if c.status == E_CERT}
        out = []
        for m in self.matter.materials if self.matter else []:
            if m.id in fetched:
                continue
            kind = m.review.kind if m.review else "generic"
            required = tuple(m.review.required) if m.review else ()
            sides = ("正面", "反面") if kind == "id_card_front" else ("",)
            for side in sides:
                side_kind = "id_card_back" if side == "反面" else kind
                out.append(CaptureTarget(m.id, m.name, side, side_kind, required, m.sample,
                                         tuple(m.annotations) if side != "反面" else (), _instruction(m.name, side)))
        return out

    @property
    def capture_target(self) -> CaptureTarget | None:
        """The page the capture step asks for now (None when every page is done or skipped)."""
        targets = self.capture_targets()
        i = self.state.capture_index
        return targets[i] if 0 <= i < len(targets) else None

    def skip_page(self) -> None:
        """不拍了: this page is shown at the window instead."""
        self.state.capture_index += 1

    def review_page(self, image, target: CaptureTarget | None = None) -> dict[str, Any]:
        """Keep the taken page as an attachment and pre-review it (OCR: seconds; call off the UI thread).
        Returns {"quality": [codes], "checks": [{"check", "ok", "detail"}]} and remembers it."""
        from kiosk.review.attachments import page_attachment
        from kiosk.review.prereview import prereview
        target = target or self.capture_target
        if target is None:
            raise ValueError("no page is asked for")
        identity = self.terminal.session.identity
        result = prereview(image, target.kind, name=identity.name if identity else None,
                           id_number=identity.number if identity else None, required=list(target.required))
        attachment = page_attachment(target.name, image, target.side)
        session = self.terminal.session
        with session._lock:
            session.attachments[:] = [a for a in session.attachments if a.get("name") != attachment["name"]]
            session.attachments.append(attachment)
        review = {"quality": list(result.quality), "checks": [c.as_dict() for c in result.checks],
                  "page": attachment["name"], "material": target.material_id}
        self.state.reviews[target.key] = review
        return review

    def review_page_async(self, image, target: CaptureTarget | None = None) -> threading.Thread:
        """`review_page` on a worker thread; "page_reviewed" {"target", "ok"} on the terminal's events."""
        target = target or self.capture_target

        def work() -> None:
            try:
                review = self.review_page(image, target)
                ok = not review["quality"] and all(c["ok"] for c in review["checks"])
                self.terminal.events.emit("page_reviewed", {"target": target.key, "ok": ok})
            except Exception as exc:  # the page, its text and the error's words may be personal
                log.error("pre-review failed: %s", type(exc).__name__)
                self.terminal.events.emit("page_reviewed", {"target": target.key if target else "", "ok": False,
                                                            "failed": True})
        thread = threading.Thread(target=work, name="prereview", daemon=True)
        thread.start()
        return thread

    def review_of(self, target: CaptureTarget) -> dict[str, Any] | None:
        """The remembered review of a page (None before it was taken)."""
        return self.state.reviews.get(target.key)

    def point_results(self, target: CaptureTarget) -> list[tuple[Any, bool | None]]:
        """Each numbered point of the sample with its result: True green, False red, None not checked."""
        review = self.review_of(target)
        results = {c["check"]: c["ok"] for c in review["checks"]} if review else {}
        return [(a, results.get(a.check) if a.check else None) for a in target.annotations]

    def accept_page(self) -> None:
        """就用这张: go on to the next page (a retake simply takes the page again)."""
        self.state.capture_index += 1

    def check_capture(self) -> str:
        return ""      # nothing is refused by the machine: what is not photographed is shown at the window

    # -- 核对申请表 ---------------------------------------------------------------------------
    def form(self) -> PrefilledForm:
        """The application form, filled from the identity, the flow and the citizen's changes."""
        fields = prefill(self.form_labels(), identity=self.terminal.session.identity,
                         licences=self.state.licences, values={"phone": self.state.phone})
        for f in fields:
            if f.label in self.state.form_values:
                f.value, f.changed = self.state.form_values[f.label], f.label in self.state.form_changed
        return PrefilledForm(self.form_title(), fields)

    def change_field(self, label: str, value: str) -> None:
        """The citizen corrects one line of the form."""
        value = value.strip()
        self.state.form_values[label] = value
        if label not in self.state.form_changed:
            self.state.form_changed.append(label)
        if value:
            self.terminal.session.remember_personal(value)

    def check_form(self) -> str:
        missing = self.form().missing()
        return f"还有没填的：{'、'.join(missing)}。点一下就能填。" if missing else ""

    # -- 签名 --------------------------------------------------------------------------------
    def signature(self, size: tuple[float, float] = (800, 300)) -> Signature:
        """The signature being written (one per flow; the pad adds strokes to it)."""
        if self.state.signature is None:
            self.state.signature = Signature(size)
        return self.state.signature

    def check_sign(self) -> str:
        sig = self.state.signature
        return "" if sig is not None and sig.signed else "请用手指在框里写上您的名字，写好点「确定」。"

    # -- submitting ------------------------------------------------------------------------
    def paperwork_payload(self) -> dict[str, Any]:
        """What the submission says about the pages, the form and the signature (no image bytes)."""
        return {"form": self.form().as_payload(),
                "prereview": [dict(r) for r in self.state.reviews.values()],
                "signed": bool(self.state.signature and self.state.signature.signed)}

    def attachments(self) -> list[tuple[str, str, bytes]]:
        """The captured pages and the signature, as terminal.submit takes them."""
        from kiosk.review.attachments import for_submit
        wanted = {r["page"] for r in self.state.reviews.values()}
        pages = [a for a in self.terminal.session.attachments if a.get("name") in wanted]
        out = for_submit(pages)
        if self.state.signature is not None and self.state.signature.signed:
            out.append((SIGNATURE_NAME, PNG, self.state.signature.png()))
        return out

    def forget_pages(self) -> None:
        """After the submission: the pages are sealed in the outbox, the session lets them go."""
        wanted = {r["page"] for r in self.state.reviews.values()}
        session = self.terminal.session
        with session._lock:
            kept = []
            for a in session.attachments:
                if a.get("name") in wanted:
                    a.clear()
                else:
                    kept.append(a)
            session.attachments[:] = kept


__all__ = ["Paperwork", "CaptureTarget", "FormField"]
