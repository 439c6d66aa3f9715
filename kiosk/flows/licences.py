"""一码亮证: after a card or 居民码, the citizen's e-licences one at a time, large, and a printed copy
marked for use in government business only (仅限政务服务使用).

Steps: show → printing. `load()` and `print_copy()` ask the platform: call them off the UI thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk import documents
from kiosk.flows.base import Step
from kiosk.flows.certificates import PrintingFlow
from kiosk.flows.base import FlowState


@dataclass
class LicencesState(FlowState):
    licences: list = field(default_factory=list)    # [{id, title, issuer, number_masked, valid_to, fields}]
    loaded: bool = False
    message: str = ""
    index: int = 0
    document: Any = None                            # the copy being printed (kiosk.documents.Document)
    job: Any = None

    def clear(self) -> None:
        if self.document is not None:
            self.document.wipe()
        super().clear()


class LicencesFlow(PrintingFlow):
    """一码亮证: show (one licence, large) → printing."""

    name = "licences"
    title = "一码亮证"
    finish_words = "打印复印件"
    State = LicencesState

    def steps(self) -> list[Step]:
        return [Step("show", "您的电子证照", "点「下一个」看下一本；要纸质复印件就点「打印复印件」。"),
                Step("printing", "打印复印件", "复印件上印着「仅限政务服务使用」。")]

    def load(self) -> None:
        """Ask the platform for the e-licences linked to this citizen (blocking)."""
        try:
            self.state.licences = documents.licences(self.terminal)
            self.state.message = "" if self.state.licences else "平台上还没有您的电子证照。"
        except documents.DocumentError as exc:
            self.state.licences, self.state.message = [], exc.message
        self.state.loaded, self.state.index = True, 0

    @property
    def current(self) -> dict | None:
        """The licence shown now."""
        items = self.state.licences
        return items[self.state.index] if items else None

    def turn(self, delta: int) -> None:
        """The previous (-1) or next (+1) licence."""
        if self.state.licences:
            self.state.index = (self.state.index + delta) % len(self.state.licences)

    def check_show(self) -> str:
        if self.current is None:
            return self.state.message or "正在查找您的电子证照……"
        return ""

    def print_copy(self) -> bool:
        """Have the platform make the marked copy of the licence shown and print it (blocking)."""
        licence = self.current
        if licence is None:
            return False
        try:
            doc = documents.licence_copy(self.terminal, licence)
        except documents.DocumentError as exc:
            self.state.message = exc.message
            return False
        if self.state.document is not None:
            self.state.document.wipe()
        self.state.document = doc
        self.print_document()
        return True
