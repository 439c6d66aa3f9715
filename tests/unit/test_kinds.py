"""One list of submission kinds (common/kinds.py): no module lists kinds of its own, and a kind has one
name everywhere a citizen or staff member reads it."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from common.kinds import CASE_KINDS, KIND_NAMES, KINDS, WORK_KINDS
from kiosk.flows import FLOWS, flow_class
from kiosk.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("common", "devices", "offline_cache", "platform_server", "kiosk", "screens", "bench")
HOME = ROOT / "common" / "kinds.py"


def kind_lists(source: str) -> list[int]:
    """Lines of `source` with a dict whose keys, or a tuple/list/set whose items, are two kinds or more
    and nothing else (FLOWS, whose keys include flows such as "apply", is not a list of kinds)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            items = node.keys
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        else:
            continue
        if len(items) >= 2 and all(isinstance(i, ast.Constant) and i.value in KINDS for i in items):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_list_of_kinds():
    assert kind_lists('TITLES = {"application": "办件申请", "complaint": "投诉建议"}') == [1]
    assert kind_lists('WORK = ("application", "postal_order")\nif k in ["evaluation", "complaint"]: pass') == [1, 2]
    assert kind_lists('x = {"kind": "complaint", "local_id": "HZ1"}\nif kind == "complaint": pass') == []
    assert kind_lists('FLOWS = {"apply": "a:A", "complaint": "c:C", "evaluation": "e:E"}') == []


def test_no_module_lists_kinds_on_its_own():
    found = []
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != HOME:
                found += [f"{path.relative_to(ROOT)}:{line}" for line in kind_lists(path.read_text("utf-8"))]
    found += [f"run_kiosk.py:{line}" for line in kind_lists((ROOT / "run_kiosk.py").read_text("utf-8"))]
    assert not found, f"kinds listed outside common/kinds.py (use KIND_LIST, KIND_NAMES, ...): {found}"


def test_no_template_lists_kinds_on_its_own():
    found = []
    for package in SOURCES:
        for pattern in ("*.html", "*.kv"):
            for path in (ROOT / package).rglob(pattern):
                named = set(re.findall(r"""["'](%s)["']""" % "|".join(KINDS), path.read_text("utf-8")))
                if len(named) >= 2:
                    found.append(f"{path.relative_to(ROOT)}: {sorted(named)}")
    assert not found, f"templates naming several kinds (loop over case_kinds etc. instead): {found}"


def test_a_kind_has_the_name_of_its_home_tile():
    """What the citizen tapped on the home screen is what the receipt, the paper and staff call it; only
    我要办 says what the citizen does, and what it sends is a 办事申请."""
    tiles = {s.key: s.title for s in SERVICES}
    checked = set()
    for name in FLOWS:
        kind = flow_class(name).kind
        if kind and name in tiles and name != "apply":
            assert tiles[name] == KIND_NAMES[kind] == flow_class(name).title, (name, kind)
            checked.add(kind)
    assert checked == set(KINDS) - {"application"}
    assert KIND_NAMES["complaint"] == "吐槽找茬" and CASE_KINDS["complaint"] == "吐槽找茬"


def test_the_ops_console_reads_its_lists_here():
    from platform_server.ops import cases, views
    assert views.CASE_KINDS is CASE_KINDS and cases.WORK_KINDS is WORK_KINDS
    assert set(CASE_KINDS) == {"evaluation", "complaint"} and set(WORK_KINDS) == {"application", "postal_order"}
