"""您可能可以享受 (免申即享): every match, 为什么我能享受, and 确认领取 — a thin view of BenefitsFlow.

The matches are computed on the terminal (kiosk/benefits.py); the home screen shows the biggest ones
first and comes here for the reasons or the whole list. 确认领取 is one tap, here and on home
(`claim_with_one_tap`): the claim is stored and the receipt follows.
"""
from __future__ import annotations

from kivy.factory import Factory

from kiosk import wording as W
from kiosk.flows.benefits import CLAIMED
from screens.widgets.step_screen import StepScreen


def claim_with_one_tap(app, policy_id: str) -> None:
    """The one tap of a match's button, from home or from the reasons: a 免申 match is stored at once (the
    receipt follows); an application opens 我要办 with its matter; a match with something left to check
    shows its reasons and what to check."""
    terminal = app.terminal
    flow = terminal.current_flow("benefits") or terminal.open_flow("benefits")
    target = flow.claim(policy_id)
    if target == "confirm":
        app.submit_flow(flow)
    elif target == "check":
        app.go("benefits", why=policy_id, check=True)
    elif target:
        app.go("apply", matter=target)


def claim_button(app, flow, match):
    """The match's one button: 确认领取 (免申) or 去申请, one tap; greyed 已经确认领取了 once claimed."""
    policy = match.policy
    if policy.mode == "confirm" and flow.claimed(policy.id):
        return Factory.BigButton(text=CLAIMED, picto="check", primary=False, disabled=True)
    button = Factory.BigButton(text=match.action_words, picto="check" if policy.mode == "confirm" else "",
                               primary=match.sure or policy.mode == "apply")
    button.bind(on_release=lambda _b: claim_with_one_tap(app, policy.id))
    return button


class BenefitsScreen(StepScreen):
    """list → reasons; 确认领取 stores the claim with one tap."""

    flow_name = "benefits"

    def prepare(self, why: str = "", check: bool = False, **kwargs) -> None:
        """`why`: open on the reasons of that policy; `check`: say also why it cannot be claimed here."""
        self.app.terminal.open_flow(self.flow_name)
        flow = self.flow
        if why:
            flow.why(why)
        self.title = flow.title
        self._page = 0
        self.refresh()
        self.error = flow.claim_problem() if why and check else ""

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
        elif policy.mode == "confirm":
            self.add_text(body, "不用交材料，不用填表：点一下“确认领取”就行。", muted=True)

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
            return [back, claim_button(self.app, flow, match)]
        return [back]

    @classmethod
    def tour_states(cls, app):
        def state(step):
            def go(app):
                from kiosk.demo import demo_elder_identity
                app.identified(demo_elder_identity())
                app.terminal.open_flow("benefits").refresh()
                app.go("benefits", **({"why": "elderly_allowance"} if step == "reasons" else {}))
            return go
        return [("", state("")), ("-reasons", state("reasons"))]
