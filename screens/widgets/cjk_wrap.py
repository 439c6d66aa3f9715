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


def wrap_tokens(tokens: list[str], widths: list[float], width: float) -> list[list[int]]:
    """The indices of `tokens` (with their `widths`) on each line of at most `width`, by the rules above
    (spaces at a break are dropped)."""
    lines: list[list[int]] = [[]]
    used = 0.0
    for i, token in enumerate(tokens):
        w = widths[i]
        line = lines[-1]
        if line and used + w > width and not token.isspace():
            carry: list[int] = []
            # the break would put closing punctuation first, or leave opening punctuation last: move more down
            while len(line) > 1 and (tokens[carry[0] if carry else i][0] in CLOSING or
                                     tokens[line[-1]][-1] in OPENING):
                carry.insert(0, line.pop())
            while line and tokens[line[-1]].isspace():
                line.pop()
            lines.append(carry)
            used = sum(widths[j] for j in carry)
            line = lines[-1]
        if token.isspace() and not line:
            continue
        line.append(i)
        used += w
    # one character alone on the last line: take one more along, if the line before keeps at least two
    if len(lines) > 1:
        last = "".join(tokens[j] for j in lines[-1]).strip()
        core = [c for c in last if c not in CLOSING]
        if len(core) <= 1 and len(lines[-2]) > 2:
            lines[-1].insert(0, lines[-2].pop())
    for line in lines:
        while line and tokens[line[-1]].isspace():
            line.pop()
    return lines


def wrap_paragraph(text: str, width: float, measure) -> list[str]:
    """`text` (one paragraph) broken into lines no wider than `width`, by the rules above."""
    tokens = _tokens(text)
    lines = wrap_tokens(tokens, [measure(t) for t in tokens], width)
    return ["".join(tokens[j] for j in line) for line in lines]


def prewrap(text: str, width: float, measure) -> str:
    """`text` with its Chinese paragraphs broken into lines of at most `width` (others untouched)."""
    out = []
    for paragraph in text.split("\n"):
        if has_cjk(paragraph) and measure(paragraph) > width:
            out.append("\n".join(wrap_paragraph(paragraph, width, measure)))
        else:
            out.append(paragraph)
    return "\n".join(out)


# Kivy's markup tags (kivy/core/text/markup.py); anything else in brackets is shown as text. A paragraph with
# a tag that changes the size or the font of what follows (other than bold and italic) keeps Kivy's own breaking.
_TAGS = ("[b]", "[/b]", "[i]", "[/i]", "[u]", "[/u]", "[s]", "[/s]", "[/size]", "[/color]", "[/font]",
         "[/font_family]", "[/font_context]", "[/font_features]", "[/text_language]", "[/sub]", "[/sup]", "[/ref]")
_TAG_STARTS = ("[size=", "[color=", "[font=", "[font_family=", "[font_context=", "[font_features=",
               "[text_language=", "[sub]", "[sup]", "[ref=", "[anchor=")
_WIDTH_TAGS = ("[size=", "[font=", "[font_family=", "[font_context=", "[font_features=", "[sub]", "[sup]")
_WIDTH_ENDS = ("[/size]", "[/font]", "[/font_family]", "[/font_context]", "[/font_features]", "[/sub]", "[/sup]")
_markup_re: list[re.Pattern] = []


def _is_tag(item: str) -> bool:
    return item in _TAGS or item.startswith(_TAG_STARTS)


def prewrap_markup(text: str, width: float, extents_for, style: tuple[bool, bool] = (False, False)) -> str:
    """Markup `text` with newlines put in where its Chinese paragraphs must break, by the rules above.
    `extents_for((bold, italic))` gives a function that measures a string in that style (called once per
    style); `style` is the label's own."""
    if not _markup_re:
        _markup_re.extend([re.compile(r"(\[.*?\])"), re.compile(r"&bl;|&br;|&amp;|.", re.DOTALL)])
    items = [x for x in _markup_re[0].split(text) if x]
    units: list[tuple[str, str, tuple[bool, bool]]] = []   # (as written, as shown, style) of each character
    starts: list[int] = []                                  # the unit each item starts at
    sized: set[int] = set()                                 # units in another size or font: left to Kivy
    bold, italic, depth = [style[0]], [style[1]], 0
    for item in items:
        starts.append(len(units))
        if item.startswith(_WIDTH_TAGS) or item in _WIDTH_ENDS:
            depth = max(0, depth + (-1 if item in _WIDTH_ENDS else 1))
            continue
        if _is_tag(item):
            for tag, stack in (("b", bold), ("i", italic)):
                if item == f"[{tag}]":
                    stack.append(True)
                elif item == f"[/{tag}]" and len(stack) > 1:
                    stack.pop()
            continue
        for unit in _markup_re[1].findall(item):
            shown = {"&bl;": "[", "&br;": "]", "&amp;": "&"}.get(unit, unit)
            if depth:
                sized.add(len(units))
            units.append((unit, shown, (bold[-1], italic[-1])))
    # each paragraph: its tokens as (first unit, end unit), and the pieces of one style to measure
    paragraphs, begin = [], 0
    for i in range(len(units) + 1):
        if i == len(units) or units[i][1] == "\n":
            plain = "".join(u[1] for u in units[begin:i])
            if has_cjk(plain) and not any(begin <= k < i for k in sized):
                spans, at = [], begin
                for token in _tokens(plain):
                    spans.append((at, at + len(token)))
                    at += len(token)
                paragraphs.append(spans)
            begin = i + 1
    if not paragraphs:
        return text

    def pieces(a: int, b: int):
        run = a
        for j in range(a + 1, b + 1):
            if j == b or units[j][2] != units[run][2]:
                yield "".join(u[1] for u in units[run:j]), units[run][2]
                run = j
    wanted: dict[tuple[bool, bool], set[str]] = {}
    for spans in paragraphs:
        for a, b in spans:
            for piece, st in pieces(a, b):
                wanted.setdefault(st, set()).add(piece)
    widths: dict[tuple[str, tuple[bool, bool]], float] = {}
    for st, strings in wanted.items():
        measure = extents_for(st)
        widths.update({(piece, st): measure(piece) for piece in strings})
    breaks: set[int] = set()      # a new line starts before these units
    dropped: set[int] = set()     # spaces where a line breaks
    for spans in paragraphs:
        tokens = ["".join(u[1] for u in units[a:b]) for a, b in spans]
        token_widths = [sum(widths[p] for p in pieces(a, b)) for a, b in spans]
        if sum(token_widths) <= width:
            continue
        lines = wrap_tokens(tokens, token_widths, width)
        kept = {j for line in lines for j in line}
        for j, (a, b) in enumerate(spans):
            if j not in kept:
                dropped.update(range(a, b))
        breaks.update(spans[line[0]][0] for line in lines[1:] if line)
    if not breaks:
        return text
    out = []
    for n, item in enumerate(items):
        if _is_tag(item):
            out.append(item)
            continue
        end = starts[n + 1] if n + 1 < len(starts) else len(units)
        for k in range(starts[n], end):
            if k in breaks:
                out.append("\n")
            if k not in dropped:
                out.append(units[k][0])
    return "".join(out)


def _markup_pre_render(original):
    """MarkupLabel._pre_render that lays out `prewrap_markup`'s text (Kivy's own breaking does the rest)."""
    def _pre_render(self):
        text, options = self._text, self.options
        uw = self.text_size[0]
        if uw is None or not text or options.get("shorten") or not has_cjk(text):
            return original(self)
        pad = options.get("padding", (0, 0, 0, 0))
        width = uw - ((pad[0] + pad[2]) if isinstance(pad, (list, tuple)) and len(pad) == 4 else 0) - 1
        saved = options["bold"], options["italic"]

        def extents_for(style):
            options["bold"], options["italic"] = style
            self.resolve_font_name()
            return lambda s: self.get_extents(s)[0]
        try:
            wrapped = prewrap_markup(text, width, extents_for, style=saved) if width > 0 else text
        finally:
            options["bold"], options["italic"] = saved
            self.resolve_font_name()
        self._text = wrapped
        try:
            return original(self)
        finally:
            self._text = text
    return _pre_render


def install() -> None:
    """Route Kivy's plain-text layout through `prewrap`, and a markup label's through `prewrap_markup`."""
    global _installed
    if _installed:
        return
    import kivy.core.text as core_text
    from kivy.core.text.markup import MarkupLabel
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
    MarkupLabel._pre_render = _markup_pre_render(MarkupLabel._pre_render)
    _installed = True
