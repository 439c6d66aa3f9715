"""The PC/SC driver against pcscd with the vsmartcard virtual reader and our virtual 社保卡."""
from __future__ import annotations

import pytest

from devices.sscard.vpcd_card import SocialSecurityApplet, VpcdCard, demo_cards
from devices.sscard.reader import SsCardReader
from devices.states import DeviceState

from tests.devices.conftest import Events

pytestmark = pytest.mark.pcsc


@pytest.fixture
def card_slot(pcscd):
    """A virtual card that tests insert and remove; always taken out again."""
    cards = []

    def make(name="default", **kwargs) -> VpcdCard:
        card = VpcdCard(SocialSecurityApplet(demo_cards()[name], **kwargs))
        cards.append(card)
        return card
    yield make
    for card in cards:
        card.remove()


@pytest.fixture
def ss_reader(pcscd):
    reader = SsCardReader(pcscd, wait_ms=100, retry_interval=0.2)
    events = Events(reader)
    reader.start()
    events.wait_state(DeviceState.ONLINE)
    yield reader, events
    reader.stop()


def test_insert_read_and_remove_events_come_from_pcsc(ss_reader, card_slot):
    reader, events = ss_reader
    card = card_slot("default")
    card.insert()
    record = events.wait_event("card_presented")[0]
    assert record.as_json() == demo_cards()["default"].as_json()
    card.remove()
    events.wait_event("card_removed")
    other = card_slot("elder", chain_61=True)
    other.insert()
    second = events.wait_event("card_presented", 2)[-1]
    assert second.name == "赵桂兰" and second.sex == "女" and second.nation == "回"
    other.remove()
    events.wait_event("card_removed", 2)
    assert len(events.names("card_presented")) == 2


def test_6cxx_and_61xx_cards_read_the_same_and_verify_is_never_sent(pcscd, card_slot):
    reader = SsCardReader(pcscd)
    results = []
    for kwargs in ({"strict_le": True}, {"chain_61": True}):
        card = card_slot("default", **kwargs)
        card.insert()
        results.append(reader.read_one(5).as_json())
        assert card.applet.verify_count == 0
        assert card.applet.log, "the card was really talked to through pcscd"
        card.remove()
    assert results[0] == results[1] == demo_cards()["default"].as_json()


def test_a_card_that_is_not_a_social_security_card_gives_a_plain_error(ss_reader, card_slot):
    reader, events = ss_reader
    card = card_slot("default")
    card.applet.process = lambda apdu: b"\x6A\x82"  # no SSSE application on this card
    card.insert()
    error = events.wait_event("error")[0]
    assert error.code == "sscard.not_ssc" and "社会保障卡" in error.message
    assert not events.names("card_presented")


def test_a_reader_name_that_matches_nothing_is_power_off(pcscd):
    reader = SsCardReader("no such reader", retry_interval=0.1)
    events = Events(reader)
    reader.start()
    try:
        events.wait_state(DeviceState.POWER_OFF)
    finally:
        reader.stop()


def test_read_one_without_a_card_times_out_cleanly(pcscd):
    from devices.states import DeviceError
    with pytest.raises(DeviceError) as info:
        SsCardReader(pcscd).read_one(0.5)
    assert info.value.code == "sscard.no_card"
