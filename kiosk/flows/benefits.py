"""免申即享 "您可能可以享受": the matches of the identified citizen, why they match, one-tap confirm.

The matches are computed on the terminal (kiosk/benefits.py) from the identity and the facts the platform
holds, which `refresh()` asks for (blocking: a front end runs it off the UI thread) and the Session keeps.
A 免申 policy (`mode: confirm`) is claimed here with one confirm step: an "application" submission whose
payload names the policy (`benefit`); a policy that needs an application opens 我要办 with its matter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.benefits import SCRATCH_KEY, Match, fetch_facts, matches_for
from kiosk.flows.base import Flow, FlowState, Step


@dataclass
class BenefitsState(FlowState):
    policy_id: str = ""          # the match whose reasons are shown / that is being confirmed


class BenefitsFlow(Flow):
    """list → reasons (为什么我能享受) → confirm (确认领取, 免申 only)."""

    name = "benefits"
    title = "可以享受"
    kind = "application"
    finish_words = "确认领取"
    State = BenefitsState

    def steps(self) -> list[Step]:
        return [Step("list", "您可能可以享受", "按能领到的多少排好了。点一下看看为什么您能享受。"),
                Step("reasons", "为什么我能享受", "机器按您的证件和平台上的信息核对了这些条件："),
                Step("confirm", "确认领取", "确认以后，工作人员审核通过就会按时发放，不用再跑。")]

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> str:
        """Ask the platform for the facts the pack's rules need (blocking); "ok" or "offline"."""
        return fetch_facts(self.terminal)["status"]

    @property
    def asked(self) -> bool:
        """Whether the platform was asked in this visit (the session keeps the answer)."""
        return SCRATCH_KEY in self.terminal.session.scratch

    def matches(self) -> list[Match]:
        """What the citizen may enjoy, biggest benefit first; [] when nobody is identified."""
        return matches_for(self.terminal)

    @property
    def chosen(self) -> Match | None:
        return next((m for m in self.matches() if m.policy.id == self.state.policy_id), None)

    # -- taps -----------------------------------------------------------------------------------
    def why(self, policy_id: str) -> None:
        """为什么我能享受: show the conditions of `policy_id` that held, and what is left to check."""
        self.state.policy_id = policy_id
        self.go_to("reasons")

    def claim(self, policy_id: str) -> str:
        """The one tap of a match: "confirm" (now at the confirm step) or the matter code to open
        我要办 with ("" when the policy names no matter)."""
        self.state.policy_id = policy_id
        match = self.chosen
        if match is not None and match.policy.mode == "confirm":
            self.go_to("confirm")
            return "confirm"
        return match.policy.matter if match is not None else ""

    def back(self) -> bool:
        if self.step.key == "list":
            return False
        self.go_to("list")
        return True

    # -- checks ---------------------------------------------------------------------------------
    def check_list(self) -> str:
        return "" if self.terminal.session.identified else "请先刷身份证或出示居民码。"

    def check_reasons(self) -> str:
        return "" if self.chosen is not None else "请先点一下您想看的那一项。"

    def check_confirm(self) -> str:
        match = self.chosen
        if match is None:
            return "请先点一下您想领的那一项。"
        if match.policy.mode != "confirm":
            return "这一项要先申请，请点“去申请”。"
        if not match.sure:
            return match.check_words + "，请找工作人员帮您核实。"
        return ""

    # -- submitting -----------------------------------------------------------------------------
    def confirm(self) -> str:
        """确认领取: store the claim durably; returns the local number."""
        self.go_to("confirm")
        return self.submit()

    def payload(self) -> dict[str, Any]:
        policy = self.chosen.policy
        return {"matter_code": policy.matter, "matter_name": policy.name,
                "benefit": {"policy_id": policy.id, "mode": "confirm",
                            "amount": policy.amount.text if policy.amount else ""},
                "terminal": {"id": self.setting("terminal", "id"), "level": self.setting("terminal", "level")}}

    def receipt_note(self) -> str:
        return "已经替您确认领取。审核通过后按时发到您的社保卡上。"
