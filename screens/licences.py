"""一码亮证: after a card or 居民码, the citizen's e-licences one at a time, large, and a printed copy
marked 仅限政务服务使用. A thin view of kiosk/flows/licences.py."""
from __future__ import annotations

from kivy.factory import Factory

from screens.certificates import PrintingStepScreen
from screens.widgets.base import load_kv
from kiosk import wording as W

load_kv(__file__)


class LicencesScreen(PrintingStepScreen):
    """One licence filling the screen; 上一个 / 下一个; 打印复印件."""

    flow_name = "licences"

    def build_show(self, body) -> None:
        """The licence shown now, as a big card with every field on its own line."""
        flow = self.flow
        licence = flow.current
        if licence is None:
            self.add_text(body, flow.state.message or "正在查找您的电子证照，请稍等……", big=True)
            return
        card = Factory.LicenceCard()
        card.title, card.issuer = licence["title"], licence["issuer"]
        for label, value in licence["fields"]:
            card.ids.fields.add_widget(Factory.LicenceField(text=f"{label}：{value}"))
        body.add_widget(card)
        total = len(flow.state.licences)
        self.add_text(body, f"第 {flow.state.index + 1} 本，共 {total} 本" if total > 1 else "这是您的电子证照")
        if flow.state.message:
            self.add_text(body, flow.state.message, muted=True)

    def actions(self, key: str) -> list:
        """上一步, 下一个 (with more than one licence) and 打印复印件."""
        if key != "show":
            return super().actions(key)
        flow = self.flow
        buttons = [self.back_button()]
        if len(flow.state.licences) > 1:
            buttons.append(self.button("下一个", lambda: self.turn(1), primary=False))
        buttons.append(self.next_button(flow.finish_words, picto="printer", on_tap=self.finish))
        return buttons

    def turn(self, delta: int) -> None:
        """The next (or previous) licence."""
        self.flow.turn(delta)
        self.refresh()

    def finish(self) -> None:
        """打印复印件: the platform makes the marked copy (in the background), then it prints."""
        self.add_text(self.ids.body, "正在准备复印件，请稍等……", muted=True)
        self.in_background(self.flow.print_copy)

    @classmethod
    def tour_states(cls, app):
        from screens.print_tour import licence_states
        return licence_states(app)
