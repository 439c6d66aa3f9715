"""Every submission kind has its payload model on the platform (platform_server/payloads.py), and the
payloads the terminal's own builders make pass it (the flows end to end: test_terminal_flows.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from common.kinds import KINDS
from kiosk.flows.appointment import appointment_payload
from kiosk.flows.postal import postal_payload
from platform_server.payloads import PAYLOADS


def test_every_kind_has_a_payload_model():
    assert set(PAYLOADS) == set(KINDS)


def test_the_terminals_builders_pass_and_a_changed_type_does_not():
    appointment = appointment_payload("social", "社保", dt.date(2026, 12, 2), "am", "13905301234", "HZ-T1")
    PAYLOADS["appointment"].model_validate(appointment)
    for what, slot in (("deliver_result", None), ("pickup_materials", "2026-12-02-am")):
        PAYLOADS["postal_order"].model_validate(postal_payload(what, "card", "牡丹区中华路1号", "13905301234", slot,
                                                               "HZ-T1"))
    with pytest.raises(ValidationError):
        PAYLOADS["appointment"].model_validate({**appointment, "half_day": 1})
