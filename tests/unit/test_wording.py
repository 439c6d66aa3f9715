"""One wording list (kiosk/wording.py): the sources that put words in front of citizens use its words
for back, home, finish, delete, page, submit and confirm, never an old variant, and say 您, never 你.

Scans the string literals of screens/ and kiosk/ (docstrings and comments are for developers and not
scanned), the quoted strings of every .kv file and the prose of the content pack."""
import ast
import re
from pathlib import Path

import pytest

from kiosk import wording as W

ROOT = Path(__file__).resolve().parents[2]
# the staff's command line tools speak to staff, not to citizens
SKIP = {"kiosk/wording.py"}
SKIP_DIRS = ("kiosk/commands/",)
# role words only the wording list may spell out (a literal "上一步" in a screen is a second source)
ROLE_WORDS = {W.BACK, W.NEXT, W.LEAVE, W.HOME, W.FINISH, W.CONFIRM, W.DELETE, W.CLEAR, W.PAGE_PREV,
              W.PAGE_NEXT}
BANNED = dict(W.BANNED)
BANNED[r"返回"] = "返回 means leaving the screen; only the top bar's W.LEAVE says it"
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _py_strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _kv_strings(path: Path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for match in _QUOTED.finditer(line):
            yield number, match.group(1) if match.group(1) is not None else match.group(2)


def _sources():
    for folder in ("screens", "kiosk"):
        for path in sorted((ROOT / folder).rglob("*")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in SKIP or rel.startswith(SKIP_DIRS):
                continue
            if path.suffix == ".py":
                yield rel, _py_strings(path)
            elif path.suffix == ".kv":
                yield rel, _kv_strings(path)


def _findings() -> list[str]:
    found = []
    for rel, strings in _sources():
        for line, text in strings:
            for pattern, why in BANNED.items():
                if re.search(pattern, text):
                    found.append(f"{rel}:{line}: “{text}” ({why})")
            if text in ROLE_WORDS:
                found.append(f"{rel}:{line}: “{text}” spelled out; take it from kiosk/wording.py")
    return found


# staff codes that stay English for remote tools (the maintenance screen shows kiosk/diagnostics_words.py);
# a tour state types "sfz" the way a citizen would
JARGON_SKIP = {"kiosk/diagnostics.py": ("device:",), "kiosk/diagnostics_words.py": ("device:",),
               "screens/guide_search.py": ("sfz",)}


def test_no_jargon_in_what_citizens_see():
    found = [f"{rel}:{line}: “{text}” (say: {plain})"
             for rel, strings in _sources() for line, text in strings
             for term, plain in W.JARGON.items()
             if term in text and term not in JARGON_SKIP.get(rel, ())]
    assert not found, "jargon shown to citizens:\n" + "\n".join(found)


def test_sources_use_the_one_wording_list():
    found = _findings()
    assert not found, "words a citizen sees that are not from the wording list:\n" + "\n".join(found)


def test_content_pack_says_nin():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in sorted((ROOT / "config" / "content").rglob("*.yaml"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"你(?!们)", line) and not line.lstrip().startswith("#")]
    assert not found, "the content pack addresses citizens as 您:\n" + "\n".join(found)


@pytest.mark.parametrize("text, pattern", [("上页", r"(?<!一)上页|(?<!一)下页"), ("删一个", "删一个"),
                                           ("不说了", "不说了"), ("你需要做什么", r"你(?!们)")])
def test_the_scan_sees_a_planted_variant(tmp_path, text, pattern):
    kv = tmp_path / "x.kv"
    kv.write_text(f'<X>:\n    text: "{text}"\n', encoding="utf-8")
    py = tmp_path / "x.py"
    py.write_text(f'"""doc: {text} is fine here"""\nWORDS = ["{text}"]\n', encoding="utf-8")
    assert any(re.search(pattern, s) for _, s in _kv_strings(kv))
    assert [s for _, s in _py_strings(py)] == [text]   # the docstring is not counted


def test_every_role_has_one_word():
    assert len(set(W.ROLES.values())) == len(W.ROLES)
    assert W.BACK != W.LEAVE and "返回" not in W.BACK
    plain, official = W.status_words("completed")
    assert plain == "办好了" and official == "已办结"


def test_staff_sentences_leave_english_codes_to_the_small_print():
    """维护模式's big line says what was found in Chinese; a driver's English detail is only in the small
    print (the check code, state and detail), its Chinese words join the sentence."""
    from kiosk import diagnostics_words
    assert diagnostics_words.detail({"check": "device:scanner", "state": "noDevice",
                                     "detail": "not configured"}) == diagnostics_words.DEVICE_STATES["noDevice"]
    assert "串口打不开" in diagnostics_words.detail({"check": "device:scanner", "state": "offline",
                                                   "detail": "串口打不开"})
