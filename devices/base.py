"""What every device driver and its simulator twin look like to the application.

A driver runs its own background thread between `start()` and `stop()` and reports through
`events` (common.events.EventSource). Event names used across the project:
  "state"          payload DeviceStatus      — the device changed state (online, powerOff, ...)
  "card_presented" payload a card record     — one per card put on / into the reader, not one per poll
  "card_removed"   payload None
  "code"           payload str               — a scanner or the camera decoded a code
  "frame"          payload numpy image       — camera preview frame (BGR)
  "error"          payload DeviceError       — an operation failed; the message is for the citizen

Every device family lives in devices/<family>/ with one abstract base (devices/<family>/base.py)
that says what the family can do; see devices/__init__.py for the shape and how to add a family.
"""
from __future__ import annotations

import abc
import threading

from common.events import EventSource
from devices.states import DeviceError, DeviceState, DeviceStatus


class Device(abc.ABC):
    """Base class: state bookkeeping and events. Subclasses implement `_run` (the thread body).

    A device family (devices/<family>/) has one abstract base that lists the family's operations in
    `operations` and declares each as a method; front ends ask `device.can("capture")` instead of
    probing with hasattr or class names. A backend or simulator twin may add operations of its own
    (e.g. "show_code" for the demo helper) by extending `operations` and defining the method.
    An operation name is always the name of the method that performs it.
    """

    name = "device"
    operations: frozenset[str] = frozenset()

    def can(self, operation: str) -> bool:
        """Whether this device offers `operation` (one of its family's operations)."""
        return operation in self.operations

    @property
    def configured(self) -> bool:
        """False for a device the terminal does not have (`driver = none`)."""
        return True

    def __init__(self) -> None:
        self.events = EventSource()
        self._status = DeviceStatus(self.name, DeviceState.POWER_OFF)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._guarded_run, name=f"device-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def _guarded_run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a driver bug must show as a hardware error, not kill the kiosk silently
            import logging
            logging.getLogger(f"devices.{self.name}").exception("driver thread failed")
            self.set_state(DeviceState.HARDWARE_ERROR, f"driver stopped: {type(exc).__name__}")

    def _run(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- state --------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        return DeviceStatus(self._status.name, self._status.state, self._status.detail)

    def set_state(self, state: DeviceState, detail: str = "") -> None:
        changed = (state, detail) != (self._status.state, self._status.detail)
        self._status = DeviceStatus(self.name, state, detail)
        if changed:
            self.events.emit("state", self.status())

    def report_error(self, error: DeviceError) -> None:
        self.events.emit("error", error)


class NoDevice(Device):
    """Stands in for a device the terminal does not have (`driver = none`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__()
        self._status = DeviceStatus(name, DeviceState.NO_DEVICE, "not configured")

    @property
    def configured(self) -> bool:
        return False

    def start(self) -> None:
        return

    def _run(self) -> None:
        return
