"""Layering: only screens/, kiosk/app.py and the tour import Kivy; lower layers import without it."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KIVY_ALLOWED = {"kiosk/app.py", "kiosk/tour.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_kivy_only_in_the_ui_layer():
    offenders = []
    for package in ("kiosk", "devices", "offline_cache", "platform_server"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in KIVY_ALLOWED:
                continue
            if any(n == "kivy" or n.startswith("kivy.") for n in _imports(path)):
                offenders.append(rel)
    assert not offenders, offenders


def test_lower_layers_never_import_upper_ones():
    rules = {"devices": ("kiosk", "screens", "offline_cache", "platform_server"),
             "offline_cache": ("kiosk", "screens", "platform_server"),
             "platform_server": ("kiosk", "screens")}
    bad = []
    for package, forbidden in rules.items():
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path):
                if name.split(".")[0] in forbidden:
                    bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, bad


def test_staff_tools_start_without_kivy():
    code = ("import sys, kiosk.cli, kiosk.settings, kiosk.session, kiosk.logs, devices.base, kiosk.devices_hub; "
            "kiosk.cli.build_parser(); print('kivy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_help_lists_the_subcommands():
    out = subprocess.run([sys.executable, "run_kiosk.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    for name in ("run", "demo", "tour", "config"):
        assert f"    {name}" in out.stdout
