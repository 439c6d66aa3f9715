"""Search the guides the way people type on a kiosk: 身份证, shenfenzheng, sfz, shenfz, 老年证, shenfnzheng.

How it stays fast on every keystroke (bench/guide_search.py measures it on 10,000 matters):
- Every searchable text of a matter (name, aliases, synonym words, keywords, department) is a
  *term*. Terms are deduplicated and laid end to end in two big strings, one of hanzi
  ("\\n身份证\\n…") and one of pinyin syllables ("\\n|shen|fen|zheng|\\n…"), in order of static
  priority. A query is one C-speed `str.find` / compiled-regex scan over those strings.
- Pinyin of any kind — full (shenfenzheng), initials (sfz), or mixed (shenfz, sfzheng) — is one
  regular expression: each typed letter either continues the current syllable or starts the next
  one (`\\|s(?:[a-z0-9]*\\|)?f(?:[a-z0-9]*\\|)?z`). The separators keep matches inside one term.
- Incremental: the hits of a query are a subset of the hits of any prefix of it, so when the last
  query's hits were a small complete set, the next keystroke only re-checks those.
- Broad queries stop scanning after MAX_TERMS hits (terms are in priority order, and matches at
  the start of a term are collected first); the citizen keeps typing anyway.
- Typos (one letter wrong, missing, extra or two letters swapped; the first letter is taken as
  typed) are a fallback when the exact search finds little: the query is corrected against the
  distinct syllable-anchored pinyin suffixes of the pack, then searched exactly.
- A hanzi query that finds nothing is retried by its pinyin (身分证 → 身份证), then by its longest
  known piece (身份证丢了怎么办 → 身份证).
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable

from pypinyin import Style, lazy_pinyin

from kiosk.guides.model import Matter, Pack

W_NAME, W_ALIAS, W_SYNONYM, W_KEYWORD, W_DEPT = 100, 90, 85, 60, 40
MAX_TERMS = 150          # stop a broad scan after this many matching terms
RANK_BUDGET = 400        # postings looked at when ranking a broad query
PER_TERM = 60            # of one term's postings (a keyword like 登记 has thousands)
CACHE_SIZE = 64
TYPO_MIN_LEN = 4         # shorter typed strings are too ambiguous to correct
SUFFIX_LEN = 16          # typo correction looks this far into a term's pinyin
_HANZI = re.compile(r"[\u3400-\u9fff]")
_DROP = re.compile(r"[\s'’·,，。.、()（）\-]+")


def to_syllables(text: str) -> list[str]:
    """Tone-less pinyin syllables of a text; digits and Latin letters stay as typed, lower-cased."""
    out = []
    for piece in lazy_pinyin(_DROP.sub("", text).lower(), style=Style.NORMAL, errors="default"):
        piece = re.sub(r"[^a-z0-9]", "", piece.lower())
        if piece:
            out.append(piece)
    return out


def normalize_query(query: str) -> str:
    """Lower-case, without spaces, apostrophes and punctuation; ü typed as v."""
    return _DROP.sub("", query).lower().replace("ü", "v")


@dataclass
class Hit:
    """One matter found: `score` ranks (higher first); `term` is the text that matched."""
    code: str
    name: str
    score: float
    term: str
    how: str          # hanzi | pinyin | typo | homophone | partial

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "score": round(self.score, 2)}


class _Term:
    __slots__ = ("text", "syl", "full", "postings", "ranked", "top_weight")

    def __init__(self, text: str):
        self.text = text
        self.syl = to_syllables(text)
        self.full = "".join(self.syl)
        self.postings: dict[int, int] = {}   # matter index -> weight of this term for it


def prefix_ed1(q: str, s: str) -> str | None:
    """If some prefix of `s` is within one edit (substitution, insertion, deletion, swap of two
    neighbours) of `q`, return that prefix, else None. Runs in O(len(q)) with startswith."""
    n = len(q)
    i = 0
    limit = min(n, len(s))
    while i < limit and q[i] == s[i]:
        i += 1
    if i == n:
        return q
    if i + 1 <= len(s) and s.startswith(q[i + 1:], i + 1) and len(s) >= n:     # one letter wrong
        return s[:n]
    if i + 1 < n and i + 1 < len(s) and q[i] == s[i + 1] and q[i + 1] == s[i] \
            and s.startswith(q[i + 2:], i + 2) and len(s) >= n:                  # two letters swapped
        return s[:n]
    if s.startswith(q[i + 1:], i):                                               # one letter too many
        return s[:n - 1]
    if i < len(s) and s.startswith(q[i:], i + 1):                                # one letter missing
        return s[:n + 1]
    return None


class SearchIndex:
    """Ranked, incremental search over matters. Build once per pack and level; `search` per key."""

    def __init__(self, matters: Iterable[Matter], synonyms: dict[str, list[str]] | None = None,
                 departments: dict[str, str] | None = None):
        self.matters = list(matters)
        synonyms = synonyms or {}
        departments = departments or {}
        terms: dict[str, _Term] = {}

        def add(text: str, idx: int, weight: int) -> None:
            text = text.strip().lower()
            if not text:
                return
            term = terms.get(text)
            if term is None:
                term = terms[text] = _Term(text)
            if term.postings.get(idx, 0) < weight:
                term.postings[idx] = weight

        for idx, m in enumerate(self.matters):
            add(m.name, idx, W_NAME)
            for a in m.aliases:
                add(a, idx, W_ALIAS)
            for k in m.keywords:
                add(k, idx, W_KEYWORD)
            if m.department in departments:
                add(departments[m.department], idx, W_DEPT)
            names = [m.name, *m.aliases]
            for word, targets in synonyms.items():
                if any(t in n for t in targets for n in names):
                    add(word, idx, W_SYNONYM)

        # static priority: strongest weight first, then the most asked-for matter, then shortest
        def priority(t: _Term):
            best = max(t.postings.items(), key=lambda kv: (kv[1], self.matters[kv[0]].popularity))
            return (-best[1], -self.matters[best[0]].popularity, len(t.text), t.text)

        self.terms: list[_Term] = sorted(terms.values(), key=priority)
        for t in self.terms:
            t.ranked = sorted(t.postings.items(), key=lambda kv: (-kv[1], -self.matters[kv[0]].popularity))
            t.top_weight = t.ranked[0][1]
        self._hanzi, self._hanzi_starts = self._lay_out([t.text for t in self.terms])
        self._pinyin, self._pinyin_starts = self._lay_out(
            ["|" + "|".join(t.syl) + "|" if t.syl else "" for t in self.terms])
        self._suffixes = self._anchored_suffixes()
        self._cache: OrderedDict[tuple[str, str], tuple[list[int], tuple[int, int] | None]] = OrderedDict()

    @classmethod
    def for_pack(cls, pack: Pack, level: str | None = None) -> "SearchIndex":
        """Index of the matters a terminal at `level` offers (all matters when level is None)."""
        view = pack.for_level(level) if level else pack
        return cls(view.matters, pack.synonyms, {d.id: d.short or d.name for d in pack.departments.values()})

    # -- building -----------------------------------------------------------------------------
    @staticmethod
    def _lay_out(texts: list[str]) -> tuple[str, list[int]]:
        """"\\n" + texts joined by "\\n": starts[i] is the offset of text i's first character."""
        starts, pos, parts = [], 1, []
        for t in texts:
            starts.append(pos)
            parts.append(t)
            pos += len(t) + 1
        return "\n" + "\n".join(parts) + "\n", starts

    def _anchored_suffixes(self) -> dict[str, list[str]]:
        """Distinct pinyin suffixes starting at a syllable, by first letter (for typo correction)."""
        seen: dict[str, set[str]] = {}
        for t in self.terms:
            for i in range(len(t.syl)):
                s = "".join(t.syl[i:])[:SUFFIX_LEN]
                seen.setdefault(s[0], set()).add(s)
        return {k: sorted(v) for k, v in seen.items()}

    # -- scanning -----------------------------------------------------------------------------
    def _scan(self, big: str, starts: list[int], patterns: tuple[re.Pattern, re.Pattern],
              hits: dict[int, tuple[bool, int]], state: tuple[int, int] = (0, 0)
              ) -> tuple[int, int] | None:
        """Add matching terms to `hits` (term id -> (at start, syllables or characters matched)).
        Pass 0 finds matches at a term's start, pass 1 anywhere. Returns None when the whole
        string was scanned, else the (pass, position) to resume from once MAX_TERMS were found."""
        for pass_no in range(state[0], 2):
            pat = patterns[pass_no]
            pos = state[1] if pass_no == state[0] else 0
            while True:
                m = pat.search(big, pos)
                if m is None:
                    break
                tid = bisect_right(starts, m.start() + 1) - 1
                if tid not in hits:
                    text = m.group()
                    hits[tid] = (pass_no == 0 or big[m.start() - 1] == "\n", text.count("|") or len(text))
                # one hit per term is enough: jump to the next term
                pos = starts[tid + 1] - 1 if tid + 1 < len(starts) else len(big)
                if len(hits) >= MAX_TERMS:
                    return (pass_no, pos)
        return None

    def _pinyin_pattern(self, q: str) -> str:
        body = re.escape(q[0]) + "".join(r"(?:[a-z0-9]*\|)?" + re.escape(c) for c in q[1:])
        return r"\|" + body

    def _match(self, kind: str, q: str) -> dict[int, tuple[bool, float]]:
        """term id -> (matches at the term's start, share of the term covered 0..1).

        Narrows from the longest cached prefix of q: its hits are re-checked one by one, and a
        scan that stopped early resumes where it stopped (hits of q lie within hits of its prefix)."""
        if kind == "h":
            big, starts = self._hanzi, self._hanzi_starts
            body = re.escape(q)
        else:
            big, starts = self._pinyin, self._pinyin_starts
            body = self._pinyin_pattern(q)
        patterns = (re.compile("\n" + body), re.compile(body))
        hits: dict[int, tuple[bool, int]] = {}
        prior = None
        for k in range(len(q) - 1, 0, -1):
            prior = self._cache.get((kind, q[:k]))
            if prior is not None:
                break
        if prior is None:
            state = self._scan(big, starts, patterns, hits)
        else:
            ids, prior_state = prior
            # A scan that stopped early had seen matches inside a term only up to where it
            # stopped (none at all in pass 0); later ones are left to the resumed scan, so that
            # narrowing finds exactly what a fresh scan would.
            inner_until = len(big) if prior_state is None else (prior_state[1] if prior_state[0] == 1 else 0)
            for tid in ids:
                start = starts[tid]
                end = starts[tid + 1] - 1 if tid + 1 < len(starts) else len(big) - 1
                m = patterns[1].search(big, start, end)
                if m and (m.start() == start or start < inner_until):
                    text = m.group()
                    hits[tid] = (m.start() == start, text.count("|") or len(text))
            state = None if prior_state is None else self._scan(big, starts, patterns, hits, prior_state)
        self._cache[(kind, q)] = (list(hits), state)
        self._cache.move_to_end((kind, q))
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        out = {}
        for tid, (at_start, n) in hits.items():
            t = self.terms[tid]
            size = len(t.syl) if kind == "p" else len(t.text)
            out[tid] = (at_start, min(1.0, n / max(1, size)))
        return out

    def _corrections(self, q: str, limit: int = 3) -> list[str]:
        """Spellings one edit away from q that some term's pinyin starts with (most common first).

        A citizen notices a typo when the results vanish, so it is usually near the end: look
        first among suffixes sharing all but the last two letters, then the first two, then
        only the first letter (suffix lists are sorted, so each tier is a bisect range)."""
        pool = self._suffixes.get(q[0], [])
        for keep in (len(q) - 2, 2, 1):
            if keep < 1 or keep > len(q):
                continue
            head = q[:keep]
            lo, hi = bisect_left(pool, head), bisect_left(pool, head + "\x7f")
            counts: dict[str, int] = {}
            for s in pool[lo:hi]:
                fixed = prefix_ed1(q, s)
                if fixed and fixed != q:
                    counts[fixed] = counts.get(fixed, 0) + 1
            if counts:
                return [f for f, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
        return []

    def _rank(self, found: dict[int, tuple[bool, float, float, str]], limit: int) -> list[Hit]:
        """Matters by their best term. Terms go strongest first and each term's postings are
        pre-sorted, so a broad query stops after RANK_BUDGET postings instead of visiting every
        matter that shares a common word such as 登记."""
        def bound(item):
            tid, (at_start, coverage, factor, _) = item
            top = self.terms[tid].top_weight
            return (top * (0.6 + 0.4 * coverage) + (8 if at_start else 0) + 5) * factor

        best: dict[int, tuple[float, str, str]] = {}
        visited = 0
        for tid, (at_start, coverage, factor, how) in sorted(found.items(), key=lambda it: (-bound(it), it[0])):
            if visited >= RANK_BUDGET and len(best) >= limit:
                break
            term = self.terms[tid]
            for idx, weight in term.ranked[:PER_TERM]:
                visited += 1
                pop = self.matters[idx].popularity
                score = (weight * (0.6 + 0.4 * coverage) + (8 if at_start else 0) + 0.05 * pop) * factor
                if score > best.get(idx, (-1.0,))[0]:
                    best[idx] = (score, term.text, how)
        order = heapq.nsmallest(limit, best.items(), key=lambda kv: (
            -kv[1][0], -self.matters[kv[0]].popularity, len(self.matters[kv[0]].name), self.matters[kv[0]].code))
        return [Hit(self.matters[i].code, self.matters[i].name, s, term, how)
                for i, (s, term, how) in order[:limit]]

    @staticmethod
    def _pieces(q: str, tries: int = 24) -> list[str]:
        """Hanzi runs of q cut into pieces, longest first (at least two characters)."""
        runs = [r for r in re.findall(r"[\u3400-\u9fff]+", q) if len(r) >= 2]
        pieces = {r[i:i + n] for r in runs for n in range(2, len(r) + 1) for i in range(len(r) - n + 1)}
        pieces.discard(q)
        return sorted(pieces, key=lambda p: (-len(p), q.index(p)))[:tries]

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Best matters for what has been typed so far, best first."""
        q = normalize_query(query)
        if not q:
            return []
        found: dict[int, tuple[bool, float, float, str]] = {}
        if _HANZI.search(q):
            for tid, (st, cov) in self._match("h", q).items():
                found[tid] = (st, cov, 1.0, "hanzi")
            if not found:   # a wrong character with the right sound, or hanzi mixed with pinyin
                py = "".join(to_syllables(q))
                if py:
                    for tid, (st, cov) in self._match("p", py).items():
                        found[tid] = (st, cov, 0.75, "homophone")
            if not found:   # a sentence: 身份证丢了怎么办 -> the longest known piece, 身份证
                for piece in self._pieces(q):
                    hits = self._match("h", piece)
                    if hits:
                        for tid, (st, cov) in hits.items():
                            found[tid] = (st, cov, 0.7, "partial")
                        break
            return self._rank(found, limit)
        for tid, (st, cov) in self._match("p", q).items():
            found[tid] = (st, cov, 1.0, "pinyin")
        if len(found) < 3 and len(q) >= TYPO_MIN_LEN:
            for fixed in self._corrections(q):
                for tid, (st, cov) in self._match("p", fixed).items():
                    found.setdefault(tid, (st, cov, 0.8, "typo"))
        return self._rank(found, limit)
