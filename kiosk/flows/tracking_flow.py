"""办件查询 as a flow: (this visit's receipts) → a number on the keypad or the scanner → (the 查询码 of
another terminal's number) → the answer.

The question itself blocks on the network: front ends run `ask()` … `lookup()` … `answer()` with the
lookup off their UI thread (`query()` does all three, for tests and the command line). The rules —
number formats, plain words, the platform's answer, the 查询码 — are in kiosk/flows/tracking.py.
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


def lookup(terminal, kind: str, number: str, check: str = "") -> TrackingResult:
    """This terminal's outbox first, then the platform through the terminal's one client. Never raises."""
    try:
        with terminal.platform_lock:
            return rules.query(terminal.outbox, terminal.platform, kind, number, check)
    except Exception as exc:   # a damaged outbox or a client bug must still give an answer
        log.error("tracking query failed: %s", type(exc).__name__)   # never the number
        return TrackingResult(rules.ERROR, number, local_id=number if kind == "local" else "")


@dataclass
class TrackingState(FlowState):
    digits: str = ""                 # the number as typed on the keypad
    check_digits: str = ""           # the 查询码 as typed
    check_for: str = ""              # the 办件编号 whose 查询码 is asked for
    question: tuple = ()             # (kind, number, check) of the question on its way
    result: Any = None               # the last TrackingResult
    asked: int = 0                   # questions asked; an older answer (or one after a wipe) is dropped
    error: str = ""                  # plain words for the last tap that could not be answered


class TrackingFlow(Flow):
    """办件查询: pick one of this visit's receipts, or type / scan a number; then the answer."""

    name = "tracking"
    title = "办件查询"
    finish_words = "查询"
    State = TrackingState

    def receipts(self) -> list[dict]:
        """This visit's receipts, newest first."""
        return list(reversed([r for r in self.terminal.session.receipts if r.get("local_id")]))

    def steps(self) -> list[Step]:
        steps = [Step("pick", "查哪一件？", "您这次在这台机器上提交过的，点一下就能查。")] if self.receipts() else []
        steps.append(Step("input", "请输入办件编号或回执号",
                          "办件编号是20位数字，横线会自动加上；回执号前面的字母不用按，只按后面的数字。"))
        if self.state.check_for:
            steps.append(Step("check", "请输入查询码", f"办件编号 {self.state.check_for}\n"
                              "查询码是回执上办件编号旁边的4位数字，保护您的办件不被别人查看。"))
        return steps + [Step("loading", "正在查询，请稍等……", "网络慢的时候要等一会儿。"), Step("result", "查询结果")]

    def begin(self, **_start) -> None:
        self.go_to("pick" if self.receipts() else "input")

    # -- what the citizen types -------------------------------------------------------------------
    def set_digits(self, digits: str) -> None:
        self.state.digits = digits
        self.state.error = ""

    def set_check(self, digits: str) -> None:
        self.state.check_digits = digits
        self.state.error = ""

    def typed_number(self) -> None:
        """查询 on the number step: ask about what is on the keypad."""
        self.number(self.state.digits)

    def typed_check(self) -> None:
        """查询 on the 查询码 step."""
        check = rules.parse_check(self.state.check_digits)
        if not check:
            self.state.error = rules.messages()[rules.CHECK_INCOMPLETE]
            return
        self.number(self.state.check_for, check)

    def scanned(self, text: str) -> None:
        """A receipt's QR code (number, and the 查询码 on newer receipts) came from the scanner."""
        kind, number, check = rules.scan_with_check(text, letters(self.terminal))
        if kind == "incomplete":
            self.state.error = "这个二维码不是回执上的号码。请扫回执上的二维码，或者在下面按号码。"
            self.go_to("input")
            return
        self.number(number, check)

    def number(self, text: str, check: str = "") -> None:
        """Get a question ready (the front end then runs `lookup` off its UI thread); a number of the
        wrong length is answered at once in plain words."""
        kind, number = rules.parse_number(text, letters(self.terminal))
        if kind == "incomplete":
            self.state.error = rules.messages()[rules.INCOMPLETE]
            self.go_to("input")
            return
        self.state.error = ""
        self.state.question = (kind, number, check)
        self.state.asked += 1
        self.go_to("loading")

    # -- the answer ------------------------------------------------------------------------------
    @property
    def waiting(self) -> bool:
        return self.step.key == "loading"

    def pending_question(self) -> tuple[int, tuple]:
        """(question number, (kind, number, check)) of the question on its way."""
        return self.state.asked, self.state.question

    def answer(self, question: int, result: TrackingResult) -> bool:
        """The answer to question `question` arrived; False when it is stale (a newer one, or a wipe)."""
        if question != self.state.asked or not self.state.question:
            return False
        self.state.question = ()
        if result.outcome == rules.NEED_CHECK:
            self.state.check_for, self.state.check_digits = result.number, ""
            self.go_to("check")
            return True
        self.state.result = result
        self.go_to("result")
        return True

    def query(self, text: str, check: str = "") -> TrackingResult:
        """Ask and wait (blocking): the whole question, for tests and the command line."""
        self.number(text, check)
        if not self.waiting:
            return TrackingResult(rules.INCOMPLETE, "")
        question, (kind, number, code) = self.pending_question()
        result = lookup(self.terminal, kind, number, code)
        self.answer(question, result)
        return self.state.result if result.outcome != rules.NEED_CHECK else result

    # -- going back ------------------------------------------------------------------------------
    def back_to_number(self) -> None:
        """From the 查询码 step back to the number, which is still on the keypad."""
        self.state.digits = self.state.check_for.replace("-", "")
        self.state.check_for = self.state.check_digits = self.state.error = ""
        self.go_to("input")

    def again(self) -> None:
        """再查一个: an empty keypad — or, after a miss with a 查询码, the number back to fix one digit."""
        result, check_for = self.state.result, self.state.check_for
        self.state.result, self.state.error = None, ""
        self.state.check_for = self.state.check_digits = ""
        missed_with_code = result is not None and not result.found and check_for and result.number == check_for
        self.state.digits = check_for.replace("-", "") if missed_with_code else ""
        self.go_to("input")

    def back(self) -> bool:
        key = self.step.key
        if key == "check":
            self.back_to_number()
            return True
        if key == "input" and self.receipts():
            self.go_to("pick")
            return True
        if key in ("loading", "result"):
            self.again()
            return True
        return False
