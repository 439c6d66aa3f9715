"""The pre-review's rules on rendered documents photographed on a generated desk, read by the real
OCR engine (rapidocr-onnxruntime, offline): matching and non-matching names, numbers and dates; a
form filled and signed or not. One OCR pass per photo; the rules run on it several times."""
import datetime as dt

import cv2
import pytest

from devices.doccam import synthetic
from kiosk.review import rules, specimens
from kiosk.review.ocr import TextLine, engine, models_present
from kiosk.review.prereview import page_of, prereview

NAME, NUMBER = "王小明", "37170219800101001X"
OTHER_NAME, OTHER_NUMBER = "王小红", "371702198001010028"
FORM_LABELS = ["姓名", "公民身份号码", "联系电话", "婚姻状况"]


def _read(image):
    page, codes = page_of(image)
    return engine().read(page), cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), codes


@pytest.fixture(scope="module")
def front():
    return _read(synthetic.photo(specimens.id_card_front(NAME, NUMBER), seed=3).frame)


def _checks(review):
    return {c.check: c.ok for c in review.checks}


def test_the_models_come_inside_the_package():
    assert models_present()


def test_id_card_front_matches_the_identified_citizen(front):
    lines, gray, codes = front
    assert codes == ()
    good = rules.review("id_card_front", lines, gray, name=NAME, id_number=NUMBER)
    assert _checks(good) == {"readable": True, "name_matches": True, "id_number_matches": True}
    assert good.fields == {"name": NAME, "id_number": NUMBER}
    wrong = rules.review("id_card_front", lines, gray, name=OTHER_NAME, id_number=OTHER_NUMBER)
    assert _checks(wrong) == {"readable": True, "name_matches": False, "id_number_matches": False}
    assert [c.detail for c in wrong.checks][1:] == ["姓名和本人对不上。", "号码和本人对不上。"]
    assert all(NAME not in c.detail and NUMBER not in c.detail for c in good.checks + wrong.checks)


def test_id_card_back_validity(monkeypatch):
    lines, gray, _ = _read(synthetic.photo(specimens.id_card_back("2016.01.01", "2026.01.01"), seed=4).frame)
    assert _checks(rules.review("id_card_back", lines, gray, today=dt.date(2026, 1, 1)))["not_expired"]
    late = rules.review("id_card_back", lines, gray, today=dt.date(2026, 1, 2))
    assert not _checks(late)["not_expired"] and late.fields["valid_to"] == "2026-01-01"


def test_hukou_page_shows_the_citizen():
    lines, gray, _ = _read(synthetic.photo(specimens.hukou_page(NAME, NUMBER), seed=6, fill=0.85).frame)
    assert _checks(rules.review("hukou_page", lines, gray, name=NAME, id_number=NUMBER)) == \
        {"readable": True, "name_matches": True, "id_number_matches": True}
    assert _checks(rules.review("hukou_page", lines, gray, name=OTHER_NAME, id_number=OTHER_NUMBER)) == \
        {"readable": True, "name_matches": False, "id_number_matches": False}


def test_a_filled_and_signed_form_passes_and_an_empty_unsigned_one_does_not():
    full = specimens.form("生育登记表", {"姓名": NAME, "公民身份号码": NUMBER, "联系电话": "13800000000",
                                        "婚姻状况": "已婚"}, FORM_LABELS, signature=True)
    result = prereview(synthetic.photo(full, seed=5, fill=0.85).frame, "form", required=FORM_LABELS)
    assert result.ok, result.as_dict()
    bare = specimens.form("生育登记表", {"姓名": NAME}, FORM_LABELS, signature=False)
    result = prereview(synthetic.photo(bare, seed=5, fill=0.85).frame, "form", required=FORM_LABELS)
    checks = {c.check: c for c in result.checks}
    assert not checks["filled"].ok and checks["filled"].detail == "这几项还没填：公民身份号码、联系电话、婚姻状况。"
    assert not checks["signed"].ok


def test_without_a_list_a_form_must_fill_the_usual_lines_it_has():
    """No required list (the prereview command): the usual lines printed on the form are required,
    an empty 公民身份号码 line included; a line the form does not have is not asked for."""
    form = specimens.form("生育登记表", {"姓名": NAME}, ["姓名", "公民身份号码", "婚姻状况"], signature=True)
    lines, gray, _codes = _read(synthetic.photo(form, seed=5, fill=0.85).frame)
    assert rules.printed_labels(lines, rules.USUAL_FORM_LABELS) == ["姓名", "公民身份号码"]
    checks = {c.check: c for c in rules.review("form", lines, gray).checks}
    assert not checks["filled"].ok and checks["filled"].detail == "这几项还没填：公民身份号码。"
    assert {c.check: c.ok for c in rules.review("form", lines, gray, required=[]).checks}["filled"]


def test_an_empty_desk_is_not_readable():
    result = prereview(synthetic.photo(specimens.form("表", {}, [], False), seed=1, page_present=False).frame,
                       "generic")
    assert result.quality == ["no_document"] and not result.ok
    assert [c.as_dict() for c in result.checks] == [{"check": "readable", "ok": False, "detail": "字看不清，请重拍。"}]


# -- the rules without OCR: what OCR gets wrong in small ways --------------------------------------
def _line(text, x=0, y=0):
    return TextLine(text, ((x, y), (x + 100, y), (x + 100, y + 30), (x, y + 30)), 0.99)


def test_look_alike_letters_in_a_number_are_read_as_digits():
    assert rules.id_numbers("公民身份号码 37l7O2 19800101 001x") == [NUMBER]
    assert rules.id_numbers("3717021980010100") == []


def test_a_permanent_card_never_expires():
    import numpy as np
    review = rules.review("id_card_back", [_line("有效期限"), _line("2020.01.01-长期", 120)], np.zeros((10, 10), np.uint8),
                          today=dt.date(2060, 1, 1))
    assert _checks(review)["not_expired"] and review.fields["valid_to"] == "长期"


def test_an_unknown_kind_is_refused():
    import numpy as np
    with pytest.raises(ValueError):
        rules.review("passport", [], np.zeros((4, 4), np.uint8))
