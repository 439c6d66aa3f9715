"""The social security card reader family: what every 社保卡 reader, real or simulated, can do."""
from __future__ import annotations

import abc

from devices.base import Device
from devices.sscard.data import SsCardRecord


class SsCardDevice(Device):
    """A reader of social security cards (社会保障卡, ISO 7816 over PC/SC).

    Events: "state", "card_presented" (SsCardRecord, once per insertion), "card_removed", "error".

    Operations (`can(...)`):
      read_one   every reader: wait for one card and read it, without the thread (staff CLI)
      read_atr   every reader: the answer-to-reset of the card in the reader (maintenance self-test)
      present    simulator only: insert a demo card
      remove     simulator only: take the card out
    """

    name = "sscard"
    operations = frozenset({"read_one", "read_atr"})
    last_read_ms: float | None = None   # how long the last good read took (the maintenance self-test)

    @abc.abstractmethod
    def read_one(self, timeout: float) -> SsCardRecord:
        """Wait up to `timeout` seconds for a card and read it. Raises DeviceError."""

    @abc.abstractmethod
    def read_atr(self, timeout: float) -> bytes:
        """The ATR of the card in the reader, waiting up to `timeout` seconds for one. Raises DeviceError."""
