"""The resident ID card reader family: what every ID card reader, real or simulated, can do."""
from __future__ import annotations

import abc

from devices.base import Device
from devices.idcard.text import IdCardRecord


class IdCardDevice(Device):
    """A reader of resident ID cards and permits (GA 467).

    Events: "state", "card_presented" (IdCardRecord, once per card), "card_removed", "error".

    Operations (`can(...)`):
      read_one   every reader: wait for one card and read it, without the thread (staff CLI)
      present    simulator only: place a demo card on the reader
      remove     simulator only: lift the card
    """

    name = "idcard"
    operations = frozenset({"read_one"})
    last_read_ms: float | None = None   # how long the last good read took (the maintenance self-test)
    sam_id: str | None = None           # the reader's SAM module number, once it has answered

    @abc.abstractmethod
    def read_one(self, timeout: float) -> IdCardRecord:
        """Wait up to `timeout` seconds for a card and read it. Raises DeviceError."""
