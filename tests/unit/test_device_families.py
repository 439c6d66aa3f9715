"""Every device the hub can build belongs to its family and does what its family says it can do;
NoDevice can do nothing; the hub refuses a driver of the wrong family."""
import importlib
import inspect

import pytest

from devices.base import Device, NoDevice
from devices.states import DeviceState
from kiosk.devices_hub import DEVICE_SECTIONS, DRIVERS, FAMILIES, DeviceHub, load
from kiosk.settings import load_settings


def _settings(data_dir, section, driver):
    return load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir), (section, "driver"): driver})


@pytest.fixture(params=sorted(DRIVERS), ids=lambda key: f"{key[0]}-{key[1]}")
def built(request, data_dir):
    """(family base, device) for each DRIVERS entry, built as the hub builds it (not started)."""
    section, driver = request.param
    device = load(DRIVERS[(section, driver)])(_settings(data_dir, section, driver))
    yield load(FAMILIES[section]), device
    device.stop()


def test_every_driver_and_simulator_is_a_device_of_its_family(built):
    family, device = built
    assert issubclass(family, Device) and family is not Device
    assert isinstance(device, family), f"{type(device).__name__} is not a {family.__name__}"
    assert not inspect.isabstract(type(device)), f"{type(device).__name__} leaves {type(device).__abstractmethods__}"
    assert device.configured


def test_every_operation_a_device_declares_is_a_method_it_has(built):
    family, device = built
    cls = type(device)
    assert family.operations <= cls.operations, f"{cls.__name__} drops {family.operations - cls.operations}"
    for operation in cls.operations:
        method = getattr(cls, operation, None)
        assert callable(method), f"{cls.__name__} declares {operation!r} but has no such method"
        assert not getattr(method, "__isabstractmethod__", False), f"{cls.__name__}.{operation} is abstract"
        assert device.can(operation)
    assert not device.can("no_such_operation")


def test_the_family_base_documents_every_operation_its_backends_offer(built):
    family, device = built
    for operation in type(device).operations:
        assert f"  {operation} " in (family.__doc__ or ""), f"{family.__name__}'s docstring lists no {operation!r}"


def test_every_family_has_a_base_and_a_simulator():
    assert set(DEVICE_SECTIONS) == set(FAMILIES) == {section for section, _ in DRIVERS}
    for section in FAMILIES:
        assert (section, "simulator") in DRIVERS, f"{section} has no simulator twin"


def _every_device_class() -> set[type]:
    modules = {importlib.import_module(target.partition(":")[0]) for target in DRIVERS.values()}
    return {obj for module in modules for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, Device)}


def test_no_device_can_do_nothing():
    every_operation = {op for cls in _every_device_class() for op in cls.operations}
    assert {"capture", "feed_key", "present", "read_one", "show_code"} <= every_operation
    for section in FAMILIES:
        nothing = NoDevice(section)
        assert not nothing.configured and nothing.operations == frozenset()
        assert not [op for op in every_operation if nothing.can(op)]
        assert nothing.status().state is DeviceState.NO_DEVICE


def test_the_hub_refuses_a_driver_of_another_family(data_dir, monkeypatch):
    monkeypatch.setitem(DRIVERS, ("scanner", "camera"), DRIVERS[("camera", "simulator")])
    hub = DeviceHub(_settings(data_dir, "scanner", "camera"))
    scanner = hub.get("scanner")
    assert not scanner.configured and scanner.status().state is DeviceState.NO_DEVICE
