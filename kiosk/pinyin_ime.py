"""Pinyin input for the on-screen keyboard (Kivy has no Chinese input method): the engine, Kivy-free.

The widget (screens/widgets/pinyin_keyboard.py) feeds letters in and shows `candidates`;
choosing one commits its hanzi and keeps the letters it did not use.

    ime = PinyinIME(Lexicon.build(extra_words=pack_words))
    for ch in "sfz": ime.type(ch)
    ime.candidates  -> [Candidate("身份证", 3), ...]
    ime.choose(0)   -> "身份证"   (composing is now "")

Lexicon: every character pypinyin knows a reading for, limited to GB2312 (the 6,763 characters a
citizen will type), and pypinyin's phrase dictionary, plus the guide vocabulary of the content
pack. Ranking: guide words first (a kiosk for government services should offer 社保 before 射爆),
then common characters (GB2312 level 1 before level 2), longer matches before shorter ones.
Typed letters are split into syllables (shenfenzheng -> shen fen zheng); a syllable may be cut
short or given by its initial only (sfz, shenfz), and an apostrophe forces a split (xi'an).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Iterable

PAGE_SIZE = 8
MAX_CANDIDATES = 200
_INITIALS2 = ("zh", "ch", "sh")


# tone marks off, ü typed as v: a table is ~20x faster than pypinyin's to_normal, and the lexicon
# converts ~150,000 readings at start-up (tests/unit/test_pinyin_ime.py checks they agree)
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm",
                          "\u0300\u0301\u0304\u030c")


def toneless(reading: str) -> str:
    """"lǜ" -> "lv", "zhōng" -> "zhong"."""
    return reading.translate(_TONELESS)


def _gb2312_level(ch: str) -> int:
    """1 = common (level 1), 2 = less common, 3 = not in GB2312 at all."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return 3
    return 1 if len(b) == 2 and 0xB0 <= b[0] <= 0xD7 else 2


@dataclass(frozen=True)
class Candidate:
    """Hanzi offered in the candidate bar; `consumed` = how many typed letters it stands for."""
    text: str
    consumed: int


class Lexicon:
    """Syllables and words, indexed by the first letters of their syllables."""

    def __init__(self) -> None:
        self.syllables: set[str] = set()
        self.syllable_prefixes: set[str] = set()
        # initials key ("sfz") -> [(rank, text, syllables)], sorted by rank (lower = better)
        self.by_initials: dict[str, list[tuple[tuple, str, tuple[str, ...]]]] = {}

    @classmethod
    def build(cls, extra_words: Iterable[str] = ()) -> "Lexicon":
        """Characters and phrases from pypinyin; `extra_words` (the guide vocabulary) rank first."""
        from pypinyin import Style, lazy_pinyin, phrases_dict, pinyin_dict

        lex = cls()
        entries: dict[tuple[str, tuple[str, ...]], tuple] = {}

        def add(text: str, syls: tuple[str, ...], rank: tuple) -> None:
            key = (text, syls)
            if key not in entries or rank < entries[key]:
                entries[key] = rank

        extra_words = list(extra_words)
        # characters of the guide vocabulary come first among single characters, most used first
        freq: dict[str, int] = {}
        for word in extra_words:
            for c in word:
                freq[c] = freq.get(c, 0) + 1
        for code, readings in pinyin_dict.pinyin_dict.items():
            ch = chr(code)
            level = _gb2312_level(ch)
            if level == 3:
                continue
            gb = int.from_bytes(ch.encode("gb2312"), "big")
            for i, reading in enumerate(readings.split(",")):
                syl = toneless(reading)
                if syl.isascii() and syl.isalpha():
                    lex.syllables.add(syl)
                    # the first reading is the usual one; later readings rank lower
                    add(ch, (syl,), (2, min(i, 1), -freq.get(ch, 0), level, gb))
        for phrase, readings in phrases_dict.phrases_dict.items():
            if not 2 <= len(phrase) <= 4 or any(_gb2312_level(c) == 3 for c in phrase):
                continue
            syls = tuple(toneless(r[0]) for r in readings)
            if all(s in lex.syllables for s in syls):
                add(phrase, syls, (1, 0, -len(phrase), 0))
        for order, word in enumerate(dict.fromkeys(w.strip() for w in extra_words if w and w.strip())):
            if not all("\u3400" <= c <= "\u9fff" for c in word) or len(word) > 8:
                continue
            syls = tuple(lazy_pinyin(word, style=Style.NORMAL))
            if all(s in lex.syllables for s in syls):
                add(word, syls, (0, 0, -len(word), order))
        for (text, syls), rank in entries.items():
            key = "".join(s[0] for s in syls)
            lex.by_initials.setdefault(key, []).append((rank, text, syls))
        for lst in lex.by_initials.values():
            lst.sort()
        for s in lex.syllables:
            for i in range(1, len(s) + 1):
                lex.syllable_prefixes.add(s[:i])
        return lex

    # -- typed letters -> segments ----------------------------------------------------------------
    def segment(self, letters: str) -> list[str]:
        """Split typed letters into syllables, initials and a trailing partial syllable.
        An apostrophe forces a split."""
        out: list[str] = []
        for chunk in letters.split("'"):
            i = 0
            while i < len(chunk):
                rest = chunk[i:]
                for n in range(min(6, len(rest)), 0, -1):
                    if rest[:n] in self.syllables and self._good_split(rest, n):
                        out.append(rest[:n])
                        i += n
                        break
                else:
                    if rest in self.syllable_prefixes:
                        out.append(rest)
                        break
                    n = 2 if rest[:2] in _INITIALS2 else 1
                    out.append(rest[:n])
                    i += n
        return out

    def _good_split(self, rest: str, n: int) -> bool:
        """Do not take a syllable whose last letter the next syllable needs: fangan could be
        fang+an or fan+gan; prefer the split that leaves a real syllable start behind."""
        tail = rest[n:]
        if not tail or tail[0] not in "aeiouv":
            return True
        # the next part starts with a vowel: fine only if the shorter split does not work better
        return not (rest[:n - 1] in self.syllables and rest[n - 1:n + 1] in self.syllable_prefixes
                    and rest[n - 1] in "gnr")

    def lookup(self, segments: list[str], limit: int = MAX_CANDIDATES) -> list[str]:
        """Words whose syllables start with the segments, one word syllable per segment."""
        key = "".join(s[0] for s in segments)
        found = []
        for rank, text, syls in self.by_initials.get(key, ()):
            if all(syl.startswith(seg) for syl, seg in zip(syls, segments)):
                # xian means 先 before 乡 (xiang): syllables typed in full rank first
                inexact = sum(syl != seg and seg in self.syllables for syl, seg in zip(syls, segments))
                found.append((inexact, rank, text))
        found.sort()
        return [text for _, _, text in found[:limit]]


class PinyinIME:
    """Composing state of one keyboard: typed letters, candidate pages, commit."""

    def __init__(self, lexicon: Lexicon, page_size: int = PAGE_SIZE):
        self.lexicon = lexicon
        self.page_size = page_size
        self.composing = ""
        self.page = 0
        self._candidates: list[Candidate] | None = None

    # -- typing -------------------------------------------------------------------------------
    def type(self, letter: str) -> None:
        """Add a letter a-z (or an apostrophe to split syllables)."""
        letter = letter.lower()
        if len(letter) != 1 or not (letter.isascii() and (letter.isalpha() or letter == "'")):
            raise ValueError(f"not a pinyin letter: {letter!r}")
        if letter == "'" and (not self.composing or self.composing.endswith("'")):
            return
        self.composing += letter
        self._changed()

    def backspace(self) -> bool:
        """Remove the last letter; False when there was nothing to remove."""
        if not self.composing:
            return False
        self.composing = self.composing[:-1]
        self._changed()
        return True

    def clear(self) -> None:
        self.composing = ""
        self._changed()

    def _changed(self) -> None:
        self.page = 0
        self._candidates = None

    # -- candidates ---------------------------------------------------------------------------
    @property
    def segments(self) -> list[str]:
        return self.lexicon.segment(self.composing)

    @property
    def all_candidates(self) -> list[Candidate]:
        """Longest matches first: words for all segments, then for fewer, down to single characters."""
        if self._candidates is None:
            segs = self.segments
            letters = self._letter_ends(segs)
            seen: set[str] = set()
            out: list[Candidate] = []
            for n in range(len(segs), 0, -1):
                for text in self.lexicon.lookup(segs[:n]):
                    if text not in seen:
                        seen.add(text)
                        out.append(Candidate(text, letters[n - 1]))
                if len(out) >= MAX_CANDIDATES:
                    break
            self._candidates = out[:MAX_CANDIDATES]
        return self._candidates

    def _letter_ends(self, segs: list[str]) -> list[int]:
        """Index in `composing` just after each segment (apostrophes count as consumed)."""
        ends, pos = [], 0
        for seg in segs:
            while self.composing[pos:pos + 1] == "'":
                pos += 1
            pos += len(seg)
            while self.composing[pos:pos + 1] == "'":
                pos += 1
            ends.append(pos)
        return ends

    @property
    def candidates(self) -> list[Candidate]:
        """The page shown in the candidate bar."""
        start = self.page * self.page_size
        return self.all_candidates[start:start + self.page_size]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.all_candidates) // self.page_size))

    def next_page(self) -> bool:
        if self.page + 1 < self.pages:
            self.page += 1
            return True
        return False

    def prev_page(self) -> bool:
        if self.page > 0:
            self.page -= 1
            return True
        return False

    def choose(self, index: int) -> str:
        """Commit candidate `index` of the current page; returns its hanzi. The letters it did not
        use stay in `composing` for the next choice."""
        cand = self.candidates[index]
        self.composing = self.composing[cand.consumed:].lstrip("'")
        self._changed()
        return cand.text

    def commit_letters(self) -> str:
        """Enter pressed while composing: the letters themselves go into the text."""
        text = self.composing.replace("'", "")
        self.clear()
        return text


_shared: Lexicon | None = None
_lock = threading.Lock()


def shared_lexicon(extra_words: Iterable[str] = ()) -> Lexicon:
    """One lexicon per process (building takes about a second: do it off the UI thread)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = Lexicon.build(extra_words)
        return _shared


def guide_words(pack) -> list[str]:
    """The words of a content pack a citizen is likely to type, most important first."""
    words: list[str] = []
    for word in pack.synonyms:
        words.append(word)
    for m in sorted(pack.matters, key=lambda m: -m.popularity):
        words += [*m.keywords, *m.aliases, m.name]
    for t in pack.themes:
        words += [t.name, *t.aliases]
    words += [d.short for d in pack.departments.values()]
    words += list(pack.glossary)
    # the hanzi runs of names, e.g. 身份证 and 换领 out of 居民身份证换领, as 2-6 character pieces
    for m in pack.matters:
        name = "".join(c if "\u3400" <= c <= "\u9fff" else " " for c in m.name)
        for run in name.split():
            for n in (6, 5, 4, 3, 2):
                words += [run[i:i + n] for i in range(len(run) - n + 1)]
    return words
