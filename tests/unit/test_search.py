"""Guide search as a citizen types: hanzi, full pinyin, initials, synonyms, one-letter typos; ranked, incremental."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from config import CONFIG_DIR
from kiosk.guides.loader import load_pack
from kiosk.guides.search import SearchIndex, prefix_ed1
from kiosk.guides.synthetic import generate_matters

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pack():
    return load_pack(CONFIG_DIR / "content")


@pytest.fixture(scope="module")
def index(pack):
    return SearchIndex.for_pack(pack)


def top(index, query: str) -> str:
    hits = index.search(query)
    assert hits, f"nothing found for {query!r}"
    return hits[0].name


@pytest.mark.parametrize("query", ["身份证", "身份", "shenfenzheng", "shenfen", "sfz", "shenfz", "sfzheng",
                                   "SFZ", "shen fen zheng", "juminshenfenzheng"])
def test_id_card_renewal_found_every_way(index, query):
    assert top(index, query) == "居民身份证换领"


@pytest.mark.parametrize("query,expected", [
    ("老年证", "老年人优待证办理"), ("lnz", "老年人优待证办理"), ("laonianzheng", "老年人优待证办理"),
    ("新农合", "城乡居民基本医疗保险参保登记"), ("准生证", "生育登记"), ("开店", "个体工商户设立登记"),
    ("残疾证", "残疾人证办理"), ("gjj", "住房公积金提取"), ("异地看病", "基本医疗保险异地就医备案"),
])
def test_synonyms_and_everyday_words(index, query, expected):
    assert top(index, query) == expected


@pytest.mark.parametrize("typo", ["shenfnzheng",     # a letter missing
                                  "shenfenzhemg",    # a wrong letter
                                  "shenfenzzheng",   # a letter too many
                                  "shenfenzhegn",    # two letters swapped
                                  "gongjjijin"])
def test_one_letter_typos_still_find(index, typo):
    hits = index.search(typo)
    assert hits and hits[0].how == "typo"
    assert hits[0].name in ("居民身份证换领", "住房公积金提取")


def test_wrong_character_with_the_right_sound(index):
    hits = index.search("身分证")
    assert hits[0].name == "居民身份证换领" and hits[0].how == "homophone"


@pytest.mark.parametrize("sentence,expected", [("身份证丢了怎么办", "居民身份证换领"),
                                                ("我想给孩子上户口", "出生登记（新生儿落户）")])
def test_a_whole_sentence_finds_its_known_words(index, sentence, expected):
    hits = index.search(sentence)
    assert hits and hits[0].name == expected and hits[0].how == "partial"


def test_nonsense_finds_nothing(index):
    assert index.search("xqzxqz") == []
    assert index.search("   ") == []


def test_ranking_prefers_name_and_start_matches(index):
    names = [h.name for h in index.search("yanglao")]
    assert names[0] == "城乡居民基本养老保险参保登记"   # 养老保险 is a synonym of its name
    scores = [h.score for h in index.search("baoxian")]
    assert scores == sorted(scores, reverse=True)


def test_incremental_typing_gives_the_same_answers_as_a_fresh_search(pack):
    warm = SearchIndex.for_pack(pack)
    for query in ("shenfenzheng", "sfzhl", "laonianzheng", "身份证换领", "yidijiuyibeian", "gongjjijin"):
        for k in range(1, len(query) + 1):
            typed = query[:k]
            fresh = SearchIndex.for_pack(pack)
            assert [h.code for h in warm.search(typed)] == [h.code for h in fresh.search(typed)], typed


def test_incremental_narrowing_on_a_big_catalogue_matches_a_cold_search():
    matters = generate_matters(3000, seed=3)
    warm, cold = SearchIndex(matters), SearchIndex(matters)
    for query in ("zhuxiaodengji", "spjyxkz", "营业执照变更"):
        for k in range(1, len(query) + 1):
            typed = query[:k]
            cold._cache.clear()
            assert {h.code for h in warm.search(typed, 50)} == {h.code for h in cold.search(typed, 50)}, typed


def test_level_filter(pack):
    village = SearchIndex.for_pack(pack, "village")
    assert all("village" in pack.matter(h.code).levels for h in village.search("登记"))
    assert not [h for h in village.search("sfz") if h.code == "HZ-GA-001"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=14), st.data())
@hsettings(max_examples=200, deadline=None)
def test_prefix_ed1_finds_every_single_edit(word, data):
    i = data.draw(st.integers(min_value=1, max_value=len(word) - 1))
    kind = data.draw(st.sampled_from(["sub", "del", "ins", "swap"]))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    typed = word[:-1]  # the citizen is still typing: a prefix of the word
    if kind == "sub":
        q = typed[:i] + letter + typed[i + 1:]
    elif kind == "del":
        q = typed[:i] + typed[i + 1:]
    elif kind == "ins":
        q = typed[:i] + letter + typed[i:]
    else:
        q = typed[:i - 1] + typed[i:i + 1] + typed[i - 1:i] + typed[i + 1:] if i < len(typed) else typed
    if len(q) < 2:
        return
    fixed = prefix_ed1(q, word)
    assert fixed is not None and word.startswith(fixed)


def test_prefix_ed1_rejects_two_edits():
    assert prefix_ed1("shanfanzheng", "shenfenzheng") is None
    assert prefix_ed1("shenfenzheng", "shenfenzheng") == "shenfenzheng"


def test_guides_search_command_prints_json(tmp_path):
    out = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(tmp_path), "guides", "search",
                          "--json", "sfz"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert hits[0] == {"code": "HZ-GA-001", "name": "居民身份证换领", "score": hits[0]["score"]}
    assert all(set(h) == {"code", "name", "score"} for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
