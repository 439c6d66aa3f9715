"""Social security card reader driver over PC/SC (pyscard, pcscd).

The thread waits on PC/SC's own reader-state changes (SCardGetStatusChange) for the configured
reader, so insertion and removal come from pcscd rather than from polling the card. On insertion
it reads EF05/EF06 (devices/sscard/data.py) and raises "card_presented" with an SsCardRecord; on
removal "card_removed". pcscd not running or no matching reader is powerOff; the driver keeps
looking and comes online when they appear.

Error codes: sscard.no_reader (deviceNotReady; powerOff), sscard.no_card (userError, or timeOut in the
CLI), sscard.unresponsive / sscard.read_failed (userError: card pulled out or not powered),
sscard.not_ssc (userError: no SSSE application), sscard.bad_answer / sscard.bad_data (userError: the
card's answers or data are malformed), sscard.no_pyscard (deviceNotReady: build without the extra).
"""
from __future__ import annotations

import logging
import time

from devices.sscard.base import SsCardDevice
from devices.sscard.data import CardDataError, SsCardRecord, read_card
from devices.states import Completion, DeviceError, DeviceState

log = logging.getLogger(__name__)

MSG_INSERT = "没有检测到社保卡，请把社保卡芯片朝上插入读卡口"
MSG_KEEP_IN = "读卡中断，请把社保卡重新插好，读完前不要拔出"
MSG_NOT_SSC = "这张卡不是可以识别的社会保障卡，请换用社保卡或身份证"
MSG_READER_FAULT = "社保卡读卡器暂时不能使用，请联系工作人员或使用其他方式"

try:  # pyscard is the optional extra "pcsc"; the simulator works without it
    from smartcard import scard as _scard
    from smartcard.Exceptions import CardConnectionException, NoCardException
    from smartcard.System import readers as _readers
except ImportError:  # pragma: no cover - exercised only on a build without pyscard
    _scard = None


def _require_pyscard() -> None:
    if _scard is None:
        raise DeviceError(Completion.DEVICE_NOT_READY, "sscard.no_pyscard", MSG_READER_FAULT,
                          "pyscard is not installed (extra 'pcsc')")


def error_for(exc: CardDataError) -> DeviceError:
    """Map a card data problem to what the citizen and staff see."""
    if exc.code == "sscard.not_ssc":
        return DeviceError(Completion.USER_ERROR, exc.code, MSG_NOT_SSC, str(exc))
    return DeviceError(Completion.USER_ERROR, exc.code, MSG_KEEP_IN, str(exc))


class SsCardReader(SsCardDevice):
    """社保卡 on the PC/SC reader whose name contains `reader_filter` (first reader when empty)."""

    def __init__(self, reader_filter: str = "", wait_ms: int = 300, retry_interval: float = 1.0) -> None:
        super().__init__()
        self.reader_filter = reader_filter
        self.wait_ms = wait_ms          # one SCardGetStatusChange wait; bounds how fast stop() is seen
        self.retry_interval = retry_interval

    # -- readers ------------------------------------------------------------------------------
    def _pick(self, names: list[str]) -> str | None:
        for name in names:
            if self.reader_filter in name:
                return name
        return None

    def reader_name(self) -> str | None:
        """Name of the reader this driver uses, or None when pcscd or the reader is missing."""
        _require_pyscard()
        try:
            return self._pick([str(r) for r in _readers()])
        except Exception:  # pyscard raises its own errors when pcscd is not running
            return None

    def read_present_card(self, reader_name: str) -> SsCardRecord:
        """Connect to the card in `reader_name` and read it. Raises DeviceError."""
        _require_pyscard()
        reader = next((r for r in _readers() if str(r) == reader_name), None)
        if reader is None:
            raise DeviceError(Completion.DEVICE_NOT_READY, "sscard.no_reader", MSG_READER_FAULT, "reader vanished")
        connection = reader.createConnection()
        try:
            connection.connect()
        except NoCardException:
            self._close(connection)
            raise DeviceError(Completion.USER_ERROR, "sscard.no_card", MSG_INSERT, "no card in the reader") from None
        except CardConnectionException as exc:
            self._close(connection)
            raise DeviceError(Completion.USER_ERROR, "sscard.unresponsive", MSG_KEEP_IN,
                              type(exc).__name__) from None
        try:
            started = time.monotonic()
            record = read_card(connection.transmit)
            self.last_read_ms = (time.monotonic() - started) * 1000
            return record
        except CardDataError as exc:
            raise error_for(exc) from None
        except CardConnectionException as exc:
            raise DeviceError(Completion.USER_ERROR, "sscard.read_failed", MSG_KEEP_IN, type(exc).__name__) from None
        finally:
            self._close(connection)

    @staticmethod
    def _close(connection) -> None:
        """Disconnect and release the connection's own PC/SC context now: left to the garbage
        collector, a context of a pcscd that has died since raises from __del__."""
        try:
            connection.disconnect()
        except Exception:
            pass
        try:
            connection.release()
        except Exception:
            connection.hcontext = None   # pcscd is gone and took the context with it

    def read_atr(self, timeout: float) -> bytes:
        """The ATR of the card in the reader (a shared connection beside the thread's own)."""
        _require_pyscard()
        deadline = time.monotonic() + timeout
        while True:
            reader_name = self.reader_name()
            reader = next((r for r in _readers() if str(r) == reader_name), None) if reader_name else None
            if reader is not None:
                connection = reader.createConnection()
                try:
                    connection.connect()
                    return bytes(connection.getATR())
                except (NoCardException, CardConnectionException):
                    pass
                finally:
                    self._close(connection)
            if time.monotonic() + 0.1 >= deadline:
                if reader is None:
                    raise DeviceError(Completion.DEVICE_NOT_READY, "sscard.no_reader", MSG_READER_FAULT,
                                      "no matching PC/SC reader (is pcscd running?)")
                raise DeviceError(Completion.TIME_OUT, "sscard.no_card", MSG_INSERT, "no card within the time limit")
            time.sleep(0.1)

    # -- synchronous: the staff CLI -----------------------------------------------------------
    def read_one(self, timeout: float) -> SsCardRecord:
        """Wait up to `timeout` seconds for a card and read it. Raises DeviceError."""
        _require_pyscard()
        deadline = time.monotonic() + timeout
        reader = None
        last: DeviceError | None = None
        while True:
            reader = reader or self.reader_name()
            if reader is not None:
                try:
                    return self.read_present_card(reader)
                except DeviceError as exc:
                    # a card that was just pushed in may not be powered yet: try again until the deadline
                    if exc.code not in ("sscard.no_card", "sscard.unresponsive"):
                        raise
                    last = exc if exc.code != "sscard.no_card" else None
            if time.monotonic() + 0.1 >= deadline:
                if reader is None:
                    raise DeviceError(Completion.DEVICE_NOT_READY, "sscard.no_reader", MSG_READER_FAULT,
                                      "no matching PC/SC reader (is pcscd running?)")
                raise last or DeviceError(Completion.TIME_OUT, "sscard.no_card", MSG_INSERT,
                                          "no card within the time limit")
            time.sleep(0.1)

    # -- the thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        _require_pyscard()
        s = _scard
        while not self._stop.is_set():
            rc, context = s.SCardEstablishContext(s.SCARD_SCOPE_USER)
            if rc != s.SCARD_S_SUCCESS:
                self.set_state(DeviceState.POWER_OFF, "pcscd is not running")
                self._stop.wait(self.retry_interval)
                continue
            try:
                self._watch(context)
            finally:
                s.SCardReleaseContext(context)
            self._stop.wait(self.retry_interval)

    def _watch(self, context) -> None:
        """Follow one reader's state until stop or until the reader/pcscd goes away."""
        s = _scard
        rc, names = s.SCardListReaders(context, [])
        reader = self._pick(list(names or [])) if rc == s.SCARD_S_SUCCESS else None
        if reader is None:
            self.set_state(DeviceState.POWER_OFF, "no matching PC/SC reader")
            return
        self.set_state(DeviceState.ONLINE)
        known = s.SCARD_STATE_UNAWARE
        announced = False
        try:
            while not self._stop.is_set():
                rc, states = s.SCardGetStatusChange(context, self.wait_ms, [(reader, known)])
                if rc == s.SCARD_E_TIMEOUT:
                    continue
                if rc != s.SCARD_S_SUCCESS:
                    self.set_state(DeviceState.POWER_OFF, "reader or pcscd went away")
                    return
                _, event, _atr = states[0]
                known = event & ~s.SCARD_STATE_CHANGED
                if event & (s.SCARD_STATE_UNKNOWN | s.SCARD_STATE_UNAVAILABLE):
                    self.set_state(DeviceState.POWER_OFF, "reader went away")
                    return
                present = bool(event & s.SCARD_STATE_PRESENT)
                if present and not announced:
                    announced = True   # one event per insertion, whether the read works or not
                    self._read_and_announce(reader)
                elif not present and announced:
                    announced = False
                    self.events.emit("card_removed", None)
        finally:
            if announced:
                self.events.emit("card_removed", None)

    def _read_and_announce(self, reader: str, settle: float = 1.5) -> None:
        # pcscd reports a card present a moment before it has powered it ("Card is unpowered"):
        # give a freshly inserted card a short while before calling it unresponsive
        deadline = time.monotonic() + settle
        while True:
            try:
                record = self.read_present_card(reader)
                break
            except DeviceError as exc:
                if exc.code in ("sscard.unresponsive", "sscard.no_card") and time.monotonic() < deadline \
                        and not self._stop.is_set():
                    time.sleep(0.05)
                    continue
                log.info("social security card not read: %s", exc.code)
                self.report_error(exc)
                return
        self.events.emit("card_presented", record)


def from_settings(settings) -> SsCardReader:
    """`[sscard] driver = pcsc`."""
    return SsCardReader(settings.get("sscard", "reader"))
