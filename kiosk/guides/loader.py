"""Read a content pack folder (pack.yaml, matters/*.yaml, themes/*.yaml) into kiosk.guides.model.

Every problem is collected with its file and line rather than raised at the first one, so that
`content lint` can list them all and an author fixes a pack in one pass. `load_pack` raises
PackError when anything is wrong: the terminal never shows a half-valid pack.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.guides.model import (FORMS, LEVELS, LICENCE_TYPES, Annotation, Department, Faq, Material, Matter,
                                Pack, ReviewRule, Step, Theme, TimeLimit)
from kiosk.review.kinds import CHECKS, KINDS

PACK_FILE = "pack.yaml"
FORMAT = 1
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, where an author finds it."""
    file: str
    line: int
    message: str
    severity: str = "error"   # error | warning

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class PackError(ValueError):
    """The pack cannot be used; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:3])
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"invalid content pack: {head}{more}")


# -- YAML with line numbers ---------------------------------------------------------------------

def _construct(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    """Turn a composed node into plain Python, remembering the 1-based line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            out[key] = _construct(value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (i,), lines) for i, v in enumerate(node.value)]
    # scalars: let the safe constructor decide int/bool/str exactly as yaml.safe_load would
    return _Loader("").construct_object(node, deep=True)


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse one YAML file; returns (data, {path tuple: line}). Raises yaml.YAMLError."""
    text = path.read_text(encoding="utf-8")
    node = yaml.compose(text, Loader=_Loader)
    lines: dict[tuple, int] = {}
    if node is None:
        return None, {(): 1}
    return _construct(node, (), lines), lines


class _Ctx:
    """Validation context of one file: typed getters that record problems instead of raising."""

    def __init__(self, file: str, lines: dict[tuple, int], problems: list[Problem]):
        self.file, self.lines, self.problems = file, lines, problems

    def line(self, path: tuple) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def err(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.file, self.line(path), message))

    def get(self, obj: dict, path: tuple, key: str, kind: type | tuple, required: bool = True,
            default: Any = None) -> Any:
        if not isinstance(obj, dict):
            return default
        if key not in obj or obj[key] is None:
            if required:
                self.err(path, f"missing '{key}'")
            return default
        value = obj[key]
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # codes and versions often look like numbers
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            want = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.err(path + (key,), f"'{key}' should be {want}, not {type(value).__name__}")
            return default
        if kind is str and required and not value.strip():
            self.err(path + (key,), f"'{key}' is empty")
        return value

    def strings(self, obj: dict, path: tuple, key: str, required: bool = False) -> list[str]:
        seq = self.get(obj, path, key, list, required, [])
        out = []
        for i, item in enumerate(seq):
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.err(path + (key, i), f"'{key}' items should be text")
        return out

    def unknown(self, obj: dict, path: tuple, known: set[str]) -> None:
        if isinstance(obj, dict):
            for key in obj:
                if key not in known:
                    self.err(path + (key,), f"unknown key '{key}' (typo? see docs/content-pack.md)")


# -- the pieces ---------------------------------------------------------------------------------

_MATERIAL_KEYS = {"id", "ref", "name", "form", "copies", "e_certificate", "licence", "required", "note",
                  "sample", "annotations", "review"}
_REVIEW_KEYS = {"kind", "required"}
_ANNOTATION_KEYS = {"x", "y", "text", "check"}
_MATTER_KEYS = {"code", "name", "department", "summary", "levels", "submit_at_terminal", "aliases",
                "keywords", "kind", "implementing_body", "legal_basis", "conditions", "materials",
                "steps", "time_limit", "fee", "place", "hours", "phone", "delivery", "visits", "faq",
                "case", "glossary", "popularity", "plain_name", "video"}
_THEME_KEYS = {"id", "name", "summary", "matters", "form", "picture", "aliases", "submit_at_terminal"}
_PACK_KEYS = {"format", "id", "title", "version", "region", "notice", "departments", "materials",
              "synonyms", "glossary", "jargon", "max_sentence", "long_name"}


def _material(c: _Ctx, obj: Any, path: tuple, library: dict[str, dict]) -> Material | None:
    if not isinstance(obj, dict):
        c.err(path, "a material should be a mapping")
        return None
    c.unknown(obj, path, _MATERIAL_KEYS)
    base: dict = {}
    if "ref" in obj:
        ref = obj["ref"]
        if ref not in library:
            c.err(path + ("ref",), f"material ref '{ref}' is not in pack.yaml materials")
        else:
            base = dict(library[ref])
            base.setdefault("id", ref)
    merged = {**base, **{k: v for k, v in obj.items() if k != "ref"}}
    mid = c.get(merged, path, "id", str)
    name = c.get(merged, path, "name", str)
    form = c.get(merged, path, "form", str, False, "original")
    if form not in FORMS:
        c.err(path + ("form",), f"form '{form}' should be one of {', '.join(FORMS)}")
    copies = c.get(merged, path, "copies", int, False, 1)
    anns = []
    for i, a in enumerate(c.get(merged, path, "annotations", list, False, [])):
        ap = path + ("annotations", i)
        if isinstance(a, dict):
            c.unknown(a, ap, _ANNOTATION_KEYS)
        x, y = c.get(a, ap, "x", (int, float), True, 0.5), c.get(a, ap, "y", (int, float), True, 0.5)
        if not (0 <= x <= 1 and 0 <= y <= 1):
            c.err(ap, "annotation x and y are fractions of the picture, between 0 and 1")
        check = c.get(a, ap, "check", str, False, "") if isinstance(a, dict) else ""
        anns.append(Annotation(n=i + 1, x=float(x), y=float(y), text=c.get(a, ap, "text", str, True, ""), check=check))
    if anns and not merged.get("sample"):
        c.err(path, "annotations need a sample picture")
    review = _review(c, merged, path, anns)
    licence = c.get(merged, path, "licence", str, False, "")
    if licence and licence not in LICENCE_TYPES:
        c.err(path + ("licence",), f"licence '{licence}' should be one of {', '.join(LICENCE_TYPES)}")
    e_certificate = c.get(merged, path, "e_certificate", bool, False, False)
    if not e_certificate:
        licence = ""          # a matter that needs the paper itself (e_certificate: false) fetches nothing
    if mid is None or name is None:
        return None
    return Material(id=mid, name=name, form=form, copies=copies, e_certificate=e_certificate, licence=licence,
                    required=c.get(merged, path, "required", bool, False, True),
                    note=c.get(merged, path, "note", str, False, ""),
                    sample=c.get(merged, path, "sample", str, False, ""), annotations=anns, review=review)


def _review(c: _Ctx, merged: dict, path: tuple, anns: list[Annotation]) -> ReviewRule | None:
    """The material's `review` rules, checked against kiosk/review/kinds.py; annotations' `check`s
    must be checks its kind makes."""
    raw = merged.get("review")
    checks_made: tuple[str, ...] = ()
    rule = None
    if raw is not None:
        rp = path + ("review",)
        if not isinstance(raw, dict):
            c.err(rp, "review should be a mapping {kind, required}")
        else:
            c.unknown(raw, rp, _REVIEW_KEYS)
            kind = c.get(raw, rp, "kind", str, True, "generic")
            required = c.get(raw, rp, "required", list, False, [])
            if kind not in KINDS:
                c.err(rp + ("kind",), f"review kind '{kind}' should be one of {', '.join(KINDS)}")
            else:
                checks_made = KINDS[kind]
            if required and kind != "form":
                c.err(rp + ("required",), "only a form has required fields")
            if not all(isinstance(r, str) and r for r in required):
                c.err(rp + ("required",), "required fields are the labels printed on the form")
            rule = ReviewRule(kind=kind, required=[str(r) for r in required])
    for i, ann in enumerate(anns):
        if not ann.check:
            continue
        if ann.check not in CHECKS:
            c.err(path + ("annotations", i, "check"), f"check '{ann.check}' should be one of {', '.join(CHECKS)}")
        elif ann.check not in checks_made:
            c.err(path + ("annotations", i, "check"),
                  f"check '{ann.check}' is not made for this material (review kind: {rule.kind if rule else 'none'})")
    return rule


def _matter(c: _Ctx, d: Any, library: dict[str, dict], source: str) -> Matter | None:
    if not isinstance(d, dict):
        c.err((), "a matter file should be a mapping")
        return None
    c.unknown(d, (), _MATTER_KEYS)
    levels = c.strings(d, (), "levels", True)
    for i, lv in enumerate(levels):
        if lv not in LEVELS:
            c.err(("levels", i), f"level '{lv}' should be one of {', '.join(LEVELS)}")
    materials = [m for i, o in enumerate(c.get(d, (), "materials", list, True, []))
                 if (m := _material(c, o, ("materials", i), library))]
    ids = [m.id for m in materials]
    for dup in {i for i in ids if ids.count(i) > 1}:
        c.err(("materials",), f"material '{dup}' is listed twice")
    steps = []
    for i, s in enumerate(c.get(d, (), "steps", list, True, [])):
        p = ("steps", i)
        steps.append(Step(title=c.get(s, p, "title", str, True, ""), text=c.get(s, p, "text", str, True, ""),
                          picture=c.get(s, p, "picture", str, True, "")))
    if not steps and "steps" in d:
        c.err(("steps",), "a matter needs at least one step")
    tl = c.get(d, (), "time_limit", dict, False, {})
    phone = c.get(d, (), "phone", dict, False, {})
    faq = [Faq(q=c.get(f, ("faq", i), "q", str, True, ""), a=c.get(f, ("faq", i), "a", str, True, ""))
           for i, f in enumerate(c.get(d, (), "faq", list, False, []))]
    from kiosk.guides.media import parse_case, parse_video   # 经典案例 panels and 真人讲解 (reads like this module)
    case = parse_case(c, c.get(d, (), "case", dict, False, None))
    video = parse_video(c, d.get("video"))
    glossary = c.get(d, (), "glossary", dict, False, {})
    fee = c.get(d, (), "fee", (str, int, float), False, "免费")
    fields = dict(code=c.get(d, (), "code", str), name=c.get(d, (), "name", str),
                  department=c.get(d, (), "department", str), summary=c.get(d, (), "summary", str))
    if any(v is None for v in fields.values()):
        return None
    return Matter(
        **fields, levels=levels,
        submit_at_terminal=c.get(d, (), "submit_at_terminal", bool, False, False),
        aliases=c.strings(d, (), "aliases"), keywords=c.strings(d, (), "keywords"),
        kind=c.get(d, (), "kind", str, False, "公共服务"),
        implementing_body=c.get(d, (), "implementing_body", str, True, ""),
        legal_basis=c.strings(d, (), "legal_basis", True), conditions=c.strings(d, (), "conditions"),
        materials=materials, steps=steps,
        time_limit=TimeLimit(legal_days=c.get(tl, ("time_limit",), "legal_days", int, False),
                             promised_days=c.get(tl, ("time_limit",), "promised_days", int, False)),
        fee=str(fee), place=c.get(d, (), "place", str, True, ""), hours=c.get(d, (), "hours", str, True, ""),
        phone_ask=c.get(phone, ("phone",), "ask", str, bool(d.get("phone") is not None), ""),
        phone_complain=c.get(phone, ("phone",), "complain", str, False, "12345"),
        delivery=c.strings(d, (), "delivery", True), visits=c.get(d, (), "visits", int, False, 1),
        faq=faq,
        case=case, video=video,
        glossary={str(k): str(v) for k, v in glossary.items()},
        popularity=c.get(d, (), "popularity", int, False, 0),
        plain_name=c.get(d, (), "plain_name", str, False, ""), source=source)


def _theme(c: _Ctx, d: Any, source: str) -> Theme | None:
    if not isinstance(d, dict):
        c.err((), "a theme file should be a mapping")
        return None
    c.unknown(d, (), _THEME_KEYS)
    tid, name, summary = c.get(d, (), "id", str), c.get(d, (), "name", str), c.get(d, (), "summary", str)
    matters = c.strings(d, (), "matters", True)
    if tid is None or name is None or summary is None:
        return None
    return Theme(id=tid, name=name, summary=summary, matters=matters,
                 form=c.get(d, (), "form", str, False, ""), picture=c.get(d, (), "picture", str, False, ""),
                 aliases=c.strings(d, (), "aliases"),
                 submit_at_terminal=c.get(d, (), "submit_at_terminal", bool, False, False), source=source)


def _read(path: Path, root: Path, problems: list[Problem]) -> tuple[Any, _Ctx]:
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        data, lines = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(rel, (mark.line + 1) if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None, _Ctx(rel, {}, problems)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, 1, f"cannot read: {exc}"))
        return None, _Ctx(rel, {}, problems)
    return data, _Ctx(rel, lines, problems)


def parse_pack(root: str | Path) -> tuple[Pack | None, list[Problem]]:
    """Read and check the structure of a pack folder. Returns (pack or None, problems)."""
    root = Path(root)
    problems: list[Problem] = []
    if not (root / PACK_FILE).is_file():
        return None, [Problem(PACK_FILE, 1, f"no {PACK_FILE} in {root}")]
    meta, c = _read(root / PACK_FILE, root, problems)
    if not isinstance(meta, dict):
        if meta is not None:
            c.err((), "pack.yaml should be a mapping")
        return None, problems
    c.unknown(meta, (), _PACK_KEYS)
    fmt = c.get(meta, (), "format", int, True, FORMAT)
    if fmt != FORMAT:
        c.err(("format",), f"format {fmt} is not supported (this software reads format {FORMAT})")
    departments = {}
    for i, dep in enumerate(c.get(meta, (), "departments", list, True, [])):
        did, dname = c.get(dep, ("departments", i), "id", str), c.get(dep, ("departments", i), "name", str)
        if did and dname:
            departments[did] = Department(did, dname, c.get(dep, ("departments", i), "short", str, False, dname))
    library = c.get(meta, (), "materials", dict, False, {})
    synonyms = {}
    for key, val in c.get(meta, (), "synonyms", dict, False, {}).items():
        synonyms[str(key)] = [str(v) for v in (val if isinstance(val, list) else [val])]
    pack_ctx = c
    matters: list[Matter] = []
    for path in sorted((root / "matters").glob("*.yaml")):
        data, mc = _read(path, root, problems)
        if data is not None and (m := _matter(mc, data, library, mc.file)):
            if m.department not in departments:
                mc.err(("department",), f"department '{m.department}' is not in pack.yaml departments")
            matters.append(m)
    if not matters:
        problems.append(Problem("matters/", 1, "the pack has no matters"))
    codes: dict[str, str] = {}
    for m in matters:
        if m.code in codes:
            problems.append(Problem(m.source, 1, f"code {m.code} is also used by {codes[m.code]}"))
        codes[m.code] = m.source
    themes: list[Theme] = []
    for path in sorted((root / "themes").glob("*.yaml")):
        data, tc = _read(path, root, problems)
        if data is not None and (t := _theme(tc, data, tc.file)):
            for i, code in enumerate(t.matters):
                if code not in codes:
                    tc.err(("matters", i), f"theme lists unknown matter {code}")
            themes.append(t)
    pack = Pack(root=root, id=pack_ctx.get(meta, (), "id", str, True, ""),
                title=pack_ctx.get(meta, (), "title", str, True, ""),
                version=pack_ctx.get(meta, (), "version", str, True, ""),
                region=pack_ctx.get(meta, (), "region", str, False, ""),
                notice=pack_ctx.get(meta, (), "notice", str, False, ""),
                departments=departments, matters=matters, themes=themes, synonyms=synonyms,
                glossary={str(k): str(v) for k, v in pack_ctx.get(meta, (), "glossary", dict, False, {}).items()},
                jargon=pack_ctx.strings(meta, (), "jargon"),
                max_sentence=pack_ctx.get(meta, (), "max_sentence", int, False, 30),
                long_name=pack_ctx.get(meta, (), "long_name", int, False, 8))
    from kiosk.guides.policies import parse_policies  # 免申即享; it reads files the way this module does
    pack.policies = parse_policies(root, problems, set(codes), set(departments))
    from kiosk.guides.places import parse_places     # 政务服务地图
    from kiosk.guides.agencies import parse_agencies  # 中介超市
    pack.places = parse_places(root, problems, set(codes))
    pack.agencies = parse_agencies(root, problems, set(codes))
    return pack, problems


def load_pack(root: str | Path) -> Pack:
    """Load a pack for use; raises PackError if it has any error (warnings are fine)."""
    pack, problems = parse_pack(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors or pack is None:
        raise PackError(errors or [Problem(PACK_FILE, 1, "unreadable pack")])
    return pack
