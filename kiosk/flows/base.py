"""A citizen service as a state machine, without a display.

A `Flow` walks through named steps. Its fields live in the session (`Session.form(name, State)`), so a
wipe empties them wherever they are shown; the flow object itself holds only where the citizen is.
Each step may say why the citizen cannot go on yet (`problem()`, plain words); the last step submits
through the terminal core. Front ends show `flow.step` and forward taps to the flow's methods; a unit
test drives the same methods from the first step to the receipt.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from kiosk.flows.common import phone_problem
from kiosk import wording as W


@dataclass(frozen=True)
class Step:
    """One step: its key (what a front end builds), its question and one line of what to do."""
    key: str
    title: str
    hint: str = ""


class FlowState:
    """Base of every flow's fields: a dataclass whose `clear()` puts every field back to its default."""

    def clear(self) -> None:
        """Forget everything (the session calls this on a wipe)."""
        fresh = type(self)()
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, (list, dict, set)):
                value.clear()     # a screen that still holds the list sees it empty
            setattr(self, f.name, getattr(fresh, f.name))


class FlowError(Exception):
    """The flow cannot do what was asked; `message` is for the citizen."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Flow:
    """Subclasses set `name`, `title`, `State`, the submission `kind`, and define `steps()`,
    `check_<step>()` where a step can be incomplete, `payload()` and `receipt_note()`."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    kind: ClassVar[str] = ""                # submission kind (common/kinds.py); "" when nothing is submitted
    choice_fields: ClassVar[tuple[str, ...]] = ()   # the state's fields a big button sets (`choose`)
    finish_words: ClassVar[str] = W.SUBMIT
    State: ClassVar[type] = FlowState
    # the step whose answer decides which steps follow: "共n步" is said only past it, so the total a
    # citizen reads never changes within the flow ("共4步" must not become "共5步")
    branch_step: ClassVar[str] = ""

    def __init__(self, terminal, state) -> None:
        self.terminal = terminal
        self.state = state
        self.index = 0

    @classmethod
    def open(cls, terminal, **start: Any) -> "Flow":
        """A fresh flow in the terminal's session, at its first step."""
        flow = cls(terminal, terminal.session.form(cls.name, cls.State, fresh=True))
        flow.begin(**start)
        return flow

    def begin(self, **start: Any) -> None:
        """Take the arguments the flow was opened with (e.g. the matter of a guide)."""

    # -- where the citizen is ---------------------------------------------------------------
    def steps(self) -> list[Step]:
        raise NotImplementedError

    @property
    def step(self) -> Step:
        steps = self.steps()
        self.index = max(0, min(self.index, len(steps) - 1))
        return steps[self.index]

    @property
    def total(self) -> int:
        return len(self.steps())

    @property
    def total_known(self) -> bool:
        """Whether the number of steps is settled (past `branch_step`, or no branching at all)."""
        if not self.branch_step:
            return True
        keys = [s.key for s in self.steps()]
        return self.branch_step not in keys or self.index > keys.index(self.branch_step)

    @property
    def is_last(self) -> bool:
        return self.index >= self.total - 1

    def go_to(self, key: str) -> None:
        """Show step `key` (a front end's 改一下 / a tour state)."""
        keys = [s.key for s in self.steps()]
        if key not in keys:
            raise FlowError(f"no step {key}")
        self.index = keys.index(key)

    # -- what the citizen gives -----------------------------------------------------------------
    def choose(self, field: str, value: str) -> None:
        """A big button was tapped: `field` (one of `choice_fields`) of the flow's state takes `value`."""
        if field not in self.choice_fields:
            raise ValueError(field)
        setattr(self.state, field, value)

    def set_phone(self, phone: str) -> None:
        """The phone as typed so far; once it is a whole mobile number no log line shows it either."""
        self.state.phone = phone
        if phone and not phone_problem(phone):
            self.terminal.session.remember_personal(phone)

    # -- moving on --------------------------------------------------------------------------
    def problem(self) -> str:
        """Why the citizen cannot go on from this step, in plain words; "" when they can."""
        check = getattr(self, f"check_{self.step.key}", None)
        return check() if check is not None else ""

    @property
    def can_next(self) -> bool:
        return not self.problem()

    def next(self) -> bool:
        """Go to the next step; False (and nothing changes) while `problem()` says why not."""
        if self.problem() or self.is_last:
            return False
        self.index += 1
        return True

    def back(self) -> bool:
        """One step back; False on the first step (the front end leaves the flow)."""
        if self.index == 0:
            return False
        self.index -= 1
        return True

    # -- submitting -------------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def receipt_note(self) -> str:
        """What happens next, for the receipt."""
        return ""

    def receipt_matter(self) -> str:
        """What the printed receipt names as the matter (never personal): the flow's title by default."""
        return self.title

    def attachments(self) -> list[tuple[str, str, bytes]]:
        """Files sent with the submission: (name, content_type, bytes), sealed in the outbox with it."""
        return []

    def submit(self) -> str:
        """Validate every step, store the submission durably, return its local number; then start
        afresh, so that what was sent is neither kept on the terminal nor sent twice.

        Raises FlowError (a step is incomplete) or kiosk.submit.SubmitError (not stored)."""
        for index, step in enumerate(self.steps()):
            check = getattr(self, f"check_{step.key}", None)
            problem = check() if check is not None else ""
            if problem:
                self.index = index
                raise FlowError(problem)
        local_id = self.terminal.submit(self.kind, self.payload(), attachments=self.attachments(),
                                        note=self.receipt_note())
        self.restart()
        return local_id

    def restart(self) -> None:
        """Back to the first step with every field empty (after a submission)."""
        self.state.clear()
        self.index = 0

    # -- shared helpers ---------------------------------------------------------------------
    @property
    def settings(self):
        return self.terminal.settings

    def setting(self, section: str, key: str) -> str:
        return self.terminal.settings.get(section, key)
