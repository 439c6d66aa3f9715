import datetime as dt

from kiosk.flows.appointment import appointment_payload, day_words, working_days
from kiosk.flows.postal import ADDRESS_BY_PHONE, ADDRESS_ON_CARD, mask_address, pickup_slots, postal_payload


def test_working_days_skip_the_weekend():
    friday = dt.date(2026, 11, 27)
    days = working_days(friday, 3)
    assert days == [dt.date(2026, 11, 30), dt.date(2026, 12, 1), dt.date(2026, 12, 2)]
    assert day_words(days[0]) == "11月30日 星期一"


def test_mask_address_keeps_start_and_end():
    assert mask_address("山东省菏泽市牡丹区示例路1号") == "山东省菏泽市牡丹区****1号"
    assert "示例路" not in mask_address("山东省菏泽市牡丹区示例路1号")


def test_postal_payload_sends_address_only_from_the_card():
    p = postal_payload("deliver_result", ADDRESS_BY_PHONE, "地址", "13905301234", None, "T1")
    assert p["address"] is None and p["pickup_slot"] is None
    p = postal_payload("pickup_materials", ADDRESS_ON_CARD, "地址", "13905301234", "2026-11-28-am", "T1")
    assert p["address"] == "地址" and p["pickup_slot"] == "2026-11-28-am"


def test_pickup_slots_start_tomorrow():
    slots = pickup_slots(dt.date(2026, 11, 27), 1)
    assert slots == [("2026-11-28-am", "11月28日 上午"), ("2026-11-28-pm", "11月28日 下午")]


def test_appointment_payload():
    p = appointment_payload("hrss", "人社局", dt.date(2026, 11, 30), "am", "13905301234", "T1")
    assert p["date"] == "2026-11-30" and p["half_day"] == "am"
