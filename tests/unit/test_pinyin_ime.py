"""The pinyin engine behind the on-screen keyboard: segmentation, candidates, paging, commit."""
from __future__ import annotations

import pytest

from config import CONFIG_DIR
from kiosk.guides.loader import load_pack
from kiosk.pinyin_ime import Lexicon, PinyinIME, guide_words


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.build(guide_words(load_pack(CONFIG_DIR / "content")))


def typed(lexicon, letters: str, page_size: int = 8) -> PinyinIME:
    ime = PinyinIME(lexicon, page_size)
    for c in letters:
        ime.type(c)
    return ime


@pytest.mark.parametrize("letters,segments", [
    ("shenfenzheng", ["shen", "fen", "zheng"]), ("sfz", ["s", "f", "z"]), ("shenfz", ["shen", "f", "z"]),
    ("xi'an", ["xi", "an"]), ("xian", ["xian"]), ("zh", ["zh"]), ("laonianzh", ["lao", "nian", "zh"]),
])
def test_segmentation(lexicon, letters, segments):
    assert lexicon.segment(letters) == segments


@pytest.mark.parametrize("letters,word", [
    ("sfz", "身份证"), ("shenfenzheng", "身份证"), ("shenfz", "身份证"), ("laonianzheng", "老年证"),
    ("yibao", "医保"), ("shebaoka", "社保卡"), ("gongjijin", "公积金"), ("hukou", "户口"), ("canjiren", "残疾人"),
])
def test_guide_words_come_first(lexicon, letters, word):
    first = typed(lexicon, letters).candidates[0]
    assert first.text == word and first.consumed == len(letters)


def test_whole_syllable_beats_a_longer_one(lexicon):
    # "xian" typed in full: 先/县 (xian) before 乡 (xiang)
    texts = [c.text for c in typed(lexicon, "xian").all_candidates[:20]]
    assert "县" in texts and "乡" not in texts


def test_choosing_keeps_the_letters_not_used(lexicon):
    ime = typed(lexicon, "shenfenzhenghuan")
    index = next(i for i, c in enumerate(ime.candidates) if c.text == "身份证")
    assert ime.choose(index) == "身份证"
    assert ime.composing == "huan"
    assert any(c.text == "换" for c in ime.all_candidates)


def test_a_whole_name_can_be_typed_by_always_taking_the_first_candidate(lexicon):
    ime = typed(lexicon, "laonianrenyoudaizheng")
    text = ""
    while ime.composing:
        text += ime.choose(0)
    assert text == "老年人优待证"


def test_paging(lexicon):
    ime = typed(lexicon, "a", page_size=4)
    first = ime.candidates
    assert len(first) == 4 and ime.pages > 2
    assert not ime.prev_page()
    assert ime.next_page() and ime.candidates != first and ime.page == 1
    assert ime.prev_page() and ime.candidates == first
    ime.type("i")   # typing starts again at the first page
    assert ime.page == 0


def test_backspace_clear_and_enter(lexicon):
    ime = typed(lexicon, "sfzx")
    assert ime.backspace() and ime.composing == "sfz"
    assert ime.candidates[0].text == "身份证"
    assert ime.commit_letters() == "sfz" and ime.composing == "" and ime.candidates == []
    assert not ime.backspace()


def test_fast_tone_stripping_agrees_with_pypinyin():
    from pypinyin import pinyin_dict
    from pypinyin.contrib.tone_convert import to_normal

    from kiosk.pinyin_ime import toneless
    for readings in pinyin_dict.pinyin_dict.values():
        for r in readings.split(","):
            expected = to_normal(r).replace("ü", "v")
            if expected.isascii():
                assert toneless(r) == expected, r


def test_only_letters_are_accepted(lexicon):
    ime = PinyinIME(lexicon)
    with pytest.raises(ValueError):
        ime.type("1")
    ime.type("'")   # a leading apostrophe means nothing
    assert ime.composing == ""
