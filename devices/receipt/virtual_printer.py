"""A virtual ESC/POS receipt printer on a TCP port or a pty: parses what it receives, answers DLE EOT.

Independent of python-escpos on purpose (tests and the bench check the driver against it): the
parser here knows the command lengths from the ESC/POS reference, rebuilds every raster image
(GS v 0) into a picture, keeps text bytes, and closes a receipt at each cut (GS V). It answers the
real-time status queries from its `condition`, which tests change: paper near end, paper end,
cover open, offline, or `silent` (never answers) — at once (`set`), or after so many more bytes or
at the next cut (`change_after`: the roll runs out or the cover is opened in the middle of a job).
While the paper is out or the cover is open it prints nothing, as a real printer stops. The status
answers are composed here from the Epson bit table (STATUS_* below), not with the driver's codec, so
a test that passes shows the two agree. `bytes_per_s` makes it take data no faster than a wire of
that speed (the bench), and each finished receipt is timed on arrival of its cut.

The simulator twin (devices/receipt/simulator.py) is the real driver talking to one of these.
"""
from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PIL import Image

# DLE EOT n answers (Epson ESC/POS reference, "DLE EOT: transmit real-time status"): bits 1 and 4 are
# always 1, bits 0 and 7 always 0
STATUS_FIXED = 0b0001_0010
STATUS_OFFLINE = 1 << 3             # n=1 printer status: bit 3 offline
CAUSE_COVER_OPEN = 1 << 2           # n=2 offline cause: bit 2 cover open
CAUSE_PAPER_END_STOP = 1 << 5       #                    bit 5 printing stopped by paper end
CAUSE_ERROR = 1 << 6                #                    bit 6 an error occurred
ERROR_UNRECOVERABLE = 1 << 5        # n=3 error cause:   bit 5 unrecoverable error
PAPER_NEAR_END_BITS = 0b11 << 2     # n=4 roll paper sensor: bits 2-3 near end
PAPER_END_BITS = 0b11 << 5          #                        bits 5-6 paper end


@dataclass(frozen=True)
class PrinterCondition:
    """How the virtual printer is (its own notion, not the driver's Condition)."""
    online: bool = True
    cover_open: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    error: bool = False

    def answer(self, n: int) -> int:
        """The byte a printer in this condition sends for DLE EOT n."""
        stopped = self.cover_open or self.paper_end or self.error or not self.online
        bits = {1: STATUS_OFFLINE if stopped else 0,
                2: ((CAUSE_COVER_OPEN if self.cover_open else 0) | (CAUSE_PAPER_END_STOP if self.paper_end else 0)
                    | (CAUSE_ERROR if self.error else 0)),
                3: ERROR_UNRECOVERABLE if self.error else 0,
                4: (PAPER_NEAR_END_BITS if self.paper_near_end else 0) | (PAPER_END_BITS if self.paper_end else 0)}
        return STATUS_FIXED | bits.get(n, 0)


CONDITIONS = {"ok": PrinterCondition(), "paper_near_end": PrinterCondition(paper_near_end=True),
              "paper_out": PrinterCondition(paper_end=True),
              "cover_open": PrinterCondition(cover_open=True), "offline": PrinterCondition(online=False),
              "silent": PrinterCondition()}

# ESC / GS / FS commands with a fixed number of parameter bytes after the command letter
ESC_FIXED = {b"@": 0, b"a": 1, b"!": 1, b"E": 1, b"-": 1, b"d": 1, b"J": 1, b"t": 1, b"M": 1, b"G": 1,
             b"2": 0, b"3": 1, b"R": 1, b"p": 3, b"{": 1, b"V": 1, b"=": 1, b"c": 2, b"r": 1, b"U": 1,
             b" ": 1, b"e": 1, b"i": 0, b"m": 0}
GS_FIXED = {b"!": 1, b"B": 1, b"h": 1, b"w": 1, b"H": 1, b"f": 1, b"L": 2, b"W": 2, b"b": 1, b"r": 1,
            b"a": 1, b"I": 1, b"P": 2}
FS_FIXED = {b"&": 0, b".": 0, b"C": 1, b"!": 1, b"-": 1, b"W": 1, b"S": 2}
NEED_MORE = -1


@dataclass
class Printed:
    """One receipt as it came out: its pictures stacked, its text, when its cut arrived."""
    images: list[Image.Image] = field(default_factory=list)
    text: bytearray = field(default_factory=bytearray)
    bytes_in: int = 0
    cut_at: float = 0.0

    def image(self) -> Image.Image | None:
        """All raster pieces stacked top to bottom (None when the receipt had no picture)."""
        if not self.images:
            return None
        width = max(i.width for i in self.images)
        out = Image.new("1", (width, sum(i.height for i in self.images)), 1)
        y = 0
        for piece in self.images:
            out.paste(piece, (0, y))
            y += piece.height
        return out


class EscPosParser:
    """Incremental ESC/POS parser: `feed(bytes)` returns the bytes to answer (DLE EOT status)."""

    def __init__(self, printer: "VirtualEscposPrinter") -> None:
        self.printer = printer
        self.buffer = bytearray()
        self.current = Printed()
        self.unknown: list[bytes] = []

    def feed(self, data: bytes) -> bytes:
        self.buffer += data
        self.current.bytes_in += len(data)
        answer = bytearray()
        while self.buffer:
            used = self._one(answer)
            if used == NEED_MORE:
                break
            del self.buffer[:used]
        return bytes(answer)

    def _one(self, answer: bytearray) -> int:
        b = self.buffer
        first = b[0]
        if first == 0x10:                                   # DLE: real-time commands
            if len(b) < 3:
                return NEED_MORE
            if b[1] == 0x04:
                reply = self.printer.status_reply(b[2])
                if reply is not None:
                    answer.append(reply)
                return 3
            if b[1] == 0x14:                                # DLE DC4 fn m t (pulse / clear)
                return NEED_MORE if len(b) < 5 else 5
            self.unknown.append(bytes(b[:2]))
            return 2
        if first == 0x1B:
            return self._fixed(ESC_FIXED, b"\x1b")
        if first == 0x1D:
            if len(b) < 2:
                return NEED_MORE
            cmd = b[1:2]
            if cmd == b"v":
                return self._raster()
            if cmd == b"V":
                return self._cut()
            if cmd == b"(":                                  # GS ( k / GS ( L ...: pL pH data
                if len(b) < 5:
                    return NEED_MORE
                size = 5 + b[3] + 256 * b[4]
                return NEED_MORE if len(b) < size else size
            return self._fixed(GS_FIXED, b"\x1d")
        if first == 0x1C:
            return self._fixed(FS_FIXED, b"\x1c")
        if first in (0x0A, 0x0D, 0x09) or first >= 0x20:
            if self.printer.prints():
                self.current.text.append(first)
            return 1
        self.unknown.append(bytes(b[:1]))
        return 1

    def _fixed(self, table: dict[bytes, int], prefix: bytes) -> int:
        b = self.buffer
        if len(b) < 2:
            return NEED_MORE
        n = table.get(bytes(b[1:2]))
        if n is None:
            self.unknown.append(bytes(b[:2]))
            return 2
        return NEED_MORE if len(b) < 2 + n else 2 + n

    def _raster(self) -> int:
        b = self.buffer                                     # GS v 0 m xL xH yL yH d1..dk
        if len(b) < 8:
            return NEED_MORE
        width_bytes, height = b[4] + 256 * b[5], b[6] + 256 * b[7]
        size = 8 + width_bytes * height
        if len(b) < size:
            return NEED_MORE
        if self.printer.prints() and width_bytes and height:
            raw = bytes(b[8:size])
            # ESC/POS raster: 1 = black dot; PIL mode "1" raw: 1 = white, so invert
            piece = Image.frombytes("1", (width_bytes * 8, height), bytes(x ^ 0xFF for x in raw))
            self.current.images.append(piece)
        return size

    def _cut(self) -> int:
        b = self.buffer                                     # GS V m | GS V m n (m = 65, 66)
        if len(b) < 3:
            return NEED_MORE
        size = 4 if b[2] in (65, 66) else 3
        if len(b) < size:
            return NEED_MORE
        if self.printer.prints():
            done, self.current = self.current, Printed()
            done.cut_at = time.monotonic()
            done.bytes_in -= len(self.buffer) - size        # bytes after the cut belong to the next one
            self.current.bytes_in = len(self.buffer) - size
            self.printer.finished(done)
        return size


class VirtualEscposPrinter:
    """A receipt printer for tests, the bench and the simulator: serve_tcp() or serve_pty(path)."""

    def __init__(self, condition: PrinterCondition | None = None, *, silent: bool = False,
                 bytes_per_s: float | None = None,
                 on_receipt: Callable[[Printed], None] | None = None) -> None:
        self.condition = condition or PrinterCondition()
        self.silent = silent
        self.bytes_seen = 0                          # every byte received, all connections
        self._change: tuple[str, int | None] | None = None   # (condition, at bytes_seen | None = next cut)
        self.bytes_per_s = bytes_per_s
        self.on_receipt = on_receipt
        self.receipts: list[Printed] = []
        self.queries: list[int] = []
        self.parsers: list[EscPosParser] = []
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._server: socket.socket | None = None
        self._pty: tuple[int, int, Path] | None = None
        self.port = 0

    # -- what the printer says and does -----------------------------------------------------------
    def set(self, name: str) -> None:
        """ok | paper_near_end | paper_out | cover_open | offline | silent."""
        self.condition = CONDITIONS[name]
        self.silent = name == "silent"

    def change_after(self, name: str, bytes_in: int | None = None) -> None:
        """Become `name` once `bytes_in` more bytes have arrived (mid-receipt), or, without
        `bytes_in`, right after the next cut (the job came out, then the roll ended or the cover opened)."""
        if name not in CONDITIONS:
            raise KeyError(name)
        self._change = (name, None if bytes_in is None else self.bytes_seen + bytes_in)

    def _take(self, parser: "EscPosParser", data: bytes) -> bytes:
        """Feed `data`, switching condition at the armed byte if it falls inside."""
        change = self._change
        if change is not None and change[1] is not None and self.bytes_seen + len(data) >= change[1]:
            split = max(0, change[1] - self.bytes_seen)
            self.bytes_seen += split
            reply = parser.feed(data[:split]) if split else b""
            self._change = None
            self.set(change[0])
            return reply + self._take(parser, data[split:]) if data[split:] else reply
        self.bytes_seen += len(data)
        return parser.feed(data)

    def status_reply(self, n: int) -> int | None:
        self.queries.append(n)
        if self.silent:
            return None
        return self.condition.answer(n)

    def prints(self) -> bool:
        c = self.condition
        return c.online and not c.cover_open and not c.paper_end and not c.error

    def finished(self, receipt: Printed) -> None:
        with self._cond:
            self.receipts.append(receipt)
            self._cond.notify_all()
        if self._change is not None and self._change[1] is None:
            name, self._change = self._change[0], None
            self.set(name)
        if self.on_receipt is not None:
            self.on_receipt(receipt)

    def wait_receipts(self, count: int, timeout: float = 10.0) -> list[Printed]:
        """Block until `count` receipts have been cut (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.receipts) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{count} receipts not printed; got {len(self.receipts)}")
                self._cond.wait(left)
            return list(self.receipts)

    # -- the wire --------------------------------------------------------------------------------
    def _pace(self, n: int, clock: list[float]) -> None:
        """Take `n` bytes no faster than the wire: a schedule, so parsing time is not added on top."""
        if self.bytes_per_s:
            now = time.monotonic()
            clock[0] = max(clock[0], now) + n / self.bytes_per_s
            if clock[0] > now:
                time.sleep(clock[0] - now)

    def _serve_stream(self, recv: Callable[[], bytes], send: Callable[[bytes], None]) -> None:
        parser = EscPosParser(self)
        self.parsers.append(parser)
        clock = [0.0]
        while not self._stop.is_set():
            try:
                data = recv()
            except (OSError, socket.timeout):
                return
            if data is None:
                continue
            if not data:
                return
            self._pace(len(data), clock)
            reply = self._take(parser, data)
            if reply:
                try:
                    send(reply)
                except OSError:
                    return

    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> "VirtualEscposPrinter":
        """Listen on host:port (0 = any free port, see `.port`); one connection at a time, as a printer."""
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self.bytes_per_s:   # a small window, so that a slow printer really holds the sender back
            server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        server.bind((host, port))
        server.listen(4)
        server.settimeout(0.2)
        self._server, self.port = server, server.getsockname()[1]
        self._spawn(self._accept_loop, "virtual-escpos-tcp")
        return self

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(0.2)

            def recv(conn=conn):
                try:
                    return conn.recv(1024 if self.bytes_per_s else 65536)
                except socket.timeout:
                    return None
            try:
                self._serve_stream(recv, conn.sendall)
            finally:
                conn.close()

    def serve_pty(self, link: str | os.PathLike) -> "VirtualEscposPrinter":
        """A pty whose slave is reachable at `link` (a symlink), as a printer on a serial port."""
        master, slave = os.openpty()
        tty.setraw(slave)
        link = Path(link)
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.ttyname(slave))
        self._pty = (master, slave, link)

        def recv():
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                return None
            try:
                return os.read(master, 1024 if self.bytes_per_s else 65536)
            except OSError:   # the driver closed its side: wait for the next open
                time.sleep(0.05)
                return None
        self._spawn(lambda: self._serve_stream(recv, lambda data: os.write(master, data)), "virtual-escpos-pty")
        return self

    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(2)
        if self._server is not None:
            self._server.close()
        if self._pty is not None:
            master, slave, link = self._pty
            for fd in (master, slave):
                try:
                    os.close(fd)
                except OSError:
                    pass
            if link.is_symlink():
                link.unlink()
            self._pty = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)


__all__ = ["VirtualEscposPrinter", "EscPosParser", "Printed", "PrinterCondition", "CONDITIONS"]
