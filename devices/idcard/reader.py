"""Resident ID card reader driver: a GA 467 SAM module on a serial port (pyserial).

The thread polls find -> select -> read every `poll_interval` and raises one "card_presented" per
card (a card is recognised by the 8 bytes SELECT returns, so a card left on the reader is read once)
and one "card_removed" when FIND fails `removal_polls` times in a row. Every failure becomes a
`DeviceError` with a plain-words message for the citizen and a stable code for staff, and moves the
device state: a missing port is powerOff (and the driver reopens it when it comes back, e.g. after a
USB unplug), a reader that does not answer or a failing SAM is hardwareError.

`read_one(timeout)` does the same synchronously for the staff CLI (`read-card`) without a thread.

Two reads must agree. The serial line between the SAM and us carries one XOR byte per frame: damage
that cancels out in the XOR (the same bits flipped in two bytes, a burst) passes as a good frame, and
the photo has no check at all. So a card is read, then found, selected (it must give the same 8-byte
answer: the same card) and read again, and a record is returned only when two read answers are byte
for byte the same; when they disagree a third read is made and any two equal answers are taken. When
no two of `max_reads` answers agree the read fails as `idcard.read_failed` ("hold the card still")
and the next poll starts afresh; nothing from the disagreeing answers is kept. The agreed text must
then also be consistent: valid dates, the check digit, and for 18-character numbers the birth date
and sex encoded in the number equal the birth and sex fields (`idcard.bad_text` / `idcard.bad_number`).
Cost: one more find + select + read, ~120 ms at 115200 baud (bench/idcard_read.py).

Error codes (stable, for staff and logs) -> completion, device state:
  idcard.disconnected   deviceNotReady  powerOff       port vanished (USB unplug); reopened when back
  idcard.no_port        deviceNotReady  (CLI)          port cannot be opened
  idcard.no_response    timeOut         hardwareError  reader silent after the retries
  idcard.link_error     hardwareError   hardwareError  checksum/length errors after the retries
  idcard.bad_answer     hardwareError   hardwareError  answer that makes no sense (unexpected status)
  idcard.sam_60/66/23/24 hardwareError  hardwareError  SAM self-test failed / not authorised / ...
  idcard.sam_21         unsupportedCommand hardwareError  reader does not know the command
  idcard.read_failed    userError       online         select/read failed: card moved (asked once per card)
  idcard.unknown_card   userError       online         not an ID card or permit
  idcard.bad_text       userError       online         text block not readable as any card type
  idcard.bad_number     userError       online         card number fails its check digit
  idcard.no_card        timeOut         (CLI)          no card within --timeout
"""
from __future__ import annotations

import logging
import termios
import time
from typing import Callable

import serial

from devices.idcard import sam_protocol as sp
from devices.idcard.base import IdCardDevice
from devices.idcard.text import CardTextError, IdCardRecord, fields_consistent, id_number_ok, parse_text
from devices.states import Completion, DeviceError, DeviceState

log = logging.getLogger(__name__)

# plain words for the citizen, by situation
MSG_PLACE_CARD = "没有检测到身份证，请把身份证平放在感应区"
MSG_HOLD_STILL = "没有读到身份证，请把证件平放在感应区，不要移动"
MSG_UNKNOWN_CARD = "这张卡不是可以识别的身份证件，请换用身份证"
MSG_CANNOT_VERIFY = "无法识别这张证件的信息，请到人工窗口办理"
MSG_READER_FAULT = "身份证阅读器暂时不能使用，请联系工作人员或使用其他方式"

# statuses that mean "the card is there but this attempt failed": try again on the next poll
_CARD_RETRY = {sp.ST_SELECT_FAILED, sp.ST_READ_FAILED, sp.ST_CARD_AUTH_TERMINAL, sp.ST_TERMINAL_AUTH_CARD,
               sp.ST_VERIFY, sp.ST_NOT_FOUND_YET, sp.ST_RANDOM, sp.ST_NO_CONTENT}
# statuses that mean the frame got damaged on the wire: resend the same command at once
_LINK_RETRY = {sp.ST_CHECKSUM, sp.ST_LENGTH}
# statuses that mean the reader itself cannot work
_READER_FAULT = {sp.ST_SAM_SELFTEST, sp.ST_SAM_NOT_AUTHORISED, sp.ST_UNAUTHORISED, sp.ST_UNRECOGNISED,
                 sp.ST_BAD_COMMAND}

SerialFactory = Callable[..., "serial.Serial"]


class _Disconnected(Exception):
    """The port went away (USB unplug, pty closed)."""


def _reader_fault(code: str, detail: str, completion: Completion = Completion.HARDWARE_ERROR) -> DeviceError:
    return DeviceError(completion, code, MSG_READER_FAULT, detail)


class IdCardReader(IdCardDevice):
    """GA 467 SAM reader on `port`. Events: state, card_presented (IdCardRecord), card_removed, error."""

    def __init__(self, port: str, baudrate: int = 115200, poll_interval: float = 0.3,
                 response_timeout: float = 0.6, read_timeout: float = 2.0, retries: int = 2,
                 reconnect_interval: float = 1.0, removal_polls: int = 2, with_fingerprint: bool = False,
                 serial_factory: SerialFactory | None = None, max_reads: int = 3) -> None:
        super().__init__()
        self.port = port
        self.baudrate = baudrate
        self.poll_interval = poll_interval
        self.response_timeout = response_timeout
        # the read answer is 1295 bytes (~112 ms at 115200) plus the SAM's own work
        self.read_timeout = read_timeout
        self.retries = retries
        self.reconnect_interval = reconnect_interval
        self.removal_polls = max(1, removal_polls)
        self.with_fingerprint = with_fingerprint
        # reads of one card until two answers agree (1 = trust a single read: the bench's baseline only)
        self.max_reads = max(1, max_reads)
        self._uid: bytes | None = None
        self._serial_factory = serial_factory or serial.Serial
        self._frames = sp.FrameReader()
        self.sam_id: str | None = None
        self.stats = {"retries": 0, "timeouts": 0, "checksum_errors": 0, "reconnects": 0, "disagreements": 0}

    # -- the wire -------------------------------------------------------------------------
    def _open(self) -> "serial.Serial":
        try:
            # a short read timeout lets the read loop check its own deadline and the stop flag
            ser = self._serial_factory(self.port, self.baudrate, bytesize=8, parity="N", stopbits=1,
                                       timeout=0.05, write_timeout=1.0)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise _Disconnected(type(exc).__name__) from None
        self._frames = sp.FrameReader()
        return ser

    def _exchange(self, ser: "serial.Serial", command: tuple[int, int], timeout: float) -> sp.Response:
        """One request and its answer; raises _Disconnected, TimeoutError or sp.FrameError."""
        self._frames.clear()
        try:
            ser.reset_input_buffer()  # a late answer to an earlier request must not be taken for this one
            ser.write(sp.build_request(command))
            deadline = time.monotonic() + timeout
            while True:
                frame = self._frames.next_frame()
                if frame is not None:
                    return sp.parse_response(frame)
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"no answer to {command[0]:02X} {command[1]:02X}")
                chunk = ser.read(self._frames.bytes_wanted())
                if chunk:
                    self._frames.feed(chunk)
        except (serial.SerialException, OSError, termios.error) as exc:
            if isinstance(exc, TimeoutError):
                raise
            raise _Disconnected(type(exc).__name__) from None

    def transact(self, ser: "serial.Serial", command: tuple[int, int], timeout: float | None = None) -> sp.Response:
        """Send a command, retrying damaged frames, link errors and silence; raise DeviceError at the end."""
        timeout = self.response_timeout if timeout is None else timeout
        last = ""
        for attempt in range(1 + self.retries):
            if attempt:
                self.stats["retries"] += 1
            try:
                resp = self._exchange(ser, command, timeout)
            except TimeoutError:
                self.stats["timeouts"] += 1
                last = "timeout"
                continue
            except sp.FrameError as exc:
                self.stats["checksum_errors"] += exc.kind == "checksum"
                last = f"frame {exc.kind}"
                continue
            if resp.sw3 in _LINK_RETRY:
                last = resp.status_name
                continue
            return resp
        if last == "timeout":
            raise DeviceError(Completion.TIME_OUT, "idcard.no_response", MSG_READER_FAULT,
                              f"reader did not answer {command[0]:02X} {command[1]:02X}")
        raise _reader_fault("idcard.link_error", f"{last} after {1 + self.retries} attempts")

    # -- the card ---------------------------------------------------------------------------
    def read_sam_id(self, ser: "serial.Serial") -> str:
        resp = self.transact(ser, sp.READ_SAM_ID)
        if resp.sw3 != sp.ST_SUCCESS:
            code = f"idcard.sam_{resp.sw3:02x}" if resp.sw3 in _READER_FAULT else "idcard.bad_answer"
            raise _reader_fault(code, f"SAM id: {resp.status_name}")
        try:
            self.sam_id = sp.sam_id_text(resp.data)
        except sp.FrameError as exc:
            raise _reader_fault("idcard.bad_answer", str(exc)) from None
        return self.sam_id

    def find_and_select(self, ser: "serial.Serial") -> bytes | None:
        """The card's 8-byte select answer, or None when no card is on the reader."""
        resp = self.transact(ser, sp.FIND_CARD)
        if resp.sw3 == sp.ST_FIND_FAILED:
            return None
        self._check_status(resp, sp.ST_FIND_OK, "find")
        resp = self.transact(ser, sp.SELECT_CARD)
        self._check_status(resp, sp.ST_SUCCESS, "select")
        self._uid = resp.data
        return resp.data

    def read_card(self, ser: "serial.Serial") -> IdCardRecord:
        """Read the selected card's text and photo (and fingerprint when configured), confirmed by a
        second read of the same card (see the module docstring)."""
        command = sp.READ_TEXT_PHOTO_FP if self.with_fingerprint else sp.READ_TEXT_PHOTO
        uid = self._uid
        answers: list[bytes] = []
        for attempt in range(self.max_reads):
            if attempt and self.find_and_select(ser) != uid:
                raise DeviceError(Completion.USER_ERROR, "idcard.read_failed", MSG_HOLD_STILL,
                                  "card lifted or changed between two reads")
            resp = self.transact(ser, command, self.read_timeout)
            self._check_status(resp, sp.ST_SUCCESS, "read")
            if resp.data in answers or self.max_reads == 1:
                return self._record(resp.data)
            if answers:
                self.stats["disagreements"] += 1
            answers.append(resp.data)
        raise DeviceError(Completion.USER_ERROR, "idcard.read_failed", MSG_HOLD_STILL,
                          f"{len(answers)} reads of the card disagree")

    def _record(self, data: bytes) -> IdCardRecord:
        """The record in an agreed read answer, its fields checked."""
        try:
            parts = sp.split_read_data(data, self.with_fingerprint)
            record = parse_text(parts.text)
            fields_consistent(record)
        except (sp.FrameError, CardTextError) as exc:
            raise DeviceError(Completion.USER_ERROR, "idcard.bad_text", MSG_CANNOT_VERIFY, str(exc)) from None
        if not id_number_ok(record):
            raise DeviceError(Completion.USER_ERROR, "idcard.bad_number", MSG_CANNOT_VERIFY,
                              "card number fails its check digit")
        record.photo = parts.photo
        record.fingerprint = parts.fingerprint
        record.sam_id = self.sam_id
        return record

    @staticmethod
    def _check_status(resp: sp.Response, wanted: int, step: str) -> None:
        if resp.sw3 == wanted:
            return
        if resp.sw3 in _READER_FAULT:
            completion = Completion.UNSUPPORTED_COMMAND if resp.sw3 == sp.ST_BAD_COMMAND else Completion.HARDWARE_ERROR
            raise _reader_fault(f"idcard.sam_{resp.sw3:02x}", f"{step}: {resp.status_name}", completion)
        if resp.sw3 == sp.ST_UNKNOWN_CARD:
            raise DeviceError(Completion.USER_ERROR, "idcard.unknown_card", MSG_UNKNOWN_CARD, f"{step}: {resp.status_name}")
        if resp.sw3 in _CARD_RETRY or resp.sw3 == sp.ST_FIND_FAILED:
            raise DeviceError(Completion.USER_ERROR, "idcard.read_failed", MSG_HOLD_STILL, f"{step}: {resp.status_name}")
        raise _reader_fault("idcard.bad_answer", f"{step}: {resp.status_name}")

    # -- synchronous: one card for the staff CLI --------------------------------------------
    def read_one(self, timeout: float) -> IdCardRecord:
        """Wait up to `timeout` seconds for a card and read it. Raises DeviceError."""
        deadline = time.monotonic() + timeout
        last_error: DeviceError | None = None
        ser = None
        saved = (self.response_timeout, self.read_timeout)
        try:
            while ser is None:
                try:
                    ser = self._open()
                except _Disconnected:
                    if time.monotonic() + 0.2 >= deadline:
                        raise DeviceError(Completion.DEVICE_NOT_READY, "idcard.no_port", MSG_READER_FAULT,
                                          "serial port not available") from None
                    time.sleep(0.2)
            self._bounded(deadline)
            self.read_sam_id(ser)
            while True:
                self._bounded(deadline)
                try:
                    if self.find_and_select(ser) is not None:
                        self._bounded(deadline, self.read_timeout)
                        started = time.monotonic()
                        record = self.read_card(ser)
                        self.last_read_ms = (time.monotonic() - started) * 1000
                        return record
                except DeviceError as exc:
                    if exc.code != "idcard.read_failed":
                        raise
                    last_error = exc
                if time.monotonic() + self.poll_interval >= deadline:
                    raise last_error or DeviceError(Completion.TIME_OUT, "idcard.no_card", MSG_PLACE_CARD,
                                                    "no card within the time limit")
                time.sleep(self.poll_interval)
        except _Disconnected as exc:
            raise DeviceError(Completion.DEVICE_NOT_READY, "idcard.disconnected", MSG_READER_FAULT, str(exc)) from None
        finally:
            self.response_timeout, self.read_timeout = saved
            if ser is not None:
                ser.close()

    def _bounded(self, deadline: float, need: float | None = None) -> None:
        """Shrink the per-command timeouts so that nothing runs past `deadline`."""
        left = deadline - time.monotonic()
        if left <= 0.05:
            raise DeviceError(Completion.TIME_OUT, "idcard.no_card", MSG_PLACE_CARD, "no card within the time limit")
        per_try = left / (1 + self.retries)
        self.response_timeout = min(self.response_timeout, per_try)
        self.read_timeout = min(self.read_timeout, per_try)

    # -- the thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                ser = self._open()
            except _Disconnected:
                self.set_state(DeviceState.POWER_OFF, "serial port not available")
                self._stop.wait(self.reconnect_interval)
                continue
            if not first:
                self.stats["reconnects"] += 1
            first = False
            try:
                self._serve(ser)
            except _Disconnected as exc:
                log.warning("idcard reader disconnected (%s)", exc)
                self.set_state(DeviceState.POWER_OFF, "reader disconnected")
                self.report_error(DeviceError(Completion.DEVICE_NOT_READY, "idcard.disconnected",
                                              MSG_READER_FAULT, str(exc)))
            finally:
                try:
                    ser.close()
                except Exception:
                    pass
            self._stop.wait(self.reconnect_interval)

    def _serve(self, ser: "serial.Serial") -> None:
        """Poll an open port until stop or disconnect."""
        present: bytes | None = None   # select answer of the card that was announced
        refused: bytes | None = None   # card whose contents were refused: not read again until lifted
        misses = 0
        reported = False               # the current card's failure was told already (one error per card)
        reader_ok = False
        try:
            while not self._stop.is_set():
                uid = None
                try:
                    if not reader_ok:
                        self.read_sam_id(ser)
                        reader_ok = True
                        self.set_state(DeviceState.ONLINE)
                    uid = self.find_and_select(ser)
                    if uid is None:
                        misses += 1
                        if misses >= self.removal_polls:
                            reported, refused = False, None
                            if present is not None:
                                present = None
                                self.events.emit("card_removed", None)
                    else:
                        misses = 0
                        if uid != present and uid != refused:
                            if present is not None:
                                present = None
                                self.events.emit("card_removed", None)
                            started = time.monotonic()
                            record = self.read_card(ser)
                            self.last_read_ms = (time.monotonic() - started) * 1000
                            present, reported = uid, False
                            self.events.emit("card_presented", record)
                    self.set_state(DeviceState.ONLINE)
                except DeviceError as exc:
                    if exc.completion in (Completion.TIME_OUT, Completion.HARDWARE_ERROR,
                                          Completion.UNSUPPORTED_COMMAND):
                        # the reader, not the card: announce once per state change, re-check the SAM later
                        if self._status.state != DeviceState.HARDWARE_ERROR:
                            self.report_error(exc)
                        self.set_state(DeviceState.HARDWARE_ERROR, exc.code)
                        reader_ok = False
                    else:
                        if exc.code in ("idcard.bad_text", "idcard.bad_number"):
                            refused = uid  # reading it again would give the same answer
                        if not reported:
                            reported = True
                            self.report_error(exc)
                        self.set_state(DeviceState.ONLINE)
                self._stop.wait(self.poll_interval)
        finally:
            if present is not None:
                self.events.emit("card_removed", None)


def from_settings(settings) -> IdCardReader:
    """`[idcard] driver = sam`."""
    return IdCardReader(settings.get("idcard", "port"), settings.getint("idcard", "baudrate"),
                        settings.getfloat("idcard", "poll_interval"))
