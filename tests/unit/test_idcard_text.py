"""Text blocks of the four card types: fields, dates, sex and nation codes, check digits."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from devices.idcard.text import (JSON_KEYS, CardTextError, IdCardRecord, card_type, encode_text, fields_consistent,
                                 id_number_ok, nation_name, parse_text, sex_name)
from devices.idcard.sam_simulator import demo_cards

ISSUE_KEYS = ["type", "name", "name_en", "sex", "nation", "birth", "address", "id_number", "authority",
              "valid_from", "valid_to", "pass_number", "issue_count", "nationality", "sam_id"]


@pytest.mark.parametrize("name", sorted(demo_cards()))
def test_every_demo_card_survives_encoding_and_parsing(name):
    card = demo_cards()[name]
    parsed = parse_text(encode_text(card))
    assert parsed.as_json() == card.as_json()
    assert id_number_ok(parsed)


def test_json_has_exactly_the_keys_of_the_issue_with_nulls_for_missing_values():
    rec = parse_text(encode_text(demo_cards()["foreign"]))
    data = rec.as_json()
    assert list(data) == ISSUE_KEYS == list(JSON_KEYS)
    assert data["address"] is None and data["nation"] is None and data["pass_number"] is None


def test_card_types_come_from_byte_248():
    cards = demo_cards()
    assert [card_type(encode_text(cards[n])) for n in ("resident", "hmt", "foreign", "foreign2023")] == \
        ["resident", "hmt", "foreign", "foreign2023"]


def test_resident_fields_are_read_from_their_offsets():
    text = bytearray(" ".encode("utf-16-le") * 128)

    def put(off, value):
        raw = value.encode("utf-16-le")
        text[off:off + len(raw)] = raw
    put(0, "王五"); put(30, "2"); put(32, "03"); put(36, "19700228"); put(52, "菏泽市单县")
    put(122, "37172219700228002X"); put(158, "单县公安局"); put(188, "20100101"); put(204, "长期")
    rec = parse_text(bytes(text))
    assert (rec.name, rec.sex, rec.nation, rec.birth, rec.address) == ("王五", "女", "回", "1970-02-28", "菏泽市单县")
    assert (rec.valid_from, rec.valid_to, rec.authority) == ("2010-01-01", "长期", "单县公安局")
    assert rec.type == "resident" and rec.pass_number is None


def test_long_english_name_of_the_2023_card_continues_in_its_second_field():
    card = demo_cards()["foreign2023"]
    assert len(card.name_en) > 35
    assert parse_text(encode_text(card)).name_en == card.name_en


@pytest.mark.parametrize("code,name", [("0", "未知"), ("1", "男"), ("2", "女"), ("9", "未知"), ("x", "未知")])
def test_sex_codes(code, name):
    assert sex_name(code) == name


@pytest.mark.parametrize("code,name", [("01", "汉"), ("03", "回"), ("56", "基诺"), ("97", "其他"),
                                       ("98", "外国血统中国籍人士"), ("1", "汉"), ("77", "77")])
def test_nation_codes(code, name):
    assert nation_name(code) == name


def test_a_wrong_check_digit_is_detected():
    card = demo_cards()["resident"]
    assert id_number_ok(card)
    last = card.id_number[-1]
    card.id_number = card.id_number[:-1] + ("0" if last != "0" else "1")
    assert not id_number_ok(parse_text(encode_text(card)))


@pytest.mark.parametrize("field,value", [("birth", "1990-13-01"), ("valid_from", "2015-02-30")])
def test_impossible_dates_are_rejected_without_showing_the_value(field, value):
    card = demo_cards()["resident"]
    setattr(card, field, value)
    with pytest.raises(CardTextError) as info:
        parse_text(encode_text(card))
    assert value.replace("-", "") not in str(info.value)


def test_a_text_block_of_the_wrong_size_is_rejected():
    with pytest.raises(CardTextError):
        parse_text(b"\x00" * 200)


def test_repr_of_a_record_shows_no_personal_data():
    card = demo_cards()["resident"]
    assert card.name not in repr(card) and card.id_number not in repr(card)


@hsettings(max_examples=300, deadline=None, database=None)
@given(st.binary(min_size=256, max_size=256))
def test_random_text_blocks_parse_or_raise_card_text_error_only(block):
    try:
        rec = parse_text(block)
    except CardTextError:
        return
    assert isinstance(rec, IdCardRecord)


@pytest.mark.parametrize("name", sorted(demo_cards()))
def test_the_demo_cards_are_consistent(name):
    fields_consistent(parse_text(encode_text(demo_cards()[name])))


@pytest.mark.parametrize("field,value,what", [("birth", "1990-01-02", "birth date"), ("sex", "女", "sex")])
def test_a_number_that_contradicts_birth_or_sex_is_refused_without_the_value(field, value, what):
    card = demo_cards()["resident"]
    setattr(card, field, value)
    with pytest.raises(CardTextError) as info:
        fields_consistent(parse_text(encode_text(card)))
    assert what in str(info.value) and card.id_number not in str(info.value) and value not in str(info.value)
