"""您可能可以享受 (免申即享): every match, 为什么我能享受, and 确认领取 — a thin view of BenefitsFlow.

The matches are computed on the terminal (kiosk/benefits.py); the home screen shows the biggest ones
first and comes here for the reasons, the confirm step or the whole list.
"""
from __future__ import annotations

from screens.widgets.step_screen import StepScreen
from kiosk import wording as W


class BenefitsScreen(StepScreen):
    """list → reasons → confirm."""

    flow_name = "benefits"

    def prepare(self, why: str = "", claim: str = "", **kwargs) -> None:
        """`why`: open on the reasons of that policy; `claim`: on its confirm step."""
        self.app.terminal.open_flow(self.flow_name)
        flow = self.flow
        if why:
            flow.why(why)
        elif claim:
            flow.claim(claim)
        self.title = flow.title
        self.error = ""
        self._page = 0
        self.refresh()

    def build_list(self, body) -> None:
        matches = self.flow.matches()
        if not matches:
            self.add_text(body, "按您的证件，暂时没有找到您能享受的项目。", big=True)
            return
        choices = [(m.policy.id, f"{m.policy.name}  {m.policy.amount.text if m.policy.amount else ''}".strip()
                    + ("（需要核实）" if not m.sure else "")) for m in matches]
        self.add_choices(body, choices, None, self.chose(self.flow.why), cols=1)

    def build_reasons(self, body) -> None:
        match = self.flow.chosen
        if match is None:
            return
        policy = match.policy
        self.add_text(body, policy.name + ("：" + policy.amount.text if policy.amount else ""), big=True)
        self.add_text(body, policy.benefit)
        for words in match.reasons:
            self.add_text(body, "符合：" + words)
        if match.check_words:
            self.add_text(body, match.check_words, muted=True)

    def build_confirm(self, body) -> None:
        match = self.flow.chosen
        if match is None:
            return
        policy = match.policy
        self.add_text(body, "领取：" + policy.name, big=True)
        if policy.amount:
            self.add_text(body, "金额：" + policy.amount.text)
        self.add_text(body, policy.benefit)
        self.add_text(body, "不用交材料，不用填表。", muted=True)

    def actions(self, key: str) -> list:
        """首页 under the list; 上一步 and the match's one button (确认领取 / 去申请) under the reasons."""
        flow = self.flow
        back = self.button(W.BACK, self.previous_step, primary=False, picto="back")
        if key == "list":
            return [self.button(W.HOME, self.app.home, primary=False, picto="home")]
        if key == "reasons":
            match = flow.chosen
            if match is None:
                return [back]
            return [back, self.button(match.action_words, lambda: self.claim(match.policy.id),
                                      primary=match.sure or match.policy.mode == "apply")]
        return [back, self.next_button(flow.finish_words, picto="check")]

    def claim(self, policy_id: str) -> None:
        """确认领取 goes to the confirm step; 去申请 opens 我要办 with the matter."""
        target = self.flow.claim(policy_id)
        if target == "confirm":
            self.refresh()
        elif target:
            self.app.go("apply", matter=target)

    @classmethod
    def tour_states(cls, app):
        def state(step):
            def go(app):
                from kiosk.demo import demo_elder_identity
                app.identified(demo_elder_identity())
                app.terminal.open_flow("benefits").refresh()
                kwargs = {"why": "elderly_allowance"} if step == "reasons" else \
                    {"claim": "elderly_allowance"} if step == "confirm" else {}
                app.go("benefits", **kwargs)
            return go
        return [("", state("")), ("-reasons", state("reasons")), ("-confirm", state("confirm"))]
