"""Builds the configured drivers (or their simulator twins) and owns their lifecycle.

`FAMILIES` maps a config section to its device family's base class (devices/<family>/base.py);
`DRIVERS` maps (section, driver setting) to "module:factory", where a factory takes the Settings and
returns a device of that family. A new backend is one DRIVERS line; a new family is one FAMILIES line
and its DRIVERS lines (devices/__init__.py says how to write the family itself).
"""
from __future__ import annotations

import importlib
import logging
import threading

from devices.base import Device, NoDevice

log = logging.getLogger(__name__)

FAMILIES: dict[str, str] = {
    "idcard": "devices.idcard.base:IdCardDevice",
    "sscard": "devices.sscard.base:SsCardDevice",
    "camera": "devices.camera.base:CameraDevice",
    "doccam": "devices.doccam.base:DocumentCameraDevice",
    "scanner": "devices.scanner.base:ScannerDevice",
    "receipt": "devices.receipt.base:ReceiptPrinterDevice",
    "printer": "devices.printer.base:DocumentPrinterDevice",
}

DRIVERS: dict[tuple[str, str], str] = {
    ("idcard", "sam"): "devices.idcard.reader:from_settings",
    ("idcard", "simulator"): "devices.idcard.simulator:from_settings",
    ("sscard", "pcsc"): "devices.sscard.reader:from_settings",
    ("sscard", "simulator"): "devices.sscard.simulator:from_settings",
    ("camera", "opencv"): "devices.camera.opencv:from_settings",
    ("camera", "simulator"): "devices.camera.simulator:from_settings",
    ("doccam", "opencv"): "devices.doccam.opencv:from_settings",
    ("doccam", "simulator"): "devices.doccam.simulator:from_settings",
    ("scanner", "serial"): "devices.scanner.serial:from_settings",
    ("scanner", "hid"): "devices.scanner.hid:from_settings",
    ("scanner", "simulator"): "devices.scanner.simulator:from_settings",
    ("receipt", "network"): "devices.receipt.network:from_settings",
    ("receipt", "serial"): "devices.receipt.serial:from_settings",
    ("receipt", "usb"): "devices.receipt.usb:from_settings",
    ("receipt", "simulator"): "devices.receipt.simulator:from_settings",
    ("printer", "cups"): "devices.printer.cups_printer:from_settings",
    ("printer", "simulator"): "devices.printer.simulator:from_settings",
}

DEVICE_SECTIONS = tuple(FAMILIES)


def load(target: str):
    """The object a "module:name" string names (a FAMILIES or DRIVERS entry), imported on demand."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class DeviceHub:
    """All devices of this terminal, by section name: hub.get("idcard").

    Drivers are built on first use: the camera's OpenCV import alone costs about 0.3 s, and the
    attract screen must not wait for a device it does not show. `start_all()` builds the rest; the
    app runs it on a background thread after the first frame.
    """

    def __init__(self, settings) -> None:
        self.settings = settings
        self._devices: dict[str, Device] = {}
        self._lock = threading.RLock()
        self._stopped = False

    @property
    def devices(self) -> dict[str, Device]:
        """Every device of the terminal, building those not built yet (the live dict: a test may swap one)."""
        for section in DEVICE_SECTIONS:
            self.get(section)
        return self._devices

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
        try:
            device = load(target)(self.settings)
            family = load(FAMILIES[section])
        except Exception:
            log.exception("device %s: driver %r failed to load", section, driver)
            return NoDevice(section)
        if not isinstance(device, family):
            log.error("device %s: driver %r is not a %s", section, driver, family.__name__)
            return NoDevice(section)
        return device

    def get(self, section: str) -> Device:
        with self._lock:
            device = self._devices.get(section)
            if device is None:
                if section not in DEVICE_SECTIONS:
                    raise KeyError(section)
                device = self._devices[section] = self._build(section)
            return device

    def start_all(self, on_device=None) -> None:
        """Build and start every device; `on_device(device)` is called for each before it starts
        (the terminal core subscribes to its events there)."""
        for section in DEVICE_SECTIONS:
            with self._lock:
                if self._stopped:
                    return  # the app closed while devices were still being brought up
                device = self.get(section)
            if on_device is not None:
                try:
                    on_device(device)
                except Exception:
                    log.exception("device %s: a follower failed", device.name)
            try:
                device.start()
            except Exception:
                log.exception("device %s failed to start", device.name)

    def start_all_in_background(self, on_device=None) -> threading.Thread:
        """start_all() on a thread of its own, so that the first frame does not wait for a driver."""
        thread = threading.Thread(target=self.start_all, args=(on_device,), name="devices-start", daemon=True)
        thread.start()
        return thread

    def stop_all(self) -> None:
        with self._lock:
            self._stopped = True
            built = list(self._devices.values())
        for device in built:
            device.stop()

    def statuses(self) -> list[dict]:
        return [d.status().as_dict() for d in self.devices.values()]
