"""Front ends ask a device what it can do (`device.can("capture")`, `device.configured`); they never
probe it with hasattr/getattr or by its class name, so a new backend or simulator works everywhere
as soon as it declares its operations."""
import ast
import importlib
import inspect
import re
from pathlib import Path

from devices.base import Device
from kiosk.devices_hub import DRIVERS, FAMILIES

ROOT = Path(__file__).resolve().parents[2]
FRONT_ENDS = ("screens", "kiosk")
# a name that holds a device, by the names the code base gives them
DEVICE_NAME = re.compile(r"camera|scanner|device|idcard|sscard|reader|printer|hub\.get", re.I)


def _device_classes() -> set[type]:
    modules = {importlib.import_module(t.partition(":")[0]) for t in [*DRIVERS.values(), *FAMILIES.values()]}
    modules.add(importlib.import_module("devices.base"))
    return {obj for module in modules for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, Device)}


def _probes(source: str, class_names: set[str], operations: set[str]) -> list[str]:
    """Each line of `source` that probes a device: hasattr/getattr(device, ...) or a class-name test."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args \
                and (node.func.id == "hasattr" or (node.func.id == "getattr" and len(node.args) == 3)):
            target = ast.unparse(node.args[0])
            attr = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
            if DEVICE_NAME.search(target) or attr in operations:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            names = {s.value for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)}
            if names & class_names or (names and any("__name__" in ast.unparse(s) for s in sides)
                                        and any(DEVICE_NAME.search(ast.unparse(s)) for s in sides)):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _vocabulary() -> tuple[set[str], set[str]]:
    classes = _device_classes()
    operations = {op for cls in classes for op in cls.operations} | {"can", "configured", "operations", "sim"}
    return {cls.__name__ for cls in classes}, operations


def test_no_front_end_probes_a_device():
    class_names, operations = _vocabulary()
    offenders = [f"{path.relative_to(ROOT)}:{probe}"
                 for package in FRONT_ENDS for path in sorted((ROOT / package).rglob("*.py"))
                 for probe in _probes(path.read_text(encoding="utf-8"), class_names, operations)]
    assert not offenders, "ask device.can(...) / device.configured instead:\n" + "\n".join(offenders)


def test_the_check_sees_the_probes_it_forbids():
    class_names, operations = _vocabulary()
    assert {"NoDevice", "HidScanner", "SimulatedCamera"} <= class_names
    sample = '''
def f(self, hub, record):
    camera = hub.get("camera")
    if hasattr(camera, "capture"): pass
    if hasattr(self._hid, "feed_key"): pass
    sim = getattr(device, "sim", None)
    if type(scanner).__name__ != "NoDevice": pass
    if type(hub.get("scanner")).__name__ == "HidScanner": pass
    if hasattr(self, "library") or hasattr(record, "ssn"): pass      # not devices: allowed
    if type(exc).__name__ == "Timeout": pass                           # not a device: allowed
'''
    assert [p.split(":")[0] for p in _probes(sample, class_names, operations)] == ["4", "5", "6", "7", "8"]
