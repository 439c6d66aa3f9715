"""邮政居家办: what to post, where (the card's address, or the postman phones to ask), a phone
number, a pickup time when materials are collected — no typing needed.

The steps, checks and payload are kiosk/flows/postal.py (PostalFlow); this screen shows them.
"""
from __future__ import annotations

from kiosk.flows.common import mask_phone
from kiosk.flows.postal import ADDRESS_ON_CARD, WHAT
from screens.widgets.step_screen import StepScreen


class PostalScreen(StepScreen):
    """邮政居家办, one step at a time."""

    flow_name = "postal"

    def build_what(self, body) -> None:
        flow = self.flow
        self.add_choices(body, list(WHAT), flow.state.what or None, self.chose(lambda k: flow.choose("what", k)))

    def build_where(self, body) -> None:
        flow = self.flow
        self.add_choices(body, flow.where_choices(), flow.state.address_choice or None,
                         self.chose(lambda k: flow.choose("address_choice", k)), cols=1)

    def build_phone(self, body) -> None:
        self.add_keypad(body, self.flow.state.phone, self.flow.set_phone)

    def build_when(self, body) -> None:
        flow = self.flow
        self.add_choices(body, flow.slots(), flow.state.slot or None, self.chose(lambda k: flow.choose("slot", k)))

    def build_confirm(self, body) -> None:
        flow = self.flow
        state = flow.state
        self.add_text(body, "寄什么：" + dict(WHAT)[state.what], big=True)
        self.add_text(body, "寄到：" + flow.where_words())
        self.add_text(body, "手机号：" + mask_phone(state.phone))
        if state.what == "pickup_materials":
            self.add_text(body, "上门时间：" + dict(flow.slots()).get(state.slot, ""))
        self.add_text(body, "邮费：政府承担，免费", muted=True)

    @classmethod
    def tour_states(cls, app):
        def state(step, **values):
            def go(app):
                from kiosk.demo import demo_identity
                app.identified(demo_identity())
                app.go("postal")
                screen = app.screen("postal")
                flow = screen.flow
                for key, value in values.items():
                    flow.choose(key, value(flow) if callable(value) else value)
                flow.set_phone("13905301234" if step == "confirm" else "")
                if step:
                    flow.go_to(step)
                screen.refresh()
            return go
        return [("", state("")), ("-where", state("where", what="pickup_materials")),
                ("-confirm", state("confirm", what="pickup_materials", address_choice=ADDRESS_ON_CARD,
                                   slot=lambda flow: flow.slots()[0][0]))]
