"""Builds the configured drivers (or their simulator twins) and owns their lifecycle.

`DRIVERS` maps (section, driver setting) to "module:factory"; a factory takes the Settings and returns
a devices.base.Device. Feature work adds its drivers here, one line each.
"""
from __future__ import annotations

import importlib
import logging

from devices.base import Device, NoDevice

log = logging.getLogger(__name__)

DRIVERS: dict[tuple[str, str], str] = {
    ("idcard", "sam"): "devices.idcard:from_settings",
    ("idcard", "simulator"): "devices.sim.idcard_sim:from_settings",
    ("sscard", "pcsc"): "devices.sscard:from_settings",
    ("sscard", "simulator"): "devices.sim.sscard_sim:from_settings",
    ("camera", "opencv"): "devices.camera:from_settings",
    ("camera", "simulator"): "devices.sim.camera_sim:from_settings",
    ("scanner", "serial"): "devices.scanner:serial_from_settings",
    ("scanner", "hid"): "devices.scanner:hid_from_settings",
    ("scanner", "simulator"): "devices.sim.scanner_sim:from_settings",
}

DEVICE_SECTIONS = ("idcard", "sscard", "camera", "scanner")


class DeviceHub:
    """All devices of this terminal, by section name: hub.get("idcard")."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.devices: dict[str, Device] = {}
        for section in DEVICE_SECTIONS:
            self.devices[section] = self._build(section)

    def _build(self, section: str) -> Device:
        try:
            driver = self.settings.get(section, "driver")
        except KeyError:
            driver = "none"
        target = DRIVERS.get((section, driver))
        if driver == "none" or target is None:
            if driver != "none":
                log.warning("device %s: driver %r is not available on this build", section, driver)
            return NoDevice(section)
        module, _, factory = target.partition(":")
        try:
            return getattr(importlib.import_module(module), factory)(self.settings)
        except Exception:
            log.exception("device %s: driver %r failed to load", section, driver)
            return NoDevice(section)

    def get(self, section: str) -> Device:
        return self.devices[section]

    def start_all(self) -> None:
        for device in self.devices.values():
            try:
                device.start()
            except Exception:
                log.exception("device %s failed to start", device.name)

    def stop_all(self) -> None:
        for device in self.devices.values():
            device.stop()

    def statuses(self) -> list[dict]:
        return [d.status().as_dict() for d in self.devices.values()]
