"""Card records become the one Identity type; the greeting shows a masked name only."""
from __future__ import annotations

from devices.idcard.sam_simulator import demo_cards as id_cards
from devices.sscard.vpcd_card import demo_cards as ss_cards
from kiosk.identity import IdentitySource
from kiosk.identity_sources import identity_from_card
from kiosk.session import Session


def test_id_card_identity_greets_with_a_masked_name_and_feeds_the_session():
    identity = identity_from_card(id_cards()["resident"])
    assert identity.source is IdentitySource.ID_CARD
    assert identity.greeting == "您好，张*三"
    assert identity.number.startswith("371702") and identity.verified_offline
    session = Session()
    session.identify(identity)
    assert session.identified
    session.wipe()
    assert session.is_empty() and identity.name == "" and not identity.details


def test_foreigner_without_a_chinese_name_is_greeted_by_the_english_name():
    card = id_cards()["foreign"]
    card.name = None
    identity = identity_from_card(card)
    assert identity.name == "SMITH, JOHN" and identity.masked_name.startswith("S")


def test_social_security_card_identity_uses_the_ssn():
    card = ss_cards()["default"]
    identity = identity_from_card(card)
    assert identity.source is IdentitySource.SOCIAL_SECURITY_CARD
    assert identity.number == card.ssn and identity.greeting == "您好，刘*国"
    assert not identity.verified_offline
    assert card.ssn not in repr(identity)
