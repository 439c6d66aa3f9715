"""预约取号: book a half-day at the hall for a department's counter."""
from __future__ import annotations

import datetime as dt
from typing import Any

WEEKDAYS = "一二三四五六日"
HALVES = (("am", "上午 9:00–12:00"), ("pm", "下午 13:30–17:00"))


def working_days(today: dt.date, count: int = 5) -> list[dt.date]:
    """The next `count` days the hall is open (Monday to Friday), starting tomorrow."""
    out, day = [], today
    while len(out) < count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            out.append(day)
    return out


def day_words(day: dt.date) -> str:
    return f"{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def appointment_payload(department: str, department_name: str, day: dt.date, half: str, phone: str,
                        terminal_id: str) -> dict[str, Any]:
    return {"department": department, "department_name": department_name, "date": day.isoformat(),
            "half_day": half, "phone": phone, "terminal_id": terminal_id}
