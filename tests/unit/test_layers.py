"""Layering (docs/architecture.md): Kivy only in screens/, imports point down only, no cycles between
top-level packages, and the staff tools start without Kivy."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "devices", "offline_cache", "platform_server", "kiosk", "screens")
# who may import whom (the layer diagram of shared/design.md)
ALLOWED = {
    "common": set(),
    "devices": {"common"},
    "offline_cache": {"common"},
    "platform_server": {"common"},
    "kiosk": {"common", "devices", "offline_cache", "platform_server"},
    "screens": {"common", "devices", "offline_cache", "platform_server", "kiosk"},
}


def _imports(path: Path) -> set[str]:
    """Every module name `path` imports, at any depth (function-local imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def _package_graph() -> dict[str, dict[str, list[str]]]:
    graph: dict[str, dict[str, list[str]]] = {p: {} for p in PACKAGES}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path):
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    graph[package].setdefault(top, []).append(path.relative_to(ROOT).as_posix())
    return graph


def test_kivy_only_in_screens():
    offenders = []
    for package in PACKAGES:
        if package == "screens":
            continue
        for path in (ROOT / package).rglob("*.py"):
            if any(n == "kivy" or n.startswith("kivy.") for n in _imports(path)):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert not offenders, f"Kivy imported outside screens/: {offenders}"


def test_imports_point_down_only():
    bad = [f"{where} imports {target}" for package, targets in _package_graph().items()
           for target, files in targets.items() if target not in ALLOWED[package] for where in files]
    assert not bad, bad


def test_no_import_cycle_between_top_level_packages():
    graph = {p: set(t) for p, t in _package_graph().items()}

    def reach(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += graph[node]
        return seen
    cycles = [p for p in PACKAGES if p in reach(p)]
    assert not cycles, f"import cycle through {cycles}"


def test_the_cycle_check_sees_function_local_imports(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from screens.app import KioskApp\n    importlib.import_module('kivy.app')\n")
    assert {"screens.app", "kivy.app"} <= _imports(sample)


def test_staff_tools_start_without_kivy():
    code = ("import sys, screens.cli, kiosk.cli, kiosk.settings, kiosk.session, kiosk.logs, devices.base, "
            "kiosk.devices_hub; kiosk.cli.build_parser(); print('kivy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_help_lists_the_subcommands():
    out = subprocess.run([sys.executable, "run_kiosk.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    for name in ("run", "demo", "tour", "config"):
        assert f"    {name}" in out.stdout
