"""Reading a 社保卡: the real reading code against the virtual card's applet, called in-process."""
from __future__ import annotations

import random

import pytest

from devices.sscard.vpcd_card import SocialSecurityApplet, demo_cards
from devices.sscard.data import JSON_KEYS, CardDataError, SsCardRecord, bcd_date, decode, read_card

ISSUE_KEYS = ["card_id", "card_type", "version", "issuer_org", "issue_date", "expiry_date", "card_number",
              "ssn", "name", "sex", "nation", "birthplace", "birth_date"]


def transmit_to(applet):
    def transmit(apdu):
        answer = applet.process(bytes(apdu))
        return list(answer[:-2]), answer[-2], answer[-1]
    return transmit


@pytest.mark.parametrize("chain_61", [False, True])
@pytest.mark.parametrize("strict_le", [False, True])
@pytest.mark.parametrize("name", ["default", "elder"])
def test_cards_read_back_with_6c_and_61_handling(name, chain_61, strict_le):
    card = demo_cards()[name]
    applet = SocialSecurityApplet(card, chain_61=chain_61, strict_le=strict_le)
    record = read_card(transmit_to(applet))
    assert record.as_json() == card.as_json()
    if chain_61:
        assert any(ins == 0xC0 for _, ins, _, _ in applet.log)  # GET RESPONSE was used


def test_wrong_le_is_resent_with_the_length_the_card_asks_for():
    applet = SocialSecurityApplet(demo_cards()["default"], strict_le=True)
    seen = []
    inner = transmit_to(applet)
    first_try = set()

    def transmit(apdu):
        if apdu[1] == 0xB2 and apdu[2] not in first_try:
            first_try.add(apdu[2])
            apdu = apdu[:4] + [0x02]  # the first request of every record has the wrong Le
        seen.append(list(apdu))
        return inner(apdu)
    assert read_card(transmit).name == "刘建国"
    assert sum(1 for a in seen if a[1] == 0xB2) == 2 * 13  # every record asked twice: wrong Le, then 6Cxx


def test_verify_is_never_sent():
    applet = SocialSecurityApplet(demo_cards()["elder"], chain_61=True)
    read_card(transmit_to(applet))
    assert applet.verify_count == 0
    assert {ins for _, ins, _, _ in applet.log} <= {0xA4, 0xB2, 0xC0}


def test_json_has_exactly_the_keys_of_the_issue():
    record = read_card(transmit_to(SocialSecurityApplet(demo_cards()["default"])))
    data = record.as_json()
    assert list(data) == ISSUE_KEYS == list(JSON_KEYS)
    assert len(data["card_id"]) == 32 and data["card_id"] == data["card_id"].upper()
    assert data["nation"] == "汉" and data["sex"] == "男" and data["birthplace"] == "371702"


def test_a_card_without_the_ssse_application_is_named_as_such():
    def transmit(apdu):
        return [], 0x6A, 0x82
    with pytest.raises(CardDataError) as info:
        read_card(transmit)
    assert info.value.code == "sscard.not_ssc"


def test_a_missing_record_is_null_not_an_error():
    applet = SocialSecurityApplet(demo_cards()["default"])
    del applet.files[b"\xEF\x06"][0x0C]
    assert read_card(transmit_to(applet)).birthplace is None


def test_names_padded_with_spaces_or_zeros_decode_alike():
    assert decode("gbk", "张三".encode("gbk").ljust(30, b" ")) == "张三"
    assert decode("gbk", "张三".encode("gbk").ljust(30, b"\x00")) == "张三"


def test_bcd_dates_and_bad_bcd():
    assert bcd_date(bytes.fromhex("20300315")) == "2030-03-15"
    for bad in ("2030131F", "20301301", "203003"):
        with pytest.raises(CardDataError):
            bcd_date(bytes.fromhex(bad))


def test_a_card_without_holder_data_is_rejected():
    applet = SocialSecurityApplet(SsCardRecord(card_id="00" * 16, issue_date="2020-01-01",
                                               expiry_date="2030-01-01", birth_date="2000-01-01"))
    with pytest.raises(CardDataError):
        read_card(transmit_to(applet))


def test_mutated_answers_give_only_card_data_errors():
    """A seeded mutator flips, drops and adds bytes of the card's answers: the reader may fail, but only
    with its own error type."""
    rng = random.Random(20261127)
    outcomes = {"ok": 0, "error": 0}
    for _ in range(400):
        applet = SocialSecurityApplet(demo_cards()["default"], chain_61=rng.random() < 0.5)

        def transmit(apdu):
            answer = bytearray(applet.process(bytes(apdu)))
            if rng.random() < 0.3:
                op = rng.randrange(3)
                pos = rng.randrange(len(answer) + 1)
                if op == 0 and answer:
                    answer[min(pos, len(answer) - 1)] ^= 1 << rng.randrange(8)
                elif op == 1 and len(answer) > 2:
                    del answer[min(pos, len(answer) - 3)]
                else:
                    answer[pos:pos] = bytes([rng.randrange(256)])
            if len(answer) < 2:
                answer = bytearray(b"\x6F\x00")
            return list(answer[:-2]), answer[-2], answer[-1]
        try:
            read_card(transmit)
            outcomes["ok"] += 1
        except CardDataError:
            outcomes["error"] += 1
    assert outcomes["ok"] and outcomes["error"]
