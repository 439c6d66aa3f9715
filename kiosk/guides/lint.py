"""`content lint PATH`: everything wrong with a content pack, with file and line.

Beyond the structure (kiosk/guides/loader.py) it checks what a citizen would trip over: pictures
that are missing or cannot be opened, sentences too long for plain language, and listed jargon
used without a plain explanation.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from kiosk.guides.folders import inside_pack
from kiosk.guides.loader import PACK_FILE, Problem, parse_pack, read_yaml
from kiosk.guides.model import Pack

# Fields read by citizens: they must be plain. (Legal basis, names and codes are not prose.)
PLAIN_PATHS = ("summary", "plain_name", "conditions.*", "steps.*.title", "steps.*.text", "materials.*.note",
               "materials.*.annotations.*.text", "faq.*.q", "faq.*.a", "case.story", "case.panels.*.text")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
# punctuation and spaces do not make a sentence harder to read
_NOT_COUNTED = re.compile(r"[\s，、：:,.“”\"'（）()《》\-—]")


def sentences(text: str) -> list[str]:
    """Split prose into sentences at 。！？； and line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def sentence_length(sentence: str) -> int:
    """Length as a reader feels it: characters without punctuation; a Latin word or number counts once."""
    s = _NOT_COUNTED.sub("", sentence)
    s = re.sub(r"[A-Za-z0-9]+", "x", s)
    return len(s)


def name_length(name: str) -> int:
    """Characters of a name as read, brackets and punctuation not counted."""
    return len(_NOT_COUNTED.sub("", name))


def _walk(data: Any, pattern: tuple[str, ...], path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if not pattern:
        if isinstance(data, str):
            yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _walk(item, rest, path + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, path + (head,))


def _line(lines: dict[tuple, int], path: tuple) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _check_prose(file: str, data: Any, lines: dict, patterns: tuple[str, ...], pack: Pack,
                 local_glossary: dict, problems: list[Problem]) -> None:
    for pattern in patterns:
        for path, text in _walk(data, tuple(pattern.split("."))):
            for s in sentences(text):
                n = sentence_length(s)
                if n > pack.max_sentence:
                    problems.append(Problem(file, _line(lines, path),
                                            f"sentence of {n} characters is too long for plain language "
                                            f"(at most {pack.max_sentence}): “{s[:20]}…”"))
            for term in pack.jargon:
                if term in text and term not in local_glossary and term not in pack.glossary:
                    problems.append(Problem(file, _line(lines, path),
                                            f"jargon “{term}” has no plain explanation "
                                            "(add it to glossary in pack.yaml or in this matter)"))


def _check_picture(root: Path, rel: str, file: str, line: int, problems: list[Problem]) -> None:
    from PIL import Image, UnidentifiedImageError
    if not rel:
        return
    path = (root / rel)
    if not inside_pack(root, path):
        problems.append(Problem(file, line, f"picture {rel} is outside the pack"))
        return
    if not path.is_file():
        problems.append(Problem(file, line, f"picture {rel} is missing"))
        return
    try:
        with Image.open(path) as im:
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        problems.append(Problem(file, line, f"picture {rel} cannot be read: {exc}"))


def lint_pack(root: str | Path) -> list[Problem]:
    """All problems of the pack at `root`, errors and warnings, sorted by file and line."""
    root = Path(root)
    pack, problems = parse_pack(root)
    if pack is None:
        return problems
    meta, meta_lines = read_yaml(root / PACK_FILE)
    for key, mat in (meta.get("materials") or {}).items() if isinstance(meta, dict) else ():
        if isinstance(mat, dict):
            _check_prose(PACK_FILE, mat, meta_lines, ("note", "annotations.*.text"), pack, {}, problems)
            _check_picture(root, str(mat.get("sample") or ""), PACK_FILE,
                           _line(meta_lines, ("materials", key, "sample")), problems)
    for term in pack.jargon:
        if term in pack.glossary and not pack.glossary[term].strip():
            problems.append(Problem(PACK_FILE, _line(meta_lines, ("glossary", term)),
                                    f"glossary entry “{term}” is empty"))
    for m in pack.matters:
        data, lines = read_yaml(root / m.source)
        _check_prose(m.source, data, lines, PLAIN_PATHS, pack, m.glossary, problems)
        for i, step in enumerate(m.steps):
            _check_picture(root, step.picture, m.source, _line(lines, ("steps", i, "picture")), problems)
        if m.case is not None:
            for i, panel in enumerate(m.case.panels):
                _check_picture(root, panel.picture, m.source, _line(lines, ("case", "panels", i)), problems)
                if len(sentences(panel.text)) > 1:
                    problems.append(Problem(m.source, _line(lines, ("case", "panels", i)),
                                            "a picture of the case story has one sentence", "warning"))
        if m.video is not None:
            from kiosk.guides.subtitles import check_video
            problems += check_video(root, m.video, m.source, _line(lines, ("video",)))
        for i, mat in enumerate(m.materials):
            where = _line(lines, ("materials", i))
            if mat.sample:
                _check_picture(root, mat.sample, m.source, where, problems)
            elif not mat.e_certificate:
                problems.append(Problem(m.source, where, f"material “{mat.name}” has no sample picture",
                                        "warning"))
            if mat.e_certificate and not mat.licence:
                problems.append(Problem(m.source, where, f"material “{mat.name}” is replaceable by an e-licence "
                                        "(e_certificate) but names no `licence` type to fetch", "warning"))
        if name_length(m.name) > pack.long_name and not m.plain_name.strip():
            problems.append(Problem(m.source, _line(lines, ("name",)),
                                    f"name “{m.name}” is long ({name_length(m.name)} characters, more than "
                                    f"long_name {pack.long_name}): add plain_name, what it means in everyday words",
                                    "warning"))
        if len(m.summary) and len(sentences(m.summary)) > 1:
            problems.append(Problem(m.source, _line(lines, ("summary",)),
                                    "summary (您需要做什么) should be one sentence", "warning"))
    for t in pack.themes:
        data, lines = read_yaml(root / t.source)
        _check_prose(t.source, data, lines, ("summary",), pack, {}, problems)
        for key in ("form", "picture"):
            _check_picture(root, getattr(t, key), t.source, _line(lines, (key,)), problems)
    for policy in pack.policies:
        data, lines = read_yaml(root / policy.source)
        _check_prose(policy.source, data, lines, ("benefit", "conditions.*.because"), pack, {}, problems)
        if len(sentences(policy.benefit)) > 1:
            problems.append(Problem(policy.source, _line(lines, ("benefit",)),
                                    f"policy '{policy.id}': benefit should be one sentence", "warning"))
    problems.sort(key=lambda p: (p.file, p.line, p.message))
    return problems


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
