"""办件查询 as a flow: (this visit's receipts) → a number on the keypad or the scanner → the answer.

The question itself (`lookup`) blocks on the network: front ends call it off their UI thread. The
rules (number formats, plain words, the platform's answer) are in kiosk/flows/tracking.py.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kiosk.flows import tracking as rules
from kiosk.flows.base import Flow, FlowState, Step
from kiosk.flows.tracking import TrackingResult

log = logging.getLogger(__name__)


def letters(terminal) -> str:
    """The letters of this terminal's local receipt numbers (HZ), which the keypad cannot type."""
    outbox = terminal.outbox
    prefix = outbox.prefix if outbox is not None else "HZ"
    return "".join(ch for ch in prefix if ch.isalpha()) or "HZ"


def lookup(terminal, text: str, local_letters: str | None = None) -> TrackingResult:
    """Look up a typed or scanned number: this terminal's outbox first, then the platform. Never raises."""
    kind, number = rules.parse_number(text, local_letters or letters(terminal))
    if kind == "incomplete":
        return TrackingResult(rules.INCOMPLETE, "")
    local_id = ""
    try:
        if kind == "local":
            result, tracking_no = rules.lookup_local(terminal.outbox, number)
            if result is not None:
                return result
            local_id, number = number, tracking_no
        with terminal.platform_lock:
            result = rules.fetch(terminal.platform, number)
    except Exception as exc:   # a damaged outbox or a client bug must still give an answer
        log.error("tracking query failed: %s", type(exc).__name__)   # never the number
        return TrackingResult(rules.ERROR, number, local_id=local_id)
    result.local_id = local_id
    return result


@dataclass
class TrackingState(FlowState):
    digits: str = ""                 # what was typed on the keypad
    result: Any = None               # the last TrackingResult
    asked: int = 0                   # how many questions were asked (older answers are dropped)


class TrackingFlow(Flow):
    """办件查询: pick one of this visit's receipts, or type / scan a number; then the answer."""

    name = "tracking"
    title = "办件查询"
    State = TrackingState

    def receipts(self) -> list[dict]:
        """This visit's receipts, newest first."""
        return list(reversed([r for r in self.terminal.session.receipts if r.get("local_id")]))

    def steps(self) -> list[Step]:
        steps = [Step("pick", "查哪一件？", "您这次在这台机器上提交过的，点一下就能查。")] if self.receipts() else []
        return steps + [Step("input", "请输入办件编号或回执号"), Step("result", "查询结果")]

    def set_digits(self, digits: str) -> None:
        self.state.digits = digits

    def check_input(self) -> str:
        kind, _ = rules.parse_number(self.state.digits, letters(self.terminal))
        return rules.messages()[rules.INCOMPLETE] if kind == "incomplete" else ""

    def ask(self) -> int:
        """A new question is on its way; returns its number (answers to older ones are dropped)."""
        self.state.asked += 1
        return self.state.asked

    def answer(self, question: int, result: TrackingResult) -> bool:
        """The answer to question `question` arrived; False when it is stale (or the session was wiped)."""
        if question != self.state.asked:
            return False
        self.state.result = result
        self.go_to("result")
        return True

    def query(self, text: str) -> TrackingResult:
        """Ask and wait (blocking): the whole question, for tests and the command line."""
        question = self.ask()
        result = lookup(self.terminal, text)
        self.answer(question, result)
        return result
