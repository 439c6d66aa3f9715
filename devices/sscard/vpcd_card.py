"""A virtual social security card: an ISO 7816 applet holding EF05/EF06, and a vpcd client for pcscd.

pcscd's vsmartcard driver (vsmartcard-vpcd) listens on 127.0.0.1:35963 for one virtual card per
reader slot. The card connects as a TCP client; connecting is inserting, closing is removing. Every
message is a 2-byte big-endian length and a payload; a 1-byte payload is a control command
(0 power off, 1 power on, 2 reset, 4 send the ATR), anything else an APDU to answer.

`SocialSecurityApplet` is the card itself and is also used in-process by the simulator driver
(devices/sscard/simulator.py), so both paths read the same card with the same code.
"""
from __future__ import annotations

import socket
import struct
import threading
import time

from devices.checkdigit import id_check_char
from devices.sscard.data import EF05, EF06, SSSE_AID, SsCardRecord, encode_records

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963
# T=1, no historical bytes: 3B 80 80 01 01
DEFAULT_ATR = bytes.fromhex("3B80800101")

CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def demo_cards() -> dict[str, SsCardRecord]:
    """Invented holders; the card id starts with Heze's region code."""
    return {
        "default": SsCardRecord(
            card_id="371700D15600000500A1B2C3FFFFFFFF", card_type="1", version="3.00",
            issuer_org="371700000000", issue_date="2020-03-15", expiry_date="2030-03-15",
            card_number="A12345678", ssn=_id("37170219880506123"), name="刘建国", sex="男", nation="汉",
            birthplace="371702", birth_date="1988-05-06"),
        "elder": SsCardRecord(
            card_id="371721D15600000500D4E5F6FFFFFFFF", card_type="1", version="3.00",
            issuer_org="371721000000", issue_date="2018-09-01", expiry_date="2028-09-01",
            card_number="B87654321", ssn=_id("37172119480211262"), name="赵桂兰", sex="女", nation="回",
            birthplace="371721", birth_date="1948-02-11"),
    }


class SocialSecurityApplet:
    """Answers the APDUs a reader sends to a 社保卡. Records every command header in `log`.

    `chain_61`: answer READ RECORD with 61xx and hand the data out on GET RESPONSE (as T=0 cards do).
    `strict_le`: answer a wrong Le with 6Cxx (the right length) instead of the data.
    """

    def __init__(self, record: SsCardRecord, chain_61: bool = False, strict_le: bool = True) -> None:
        self.record = record
        self.files = dict(zip((EF05, EF06), encode_records(record)))
        self.chain_61 = chain_61
        self.strict_le = strict_le
        self.log: list[tuple[int, int, int, int]] = []
        self.reset()

    def reset(self) -> None:
        self._app_selected = False
        self._current: bytes | None = None
        self._pending = b""

    @property
    def verify_count(self) -> int:
        return sum(1 for _, ins, _, _ in self.log if ins == 0x20)

    def process(self, apdu: bytes) -> bytes:
        """One command APDU -> response data + SW1 SW2."""
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = apdu[:4]
        self.log.append((cla, ins, p1, p2))
        body = apdu[5:5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xA4:
            return self._select(p1, body)
        if ins == 0xB2:
            le = apdu[4] if len(apdu) == 5 else 0
            return self._read_record(p1, le)
        if ins == 0xC0:
            if not self._pending:
                return b"\x69\x85"
            data, self._pending = self._pending, b""
            return data + b"\x90\x00"
        if ins == 0x20:
            # a real card would count down the PIN retries here
            return b"\x63\xC2"
        return b"\x6D\x00"

    def _select(self, p1: int, body: bytes) -> bytes:
        if p1 == 0x04:
            if body == SSSE_AID:
                self._app_selected = True
                self._current = None
                return b"\x90\x00"
            return b"\x6A\x82"
        if p1 == 0x02 and self._app_selected and body in self.files:
            self._current = body
            return b"\x90\x00"
        return b"\x6A\x82"

    def _read_record(self, tag: int, le: int) -> bytes:
        if self._current is None:
            return b"\x69\x86"
        value = self.files[self._current].get(tag)
        if value is None:
            return b"\x6A\x83"
        record = bytes([tag, len(value)]) + value
        if self.chain_61:
            self._pending = record
            return bytes([0x61, len(record)])
        if self.strict_le and le != len(record):
            return bytes([0x6C, len(record)])
        return record + b"\x90\x00"


class VpcdCard:
    """The applet behind a TCP connection to pcscd's vpcd driver. `insert()` / `remove()`."""

    def __init__(self, applet: SocialSecurityApplet, host: str = VPCD_HOST, port: int = VPCD_PORT,
                 atr: bytes = DEFAULT_ATR) -> None:
        self.applet = applet
        self.host = host
        self.port = port
        self.atr = atr
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.powered = False

    def insert(self, timeout: float = 5.0) -> None:
        """Connect to vpcd (pcscd then sees a card in the reader)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self.applet.reset()
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Disconnect (pcscd then sees the reader empty)."""
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._thread:
            self._thread.join(2)
            self._thread = None

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    @staticmethod
    def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
        buf = b""
        while len(buf) < n:
            # vpcd writes the length and the APDU in two sends: acknowledge at once, or Nagle on its side
            # waits for our delayed ACK (~40 ms per APDU)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                head = self._recv_exact(sock, 2)
                if head is None:
                    return
                (length,) = struct.unpack(">H", head)
                payload = self._recv_exact(sock, length)
                if payload is None:
                    return
                if length == 1:
                    ctrl = payload[0]
                    if ctrl == CTRL_ATR:
                        sock.sendall(struct.pack(">H", len(self.atr)) + self.atr)
                    elif ctrl in (CTRL_ON, CTRL_RESET):
                        self.powered = True
                        self.applet.reset()
                    elif ctrl == CTRL_OFF:
                        self.powered = False
                    continue
                answer = self.applet.process(payload)
                sock.sendall(struct.pack(">H", len(answer)) + answer)
        except OSError:
            return
