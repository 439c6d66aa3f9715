"""Chinese line breaking for every Label: no line starts with closing punctuation (，。、」…), none ends
with opening punctuation (「（“), and a paragraph does not end with one character alone on its line.

Kivy wraps Chinese text anywhere, so "。" or "」。" can stand alone at the start of a line. Before Kivy lays
out a paragraph that contains Chinese, `layout_text` here breaks it itself (the usual 避头尾 rules: the
character before a closing mark moves down with it) and hands Kivy lines that already fit.
"""
from __future__ import annotations

import re

CLOSING = set("，。、；：？！）」』】》〉”’,.;:!?)%…～")
OPENING = set("（「『【《〈“‘(")
# Compiling a character class over the CJK block costs ~5 ms of Python (re builds a 64k-entry map), and
# this module is loaded before the attract screen's first frame: Chinese is found without re, and the
# tokenizer (needed only when a paragraph must be broken) is compiled on first use.
_CJK_RANGES = (("\u3000", "\u303f"), ("\u3400", "\u9fff"), ("\uff00", "\uffef"))
_TOKEN_PATTERN = (r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2026\u00b7\u2014]|\s+"
                  r"|[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2026\u00b7\u2014]+")
_token: list[re.Pattern] = []

_installed = False


def has_cjk(text: str) -> bool:
    """Whether `text` contains a Chinese character or full-width punctuation."""
    for char in text:
        if char >= "\u3000" and any(low <= char <= high for low, high in _CJK_RANGES):
            return True
    return False


def _tokens(text: str) -> list[str]:
    if not _token:
        _token.append(re.compile(_TOKEN_PATTERN))
    return _token[0].findall(text)


def starts_badly(line: str) -> bool:
    """A line that starts with closing punctuation."""
    line = line.lstrip()
    return bool(line) and line[0] in CLOSING


def wrap_paragraph(text: str, width: float, measure) -> list[str]:
    """`text` (one paragraph) broken into lines no wider than `width`, by the rules above."""
    tokens = _tokens(text)
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in tokens:
        w = measure(token)
        line = lines[-1]
        if line and used + w > width and not token.isspace():
            carry: list[str] = []
            # the break would put closing punctuation first, or leave opening punctuation last: move more down
            while len(line) > 1 and ((carry[0] if carry else token)[0] in CLOSING or line[-1][-1] in OPENING):
                carry.insert(0, line.pop())
            while line and line[-1].isspace():
                line.pop()
            lines.append(carry)
            used = sum(measure(t) for t in carry)
            line = lines[-1]
        if token.isspace() and not line:
            continue
        line.append(token)
        used += w
    # one character alone on the last line: take one more along, if the line before keeps at least two
    if len(lines) > 1:
        last = "".join(lines[-1]).strip()
        core = [c for c in last if c not in CLOSING]
        if len(core) <= 1 and len(lines[-2]) > 2:
            lines[-1].insert(0, lines[-2].pop())
    return ["".join(line).rstrip() for line in lines]


def prewrap(text: str, width: float, measure) -> str:
    """`text` with its Chinese paragraphs broken into lines of at most `width` (others untouched)."""
    out = []
    for paragraph in text.split("\n"):
        if has_cjk(paragraph) and measure(paragraph) > width:
            out.append("\n".join(wrap_paragraph(paragraph, width, measure)))
        else:
            out.append(paragraph)
    return "\n".join(out)


def install() -> None:
    """Route Kivy's plain-text layout through `prewrap` (markup labels keep Kivy's own)."""
    global _installed
    if _installed:
        return
    import kivy.core.text as core_text
    original = core_text.layout_text

    def layout_text(text, lines, size, text_size, options, get_extents, append_down, complete):
        uw = text_size[0]
        if uw is not None and text and not options.get("shorten") and has_cjk(text):
            pad = options.get("padding", (0, 0, 0, 0))
            pad_x = (pad[0] + pad[2]) if isinstance(pad, (list, tuple)) and len(pad) == 4 else 0
            width = uw - pad_x - 1
            if width > 0:
                text = prewrap(text, width, lambda s: get_extents(s)[0])
        return original(text, lines, size, text_size, options, get_extents, append_down, complete)

    core_text.layout_text = layout_text
    _installed = True
