"""邮政居家办: results posted home, or materials picked up at home and posted to the department."""
from __future__ import annotations

import datetime as dt
from typing import Any
from dataclasses import dataclass
from kiosk.flows.base import Flow, FlowState, Step
from kiosk.flows.common import mask_phone, phone_problem
from kiosk import wording as W

WHAT = (("deliver_result", "办好的证件、结果寄到家"), ("pickup_materials", "上门取材料，寄给办事部门"))
ADDRESS_ON_CARD, ADDRESS_BY_PHONE = "card", "phone"


def mask_address(address: str) -> str:
    """山东省菏泽市牡丹区示例路1号 -> 山东省菏泽市牡丹区****1号: enough to recognise, not to read off."""
    address = (address or "").strip()
    if len(address) <= 10:
        return address[:3] + "****" if address else ""
    return address[:9] + "****" + address[-2:]


def pickup_slots(today: dt.date, days: int = 3) -> list[tuple[str, str]]:
    """Half-day pickup windows from tomorrow on: (key, words)."""
    out = []
    for i in range(1, days + 1):
        day = today + dt.timedelta(days=i)
        words = f"{day.month}月{day.day}日"
        out += [(f"{day.isoformat()}-am", f"{words} 上午"), (f"{day.isoformat()}-pm", f"{words} 下午")]
    return out


def postal_payload(what: str, address_choice: str, address: str | None, phone: str,
                   slot: str | None, terminal_id: str) -> dict[str, Any]:
    """The `payload` of a "postal_order" submission. The address goes only when it came from the card;
    otherwise the postman phones to ask (no typing at the terminal)."""
    return {
        "service": what,
        "address_source": address_choice,
        "address": address if address_choice == ADDRESS_ON_CARD else None,
        "phone": phone,
        "pickup_slot": slot if what == "pickup_materials" else None,
        "fee": "政府承担",
        "terminal_id": terminal_id,
    }


# -- the 邮政居家办 flow ---------------------------------------------------------------------------


@dataclass
class PostalState(FlowState):
    what: str = ""
    address_choice: str = ""
    phone: str = ""
    slot: str = ""


class PostalFlow(Flow):
    """邮政居家办: what → where (the card's address, or the postman phones) → phone → (pickup day) → confirm."""

    name = "postal"
    title = "邮政居家办"
    kind = "postal_order"
    finish_words = W.SUBMIT
    State = PostalState
    branch_step = "what"        # 上门取材料 adds 哪天上门
    choice_fields = ("what", "address_choice", "slot")

    def __init__(self, terminal, state, today: dt.date | None = None) -> None:
        super().__init__(terminal, state)
        self.today = today or dt.date.today()

    def steps(self) -> list[Step]:
        steps = [Step("what", "寄什么", "邮费由政府出，您不用花钱。"), Step("where", "寄到哪里"),
                 Step("phone", "留个手机号", "邮递员会打这个电话和您约时间。请输入11位手机号。")]
        if self.state.what == "pickup_materials":
            steps.append(Step("when", "哪天上门"))
        return steps + [Step("confirm", "看一遍，没问题就提交")]

    def card_address(self) -> str:
        identity = self.terminal.session.identity
        return (identity.details.get("address") or "") if identity else ""

    def where_choices(self) -> list[tuple[str, str]]:
        choices = []
        address = self.card_address()
        if address:
            choices.append((ADDRESS_ON_CARD, "寄到身份证上的地址：" + mask_address(address)))
        choices.append((ADDRESS_BY_PHONE, "寄到别的地址（邮递员打电话问您）"))
        return choices

    def slots(self) -> list[tuple[str, str]]:
        return pickup_slots(self.today)

    def check_what(self) -> str:
        return "" if self.state.what in dict(WHAT) else "请点一下要寄什么。"

    def check_where(self) -> str:
        return "" if self.state.address_choice in dict(self.where_choices()) else "请点一下寄到哪里。"

    def check_phone(self) -> str:
        return phone_problem(self.state.phone)

    def check_when(self) -> str:
        return "" if self.state.slot in dict(self.slots()) else "请点一下哪天上门。"

    def where_words(self) -> str:
        if self.state.address_choice == ADDRESS_ON_CARD:
            return "身份证上的地址：" + mask_address(self.card_address())
        return "邮递员打电话问您地址"

    def payload(self) -> dict[str, Any]:
        s = self.state
        return postal_payload(s.what, s.address_choice, self.card_address() or None, s.phone, s.slot or None,
                              self.setting("terminal", "id"))

    def receipt_note(self) -> str:
        return f"邮政工作人员会在1个工作日内打电话到 {mask_phone(self.state.phone)} 和您确认。"
