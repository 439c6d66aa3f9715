"""A GA 467 SAM reader served on a pseudo-terminal, with demo cards of all four types.

`SamSimulator` owns a pty and answers requests like a reader with a SAM module. The real driver
(devices/idcard/reader.py) opens the pty's slave through a stable symlink,
so "unplug" (the pty disappears) and "replug" (a new pty behind the same path) look to it like a
USB-serial reader being pulled and put back. Faults for tests and the tour: garbage between frames,
checksum errors, truncated frames, any status byte, silence. `FrameMutator` garbles answers for
the fuzz bench.

The device `[idcard] driver = simulator` builds is devices/idcard/simulator.py.
"""
from __future__ import annotations

import hashlib
import os
import random
import select
import threading
import time
import tty
from pathlib import Path

from devices.checkdigit import id_check_char
from devices.idcard import sam_protocol as sp
from devices.idcard.text import IdCardRecord, encode_text


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def _photo(seed: str) -> bytes:
    """1024 stand-in bytes for the WLT photo (deterministic per card)."""
    out = b""
    block = seed.encode()
    while len(out) < 1024:
        block = hashlib.sha256(block).digest()
        out += block
    return b"WLT" + out[3:1024]


def demo_cards() -> dict[str, IdCardRecord]:
    """One demo card of each type (all numbers have valid check digits; all people are invented)."""
    cards = {
        "resident": IdCardRecord(
            type="resident", name="张小三", sex="男", nation="汉", birth="1990-01-01",
            address="山东省菏泽市牡丹区中华路1号", id_number=_id("37170219900101123"),
            authority="菏泽市公安局牡丹分局", valid_from="2015-06-01", valid_to="2035-06-01"),
        "resident_elder": IdCardRecord(
            type="resident", name="李秀英", sex="女", nation="回", birth="1950-03-15",
            address="山东省菏泽市曹县青菏街道王庄村", id_number=_id("37172119500315222"),
            authority="曹县公安局", valid_from="2012-08-20", valid_to="长期"),
        "hmt": IdCardRecord(
            type="hmt", name="陈大文", sex="男", birth="1985-07-20", address="香港特别行政区九龙区弥敦道1号",
            id_number=_id("81000019850720123"), authority="菏泽市公安局", valid_from="2019-03-01",
            valid_to="2024-03-01", pass_number="H12345678", issue_count="01"),
        "foreign": IdCardRecord(
            type="foreign", name="约翰", name_en="SMITH, JOHN", sex="男", birth="1985-07-01",
            id_number="USA370085070101", nationality="USA", authority="1500", valid_from="2018-05-02",
            valid_to="2028-05-02", extra={"card_version": "01"}),
        "foreign2023": IdCardRecord(
            type="foreign2023", name="玛丽", name_en="MARTIN, MARIE ANNE CLAIRE ELISABETH DUPONT",
            sex="女", birth="1992-02-02", id_number=_id("93725019920202002"), nationality="FRA",
            issue_count="00", valid_from="2023-12-01", valid_to="2033-12-01"),
    }
    for name, card in cards.items():
        card.photo = _photo(name)
    return cards


DEMO_SAM_ID = (5, 1, 20150101, 12345, 1234567890)


class SamSimulator:
    """A SAM reader on a pty. Thread-safe controls; all faults are one-shot unless said otherwise."""

    def __init__(self, link_path: str | os.PathLike, cards: dict[str, IdCardRecord] | None = None,
                 pace_baud: int | None = None, seed: int = 467) -> None:
        self.link_path = Path(link_path)
        self.cards = cards if cards is not None else demo_cards()
        # pace_baud: answer no faster than a real line at this speed would carry the bytes (bench)
        self.pace_baud = pace_baud
        self.sam_id = sp.sam_id_bytes(*DEMO_SAM_ID)
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._master: int | None = None
        self._slave: int | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._card: IdCardRecord | None = None
        self._card_uid = b""
        self._selected = False
        self.requests: list[tuple[int, int]] = []
        self._garbage: list[bytes] = []
        self._bad_checksum = 0
        self._truncate = 0
        self._statuses: list[tuple[tuple[int, int] | None, int, int | None]] = []  # (command, sw3, times)
        self._silent = False
        self._mutator = None

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> "SamSimulator":
        if self._thread is not None and self._thread.is_alive():
            return self
        self.replug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="sam-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        self._thread = None
        self.unplug()

    @property
    def port(self) -> str:
        """The path a driver opens (a symlink to the current pty slave)."""
        return str(self.link_path)

    def unplug(self) -> None:
        """The reader disappears: the pty closes (the driver's next read fails) and the path goes."""
        with self._lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            self._master = self._slave = None
            try:
                self.link_path.unlink()
            except FileNotFoundError:
                pass

    def replug(self) -> None:
        """The reader comes back: a fresh pty behind the same path."""
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            # raw from the start: with echo on, our own answers would come back to us as requests
            tty.setraw(slave)
            self._master, self._slave = master, slave
            self.link_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.link_path.with_name(self.link_path.name + ".new")
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
            tmp.symlink_to(os.ttyname(slave))
            os.replace(tmp, self.link_path)

    @property
    def plugged(self) -> bool:
        return self._master is not None

    # -- the card -----------------------------------------------------------------------
    def present(self, card: str | IdCardRecord) -> IdCardRecord:
        """Put a card on the reader: a demo card by name, or any record."""
        record = self.cards[card] if isinstance(card, str) else card
        with self._lock:
            self._card = record
            self._card_uid = hashlib.sha256(encode_text(record)).digest()[:8]
            self._selected = False
        return record

    def remove(self) -> None:
        with self._lock:
            self._card = None
            self._selected = False

    @property
    def card(self) -> IdCardRecord | None:
        return self._card

    # -- faults -------------------------------------------------------------------------
    def inject_garbage(self, data: bytes | None = None, times: int = 1) -> None:
        """Noise before the next answer(s): random bytes with broken preambles unless given."""
        with self._lock:
            for _ in range(times):
                self._garbage.append(data if data is not None else self._noise())

    def corrupt_checksum(self, times: int = 1) -> None:
        with self._lock:
            self._bad_checksum += times

    def truncate(self, times: int = 1) -> None:
        """Send only the first half of the next answer(s), then nothing."""
        with self._lock:
            self._truncate += times

    def fail_with(self, sw3: int, command: tuple[int, int] | None = None, times: int | None = 1) -> None:
        """Answer `command` (any when None) with status `sw3`, `times` times (None: until clear_faults)."""
        with self._lock:
            self._statuses.append((command, sw3, times))

    def silence(self, on: bool = True) -> None:
        """Read requests and answer nothing (a hung reader)."""
        with self._lock:
            self._silent = on

    def set_mutator(self, mutator) -> None:
        """Pass every answer through `mutator(bytes) -> bytes` (fuzzing); None to stop."""
        with self._lock:
            self._mutator = mutator

    def clear_faults(self) -> None:
        with self._lock:
            self._mutator = None
            self._garbage.clear()
            self._bad_checksum = self._truncate = 0
            self._statuses.clear()
            self._silent = False

    def _noise(self) -> bytes:
        rng = self._rng
        parts = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 24)))]
        parts.append(sp.PREAMBLE[:rng.randrange(1, 5)])                       # a preamble cut short
        parts.append(sp.PREAMBLE + b"\xFF\xFF")                                # a preamble with an absurd length
        parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 8))))
        return b"".join(parts)

    # -- serving ------------------------------------------------------------------------
    def _serve(self) -> None:
        frames = sp.FrameReader(min_len=sp.MIN_REQUEST_LEN)
        while not self._stop.is_set():
            master = self._master
            if master is None:
                frames = sp.FrameReader(min_len=sp.MIN_REQUEST_LEN)
                time.sleep(0.02)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(master, 4096)
            except (OSError, ValueError):
                time.sleep(0.02)   # unplugged under us
                continue
            frames.feed(data)
            while True:
                try:
                    frame = frames.next_frame()
                except sp.FrameError:
                    self._send(master, sp.build_response(sp.ST_CHECKSUM))
                    continue
                if frame is None:
                    break
                try:
                    request = sp.parse_request(frame)
                except sp.FrameError:
                    self._send(master, sp.build_response(sp.ST_LENGTH))
                    continue
                if self.pace_baud:
                    time.sleep(len(sp.build_request(request.command, request.data)) * 10 / self.pace_baud)
                self._answer(master, request)

    def _answer(self, master: int, request: sp.Request) -> None:
        with self._lock:
            self.requests.append(request.command)
            if self._silent:
                return
            answer = self._respond(request)
            prefix = self._garbage.pop(0) if self._garbage else b""
            if self._bad_checksum:
                self._bad_checksum -= 1
                answer = answer[:-1] + bytes([answer[-1] ^ 0x5A])
            if self._truncate:
                self._truncate -= 1
                answer = answer[:len(answer) // 2]
            if self._mutator is not None:
                answer = self._mutator(answer)
        self._send(master, prefix + answer)

    def _forced_status(self, command: tuple[int, int]) -> int | None:
        for i, (cmd, sw3, times) in enumerate(self._statuses):
            if cmd is None or cmd == command:
                if times is not None:
                    if times <= 1:
                        del self._statuses[i]
                    else:
                        self._statuses[i] = (cmd, sw3, times - 1)
                return sw3
        return None

    def _respond(self, request: sp.Request) -> bytes:
        command = request.command
        forced = self._forced_status(command)
        if forced is not None:
            return sp.build_response(forced)
        card = self._card
        if command in (sp.RESET_SAM, sp.SAM_STATUS, sp.SET_RF_FRAME):
            return sp.build_response(sp.ST_SUCCESS)
        if command == sp.READ_SAM_ID:
            return sp.build_response(sp.ST_SUCCESS, self.sam_id)
        if command == sp.FIND_CARD:
            self._selected = False
            if card is None:
                return sp.build_response(sp.ST_FIND_FAILED)
            return sp.build_response(sp.ST_FIND_OK, b"\x00\x00\x00\x00")
        if command == sp.SELECT_CARD:
            if card is None:
                return sp.build_response(sp.ST_SELECT_FAILED)
            self._selected = True
            return sp.build_response(sp.ST_SUCCESS, self._card_uid)
        if command in (sp.READ_TEXT_PHOTO, sp.READ_TEXT_PHOTO_FP):
            if card is None or not self._selected:
                return sp.build_response(sp.ST_READ_FAILED)
            fp = (card.fingerprint or b"") if command == sp.READ_TEXT_PHOTO_FP else None
            return sp.build_response(sp.ST_SUCCESS, sp.join_read_data(encode_text(card), card.photo, fp))
        return sp.build_response(sp.ST_BAD_COMMAND)

    def _send(self, master: int, data: bytes) -> None:
        """Write an answer; paced, each 8-byte piece is released only when its last byte would have
        arrived on a real line (10 bits a byte), so an answer, short or long, is complete no earlier
        than its wire time after the request's own wire time."""
        start = time.monotonic()
        sent = 0
        chunk = 8 if self.pace_baud else len(data) or 1
        while sent < len(data):
            piece = data[sent:sent + chunk]
            if self.pace_baud:
                wait = start + (sent + len(piece)) * 10 / self.pace_baud - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                n = os.write(master, piece)
            except OSError:
                return  # unplugged while answering: the rest is lost, as on a real cable
            sent += n


class FrameMutator:
    """Seeded damage to answer frames for fuzzing: flips, drops, inserts, cuts, duplicates, noise,
    and damage the XOR checksum cannot see (the same bits flipped in two bytes of the body).

    Leaves about a third of the frames intact so that a fuzz run also shows the driver recovering.
    """

    def __init__(self, rng: random.Random, rate: float = 0.65) -> None:
        self.rng = rng
        self.rate = rate
        self.count = 0

    def __call__(self, frame: bytes) -> bytes:
        rng = self.rng
        if rng.random() > self.rate:
            return frame
        self.count += 1
        data = bytearray(frame)
        for _ in range(rng.randrange(1, 4)):
            op = rng.randrange(7)
            pos = rng.randrange(len(data) + 1) if data else 0
            if op == 0 and data:
                data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
            elif op == 1 and data:
                del data[min(pos, len(data) - 1):min(pos, len(data) - 1) + rng.randrange(1, 8)]
            elif op == 2:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
            elif op == 3:
                data = data[:pos]
            elif op == 4:
                data += data[:rng.randrange(len(data) + 1)]
            elif op == 6 and len(data) > 12:
                # a burst the checksum misses: one mask XORed into two bytes after the length field
                mask = 1 << rng.randrange(8)
                a, b = rng.sample(range(7, len(data) - 1), 2)
                data[a] ^= mask
                data[b] ^= mask
            elif op == 5:
                # plausible but wrong: a valid frame with a random status or a lying length
                data = bytearray(sp.build_response(rng.randrange(256), bytes(data[10:10 + rng.randrange(40)])))
        return bytes(data)
