"""Frames of the resident ID card SAM protocol (GA 467, shared/specs/devices.md).

    request   AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [data] | CHK
    response  AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 [data] | CHK

LEN counts every byte after the length field, CHK included; CHK is the XOR of LEN_H .. last data byte.
This module only builds and splits frames; it knows nothing about ports or cards. `FrameReader` is
fed whatever bytes arrive and hands back whole frames, skipping garbage up to the next preamble, so
the same code serves the driver (responses) and the simulator (requests).
"""
from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
# Longest body we accept: text+photo+fingerprint is 3 + 6 + 256 + 1024 + 1024 + 1 = 2314 bytes.
# Anything much larger is line noise that happens to follow a preamble.
MAX_LEN = 4096
MIN_REQUEST_LEN = 3   # CMD PARA CHK
MIN_RESPONSE_LEN = 4  # SW1 SW2 SW3 CHK

# commands (CMD, PARA)
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_TEXT_PHOTO_FP = (0x30, 0x10)
SET_RF_FRAME = (0x61, 0xFF)

# SW3 status bytes
ST_SUCCESS = 0x90
ST_NO_CONTENT = 0x91
ST_FIND_OK = 0x9F
ST_FIND_FAILED = 0x80
ST_SELECT_FAILED = 0x81
ST_READ_FAILED = 0x41
ST_CHECKSUM = 0x10
ST_LENGTH = 0x11
ST_BAD_COMMAND = 0x21
ST_UNAUTHORISED = 0x23
ST_UNRECOGNISED = 0x24
ST_CARD_AUTH_TERMINAL = 0x31
ST_TERMINAL_AUTH_CARD = 0x32
ST_VERIFY = 0x33
ST_NOT_FOUND_YET = 0x34
ST_UNKNOWN_CARD = 0x40
ST_RANDOM = 0x47
ST_SAM_SELFTEST = 0x60
ST_SAM_NOT_AUTHORISED = 0x66

STATUS_NAMES = {
    0x90: "success", 0x91: "no content", 0x9F: "find card success", 0x80: "find card failed",
    0x81: "select card failed", 0x41: "read failed", 0x10: "checksum error", 0x11: "length error",
    0x21: "bad command", 0x23: "unauthorised operation", 0x24: "unrecognised error",
    0x31: "card authentication of terminal failed", 0x32: "terminal authentication of card failed",
    0x33: "information verification error", 0x34: "card not found yet", 0x40: "unknown card type",
    0x47: "random number failed", 0x60: "SAM self-test failed", 0x66: "SAM not authorised",
}


class FrameError(ValueError):
    """A frame that cannot be taken apart (wrong checksum, impossible length)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def checksum(data: bytes) -> int:
    """XOR of all bytes (the caller passes LEN_H .. last data byte)."""
    value = 0
    for b in data:
        value ^= b
    return value


def _frame(body: bytes) -> bytes:
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError("frame body too long")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([checksum(head + body)])


def build_request(command: tuple[int, int], data: bytes = b"") -> bytes:
    """Request frame for (CMD, PARA) and optional data: build_request(FIND_CARD) -> AA AA AA 96 69 00 03 20 01 22."""
    cmd, para = command
    return _frame(bytes([cmd, para]) + bytes(data))


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """Response frame with status SW3 (used by the simulator and the tests)."""
    return _frame(bytes([sw1, sw2, sw3]) + bytes(data))


@dataclass(frozen=True)
class RawFrame:
    """Body of one frame between the length field and the checksum (checksum verified)."""
    body: bytes


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.sw3, f"status {self.sw3:02X}")


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes

    @property
    def command(self) -> tuple[int, int]:
        return (self.cmd, self.para)


def parse_response(frame: RawFrame) -> Response:
    if len(frame.body) < 3:
        raise FrameError("length", f"response body of {len(frame.body)} bytes")
    b = frame.body
    return Response(b[0], b[1], b[2], bytes(b[3:]))


def parse_request(frame: RawFrame) -> Request:
    if len(frame.body) < 2:
        raise FrameError("length", f"request body of {len(frame.body)} bytes")
    b = frame.body
    return Request(b[0], b[1], bytes(b[2:]))


class FrameReader:
    """Incremental frame splitter: `feed(bytes)`, then `next_frame()` until it returns None.

    Garbage before a preamble is dropped (counted in `skipped`). A length outside [min_len, MAX_LEN]
    means the preamble was a false one: the reader skips one byte and looks again, so real frames
    after noise are still found. A checksum mismatch consumes the frame and raises FrameError so that
    the caller can ask again; the reader itself stays usable.
    """

    def __init__(self, min_len: int = MIN_RESPONSE_LEN, max_len: int = MAX_LEN) -> None:
        self._buf = bytearray()
        self.min_len = min_len
        self.max_len = max_len
        self.skipped = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def clear(self) -> None:
        self.skipped += len(self._buf)
        self._buf.clear()

    @property
    def pending(self) -> int:
        """Bytes held that do not yet make a frame."""
        return len(self._buf)

    def bytes_wanted(self) -> int:
        """How many more bytes complete the frame being received (at least 1) — lets the caller read
        a whole frame in one call instead of byte by byte."""
        buf = self._buf
        start = buf.find(PREAMBLE)
        if start < 0:
            return 7  # a frame is never shorter than preamble + length, so this never over-asks
        if len(buf) < start + 7:
            return start + 7 - len(buf)
        length = int.from_bytes(buf[start + 5:start + 7], "big")
        if not self.min_len <= length <= self.max_len:
            return 1
        return max(1, start + 7 + length - len(buf))

    def next_frame(self) -> RawFrame | None:
        buf = self._buf
        while True:
            start = buf.find(PREAMBLE)
            if start < 0:
                # keep a tail that could be the start of a preamble split across reads
                keep = 0
                for n in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
                    if buf.endswith(PREAMBLE[:n]):
                        keep = n
                        break
                self.skipped += len(buf) - keep
                del buf[:len(buf) - keep]
                return None
            if start:
                self.skipped += start
                del buf[:start]
            if len(buf) < 7:
                return None
            length = int.from_bytes(buf[5:7], "big")
            if not self.min_len <= length <= self.max_len:
                self.skipped += 1
                del buf[:1]  # a false preamble inside noise: look for the next one
                continue
            end = 7 + length
            if len(buf) < end:
                return None
            head_body = bytes(buf[5:end - 1])
            chk = buf[end - 1]
            del buf[:end]
            if checksum(head_body) != chk:
                raise FrameError("checksum", f"frame of {length} bytes")
            return RawFrame(head_body[2:])


def sam_id_text(data: bytes) -> str:
    """Printable SAM id from the 16 data bytes of READ_SAM_ID: `05.01-20150101-000012345-1234567890`."""
    if len(data) < 16:
        raise FrameError("length", f"SAM id of {len(data)} bytes")
    a = int.from_bytes(data[0:2], "little")
    b = int.from_bytes(data[2:4], "little")
    c = int.from_bytes(data[4:8], "little", signed=True)
    d = int.from_bytes(data[8:12], "little", signed=True)
    e = int.from_bytes(data[12:16], "little", signed=True)
    return f"{a:02d}.{b:02d}-{c}-{d:09d}-{e:09d}"


def sam_id_bytes(a: int, b: int, c: int, d: int, e: int) -> bytes:
    """Inverse of `sam_id_text` (simulator)."""
    return (a.to_bytes(2, "little") + b.to_bytes(2, "little") + c.to_bytes(4, "little", signed=True)
            + d.to_bytes(4, "little", signed=True) + e.to_bytes(4, "little", signed=True))


@dataclass(frozen=True)
class CardData:
    """The read answer split by its own length fields (never hardcoded sizes)."""
    text: bytes
    photo: bytes
    fingerprint: bytes | None


def split_read_data(data: bytes, with_fingerprint: bool) -> CardData:
    """Take apart the data of a READ_TEXT_PHOTO(_FP) answer using the lengths it carries."""
    head = 6 if with_fingerprint else 4
    if len(data) < head:
        raise FrameError("length", f"read answer of {len(data)} bytes")
    tlen = int.from_bytes(data[0:2], "big")
    plen = int.from_bytes(data[2:4], "big")
    flen = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if head + tlen + plen + flen != len(data):
        raise FrameError("length", f"read answer says {tlen}+{plen}+{flen} but carries {len(data) - head}")
    text = data[head:head + tlen]
    photo = data[head + tlen:head + tlen + plen]
    fp = data[head + tlen + plen:] if with_fingerprint else None
    return CardData(bytes(text), bytes(photo), bytes(fp) if fp is not None else None)


def join_read_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """Inverse of `split_read_data` (simulator)."""
    out = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
    if fingerprint is not None:
        out += len(fingerprint).to_bytes(2, "big")
    return out + text + photo + (fingerprint or b"")
