"""呼叫帮办: one tap calls a member of staff; the reason helps them bring the right thing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.flows.base import Flow, FlowState, Step

REASONS: tuple[tuple[str, str], ...] = (
    ("operate", "不会用这台机器"),
    ("materials", "不知道要带什么材料"),
    ("mobility", "身体不方便，需要人陪"),
    ("other", "别的问题，想当面问"),
)


@dataclass
class HelpState(FlowState):
    reason: str = ""
    came_from: str = ""      # the screen the citizen was on (helps staff see where they got stuck)


class HelpFlow(Flow):
    """One step: why help is needed; tapping a reason sends the call."""

    name = "help"
    title = "呼叫帮办"
    kind = "help_request"
    State = HelpState

    def begin(self, came_from: str = "", **_start) -> None:
        self.state.came_from = came_from

    def steps(self) -> list[Step]:
        return [Step("reason", "请工作人员来帮您", "点一下您需要什么帮助，工作人员会马上知道。")]

    def check_reason(self) -> str:
        return "" if self.state.reason in dict(REASONS) else "请点一下您需要什么帮助。"

    def call(self, reason: str) -> str:
        """Send the call for help at once; returns the local number."""
        self.state.reason = reason
        return self.submit()

    def payload(self) -> dict[str, Any]:
        return {"reason": self.state.reason, "terminal_id": self.setting("terminal", "id"),
                "terminal_name": self.setting("terminal", "name"), "screen": self.state.came_from,
                "elderly_mode": bool(self.terminal.session.elderly)}

    def receipt_note(self) -> str:
        if self.setting("terminal", "level") in ("city", "county"):
            return "工作人员已经收到，马上过来，请在机器旁稍等。"
        return f"工作人员收到后会尽快过来；着急的话请拨打 {self.setting('terminal', 'help_phone')}。"
