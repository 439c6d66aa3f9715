"""证明打印: an identified citizen chooses a certificate, sees every page, and prints it on A4.

Steps: choose → preview → printing. The platform issues each certificate as a PDF with a document
number and a verification code (kiosk/documents.py); the PDF stays in the session while the citizen
looks at it and in data_dir/print/ only while its job runs (kiosk/printing.py). `load()` and
`choose()` ask the platform: a front end calls them off the UI thread.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk import documents
from kiosk.flows.base import Flow, FlowState, Step
from kiosk import wording as W

PRINT_WORDS = {"waiting": "正在准备打印，请稍等……", "printing": "正在打印，请稍等……",
               "done": "打印好了，请从下面的出纸口取走。"}


@dataclass
class CertificatesState(FlowState):
    documents: list = field(default_factory=list)   # [{type, title, issuer}] the platform offers
    loaded: bool = False
    message: str = ""                               # the platform's trouble, in plain words
    chosen: str = ""
    document: Any = None                            # kiosk.documents.Document (the PDF, in memory)
    previews: list = field(default_factory=list)    # PIL images of its pages
    page: int = 0
    job: Any = None                                 # kiosk.printing.PrintJob

    def clear(self) -> None:
        if self.document is not None:
            self.document.wipe()
        super().clear()


class PrintingFlow(Flow):
    """What 证明打印 and 一码亮证 share: a document in memory, its preview, one print job."""

    kind = ""                  # nothing is submitted: the citizen takes paper home
    finish_words = W.PRINT

    def print_document(self) -> None:
        """Send the document to the A4 printer and show the printing step."""
        doc = self.state.document
        if doc is None:
            return
        self.state.job = self.terminal.printing.print_document(doc.pdf, doc.number, doc.pages)
        self.go_to("printing")

    def next(self) -> bool:
        """The step before "printing" goes on by printing (no front end reaches it any other way)."""
        steps = [s.key for s in self.steps()]
        if self.index + 1 < len(steps) and steps[self.index + 1] == "printing":
            if self.problem():
                return False
            self.print_document()
            return True
        return super().next()

    def submit(self) -> str:
        """The last step's button prints (there is nothing to submit); returns the document number."""
        self.print_document()
        return self.state.document.number if self.state.document is not None else ""

    def print_status(self) -> tuple[str, str]:
        """(state, plain words) of the print job: waiting | printing | done | failed | canceled."""
        job = self.state.job
        if job is None:
            return "none", ""
        return job.state, PRINT_WORDS.get(job.state, job.message)

    def receipt_matter(self) -> str:
        return self.title


class CertificatesFlow(PrintingFlow):
    """证明打印: choose → preview → printing."""

    name = "certificates"
    title = "证明打印"
    State = CertificatesState

    def steps(self) -> list[Step]:
        return [Step("choose", "您要打印哪份证明", "点一下要打印的证明，机器先给您看一看。"),
                Step("preview", "看一看，没问题就打印", "每一页都在这里；没问题就点「打印」。"),
                Step("printing", "打印", "纸会从下面的出纸口出来。")]

    def load(self) -> None:
        """Ask the platform which certificates it can issue for this citizen (blocking)."""
        try:
            self.state.documents = documents.available(self.terminal)
            self.state.message = ""
        except documents.DocumentError as exc:
            self.state.documents, self.state.message = [], exc.message
        self.state.loaded = True

    def choices(self) -> list[tuple[str, str]]:
        return [(d["type"], d["title"]) for d in self.state.documents]

    def choose(self, kind: str, preview_width: int = 900) -> bool:
        """Have the platform issue `kind` and render its pages (blocking); True when it can be shown."""
        title = dict(self.choices()).get(kind)
        if title is None:
            return False
        self.state.chosen = kind
        try:
            doc = documents.issue(self.terminal, kind, title)
        except documents.DocumentError as exc:
            self.state.message = exc.message
            return False
        from kiosk.printing import preview_pages
        if self.state.document is not None:
            self.state.document.wipe()
        self.state.document, self.state.previews = doc, preview_pages(doc.pdf, preview_width)
        self.state.page, self.state.message = 0, ""
        self.go_to("preview")
        return True

    def check_choose(self) -> str:
        if self.state.document is None:
            return self.state.message or "请点一下要打印的证明。"
        return ""

    def turn(self, delta: int) -> None:
        """Show the previous (-1) or next (+1) page of the preview."""
        self.state.page = max(0, min(len(self.state.previews) - 1, self.state.page + delta))
