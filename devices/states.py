"""The device states and completion codes every driver reports (XFS4IoT names, shared/specs/devices.md).

A driver failure is a `DeviceError` carrying a completion code, a stable machine code for staff and
logs, and a plain-words message a citizen can act on. Messages never contain personal data.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass


class DeviceState(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"            # present, switched off by staff
    POWER_OFF = "powerOff"          # powered off or not physically connected
    NO_DEVICE = "noDevice"          # not configured for this terminal
    HARDWARE_ERROR = "hardwareError"
    USER_ERROR = "userError"        # a person is preventing operation
    DEVICE_BUSY = "deviceBusy"
    FRAUD_ATTEMPT = "fraudAttempt"
    POTENTIAL_FRAUD = "potentialFraud"


class Completion(str, enum.Enum):
    SUCCESS = "success"
    CANCELED = "canceled"
    DEVICE_NOT_READY = "deviceNotReady"
    HARDWARE_ERROR = "hardwareError"
    TIME_OUT = "timeOut"
    USER_ERROR = "userError"
    SEQUENCE_ERROR = "sequenceError"
    UNSUPPORTED_COMMAND = "unsupportedCommand"


class DeviceError(Exception):
    """An operation did not complete. `message` is for the citizen; `code` is for staff."""

    def __init__(self, completion: Completion, code: str, message: str, detail: str = ""):
        super().__init__(f"{code}: {detail or message}")
        self.completion = completion
        self.code = code
        self.message = message
        self.detail = detail

    def as_dict(self) -> dict:
        return {"code": self.code, "completion": self.completion.value, "message": self.message}


@dataclass
class DeviceStatus:
    """What staff and the heartbeat see of one device."""
    name: str
    state: DeviceState = DeviceState.NO_DEVICE
    detail: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "state": self.state.value, "detail": self.detail}

