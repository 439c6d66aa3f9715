"""邮政居家办: results posted home, or materials picked up at home and posted to the department."""
from __future__ import annotations

import datetime as dt
from typing import Any

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
