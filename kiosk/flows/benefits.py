"""免申即享 "您可能可以享受": the matches of the identified citizen, why they match, one-tap confirm.

The matches are computed on the terminal (kiosk/benefits.py) from the identity and the facts the platform
holds, which `refresh()` asks for (blocking: a front end runs it off the UI thread) and the Session keeps.
A 免申 policy (`mode: confirm`) is claimed with one tap on 确认领取: an "application" submission whose
payload names the policy (`benefit`), stored at once (the receipt follows); a policy that needs an
application opens 我要办 with its matter. A match with something left to check cannot be claimed here,
nor one already claimed in this visit (the Session keeps which, and a wipe forgets them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.benefits import SCRATCH_KEY, Match, fetch_facts, matches_for
from kiosk.flows.base import Flow, FlowError, FlowState, Step


CLAIMED_KEY = "benefits_claimed"     # Session.scratch: the policy ids claimed in this visit
CLAIMED = "已经确认领取了"


@dataclass
class BenefitsState(FlowState):
    policy_id: str = ""          # the match whose reasons are shown / that is being claimed


class BenefitsFlow(Flow):
    """list → reasons (为什么我能享受); 确认领取 submits from either (one tap)."""

    name = "benefits"
    title = "可以享受"
    kind = "application"
    finish_words = "确认领取"
    State = BenefitsState

    def steps(self) -> list[Step]:
        return [Step("list", "您可能可以享受", "按能领到的多少排好了。点一下看看为什么您能享受。"),
                Step("reasons", "为什么我能享受", "机器按您的证件和平台上的信息核对了这些条件：")]

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> str:
        """Ask the platform for the facts the pack's rules need (blocking); "ok", "offline" or "no_answer"."""
        return fetch_facts(self.terminal)["status"]

    @property
    def asked(self) -> bool:
        """Whether the platform was asked in this visit (the session keeps the answer)."""
        return SCRATCH_KEY in self.terminal.session.scratch

    def matches(self) -> list[Match]:
        """What the citizen may enjoy, biggest benefit first; [] when nobody is identified."""
        return matches_for(self.terminal)

    def claimed(self, policy_id: str) -> bool:
        """Whether `policy_id` was claimed at the terminal in this visit."""
        return policy_id in self.terminal.session.scratch.get(CLAIMED_KEY, ())

    @property
    def chosen(self) -> Match | None:
        return next((m for m in self.matches() if m.policy.id == self.state.policy_id), None)

    # -- taps -----------------------------------------------------------------------------------
    def why(self, policy_id: str) -> None:
        """为什么我能享受: show the conditions of `policy_id` that held, and what is left to check."""
        self.state.policy_id = policy_id
        self.go_to("reasons")

    def claim(self, policy_id: str) -> str:
        """The one tap of a match's button: "confirm" when the claim can be stored now (`submit()`), "check"
        when it cannot (at the reasons step; `claim_problem()` says why), or the matter code to open 我要办
        with for a policy that needs an application ("" when it names none)."""
        self.state.policy_id = policy_id
        match = self.chosen
        if match is None or match.policy.mode != "confirm":
            return match.policy.matter if match is not None else ""
        if self.claim_problem():
            self.go_to("reasons")
            return "check"
        return "confirm"

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

    def claim_problem(self) -> str:
        """Why the chosen match cannot be claimed at the terminal, in plain words; "" when it can."""
        match = self.chosen
        if match is None:
            return "请先点一下您想领的那一项。"
        if match.policy.mode != "confirm":
            return "这一项要先申请，请点“去申请”。"
        if not match.sure:
            return match.check_words + "，请找工作人员帮您核实。"
        if self.claimed(match.policy.id):
            return "这一项刚才已经替您确认领取了，不用再点。"
        return ""

    # -- submitting -----------------------------------------------------------------------------
    def submit(self) -> str:
        """确认领取: store the claim of the chosen match durably; returns the local number."""
        problem = self.claim_problem()
        if problem:
            raise FlowError(problem)
        policy_id = self.state.policy_id
        local_id = super().submit()
        self.terminal.session.scratch.setdefault(CLAIMED_KEY, []).append(policy_id)
        return local_id

    def payload(self) -> dict[str, Any]:
        policy = self.chosen.policy
        return {"matter_code": policy.matter, "matter_name": policy.name,
                "benefit": {"policy_id": policy.id, "mode": "confirm",
                            "amount": policy.amount.text if policy.amount else ""},
                "terminal": {"id": self.setting("terminal", "id"), "level": self.setting("terminal", "level")}}

    def receipt_note(self) -> str:
        return "已经替您确认领取。审核通过后按时发到您的社保卡上。"
