"""邮政居家办: what to post, where (the card's address, or the postman phones to ask), a phone
number, a pickup time when materials are collected — no typing needed."""
from __future__ import annotations

import datetime as dt

from kivy.properties import StringProperty

from kiosk.flows.common import mask_phone
from kiosk.flows.postal import (ADDRESS_BY_PHONE, ADDRESS_ON_CARD, WHAT, mask_address, pickup_slots,
                                postal_payload)
from screens.widgets.flow import FlowScreen


class PostalScreen(FlowScreen):
    what = StringProperty("")
    address_choice = StringProperty("")
    phone = StringProperty("")
    slot = StringProperty("")

    def prepare(self, **_kwargs) -> None:
        self.title = "邮政居家办"
        self.finish_text = "确认下单"
        self.what = self.address_choice = self.phone = self.slot = ""
        self.show_step(0)

    def clear_personal(self) -> None:
        self.phone = self.address_choice = ""
        self.ids.body.clear_widgets()

    def _card_address(self) -> str:
        identity = self.session.identity
        return (identity.details.get("address") or "") if identity else ""

    def steps(self):
        steps = [("寄什么", self._what), ("寄到哪里", self._where), ("留个手机号", self._phone)]
        if self.what == "pickup_materials":
            steps.append(("哪天上门", self._when))
        return steps + [("确认下单", self._confirm)]

    def _what(self):
        self.hint = "邮费由政府出，您不用花钱。"
        self.can_next = bool(self.what)
        self.add_choices(list(WHAT), self.what or None, lambda k: self.pick("what", k))

    def _where(self):
        address = self._card_address()
        choices = []
        if address:
            choices.append((ADDRESS_ON_CARD, "寄到身份证上的地址：" + mask_address(address)))
        choices.append((ADDRESS_BY_PHONE, "寄到别的地址（邮递员打电话问您）"))
        if self.address_choice not in dict(choices):
            self.address_choice = ""
        self.can_next = bool(self.address_choice)
        self.add_choices(choices, self.address_choice or None, lambda k: self.pick("address_choice", k), cols=1)

    def _phone(self):
        self.phone_step("邮递员会打这个电话和您约时间。请输入 11 位手机号。")

    def _when(self):
        slots = pickup_slots(dt.date.today())
        self.can_next = self.slot in dict(slots)
        self.add_choices(slots, self.slot or None, lambda k: self.pick("slot", k))

    def _confirm(self):
        self.add_text("寄什么：" + dict(WHAT)[self.what], big=True)
        where = ("身份证上的地址：" + mask_address(self._card_address())) if self.address_choice == ADDRESS_ON_CARD \
            else "邮递员打电话问您地址"
        self.add_text("寄到：" + where)
        self.add_text("手机号：" + mask_phone(self.phone))
        if self.what == "pickup_materials":
            self.add_text("上门时间：" + dict(pickup_slots(dt.date.today())).get(self.slot, ""))
        self.add_text("邮费：政府承担，免费", muted=True)

    def finish(self) -> None:
        settings = self.app.settings
        payload = postal_payload(self.what, self.address_choice, self._card_address() or None, self.phone,
                                 self.slot or None, settings.get("terminal", "id"))
        self.app.submit("postal_order", payload,
                        note=f"邮政工作人员会在 1 个工作日内打电话到 {mask_phone(self.phone)} 和您确认。")

    @classmethod
    def tour_states(cls, app):
        def state(step, **values):
            def go(app):
                from kiosk.demo import demo_identity
                app.identified(demo_identity())
                app.go("postal")
                screen = app.sm.get_screen("postal")
                for key, value in values.items():
                    setattr(screen, key, value)
                screen.show_step(step)
            return go
        return [("", state(0)), ("-where", state(1, what="pickup_materials")),
                ("-confirm", state(4, what="pickup_materials", address_choice=ADDRESS_ON_CARD,
                                   phone="13905301234", slot=pickup_slots(dt.date.today())[0][0]))]
