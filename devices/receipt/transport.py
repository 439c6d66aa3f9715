"""The wires a receipt printer hangs on, built on python-escpos's backends, with timeouts of our own.

python-escpos's status read waits for 16 bytes (serial) or blocks as long as the socket allows; a
printer answers DLE EOT with one byte, and one that never answers must not hold a citizen. Each
transport here sends in chunks (every chunk has its own deadline, so a printer that stops taking
data is noticed in seconds however long the receipt) and reads one status byte with a deadline.
"""
from __future__ import annotations

import socket
import time

CHUNK = 4096


class TransportError(Exception):
    """The wire failed: `kind` is "open" (no printer there), "read" (no answer) or "write" (stalled)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class Transport:
    """open / send / read_byte / close over one python-escpos backend."""

    description = "printer"
    min_rate = 10_000.0    # bytes/s the slowest printer we expect takes raster data at

    def open(self) -> None:
        raise NotImplementedError

    def send(self, data: bytes, timeout: float) -> None:
        raise NotImplementedError

    def read_byte(self, timeout: float) -> int | None:
        """One byte, or None when nothing came within `timeout` seconds."""
        raise NotImplementedError

    def drain(self) -> None:
        """Drop late answers (a slow printer's reply to an earlier question)."""

    def close(self) -> None:
        raise NotImplementedError


class NetworkTransport(Transport):
    """A printer on TCP port 9100 (python-escpos `Network`)."""

    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0) -> None:
        self.host, self.port, self.connect_timeout = host, port, connect_timeout
        self.description = f"tcp {host}:{port}"
        self._printer = None

    def open(self) -> None:
        from escpos.printer import Network
        printer = Network(self.host, self.port, timeout=self.connect_timeout)
        try:
            printer.open()
        except Exception as exc:  # DeviceNotFoundError wraps the OSError
            raise TransportError("open", f"{type(exc).__name__}") from None
        # status questions are 3 bytes: without TCP_NODELAY each waits for the delayed ACK of the last
        printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._printer = printer

    @property
    def _sock(self) -> socket.socket:
        assert self._printer is not None, "transport not open"
        return self._printer.device

    def send(self, data: bytes, timeout: float) -> None:
        sock = self._sock
        sock.settimeout(timeout)
        try:
            for start in range(0, len(data), CHUNK):
                sock.sendall(data[start:start + CHUNK])
        except socket.timeout:
            raise TransportError("write", "printer stopped taking data") from None
        except OSError as exc:
            raise TransportError("write", type(exc).__name__) from None

    def read_byte(self, timeout: float) -> int | None:
        sock = self._sock
        sock.settimeout(timeout)
        try:
            got = sock.recv(1)
        except socket.timeout:
            return None
        except OSError as exc:
            raise TransportError("read", type(exc).__name__) from None
        if not got:
            raise TransportError("read", "connection closed")
        return got[0]

    def drain(self) -> None:
        sock = self._sock
        sock.setblocking(False)
        try:
            while sock.recv(64):
                pass
        except (BlockingIOError, OSError):
            pass
        finally:
            sock.setblocking(True)

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()
            self._printer = None


class SerialTransport(Transport):
    """A printer on a serial port (python-escpos `Serial`, pyserial underneath)."""

    def __init__(self, device: str, baudrate: int = 115200) -> None:
        self.device, self.baudrate = device, baudrate
        self.description = f"serial {device} @ {baudrate}"
        self.min_rate = baudrate / 10
        self._printer = None

    def open(self) -> None:
        from escpos.printer import Serial
        printer = Serial(self.device, baudrate=self.baudrate, timeout=1)
        try:
            printer.open()
        except Exception as exc:
            raise TransportError("open", type(exc).__name__) from None
        if not printer.device:
            raise TransportError("open", "serial port not available")
        self._printer = printer

    def send(self, data: bytes, timeout: float) -> None:
        port = self._printer.device
        # a chunk needs its wire time plus the deadline (a slow baud rate is not a stall)
        port.write_timeout = timeout + CHUNK * 10 / self.baudrate
        try:
            for start in range(0, len(data), CHUNK):
                port.write(data[start:start + CHUNK])
            port.flush()
        except Exception as exc:  # SerialTimeoutException, SerialException, OSError
            raise TransportError("write", type(exc).__name__) from None

    def read_byte(self, timeout: float) -> int | None:
        port = self._printer.device
        port.timeout = timeout
        try:
            got = port.read(1)
        except Exception as exc:
            raise TransportError("read", type(exc).__name__) from None
        return got[0] if got else None

    def drain(self) -> None:
        try:
            self._printer.device.reset_input_buffer()
        except Exception:
            pass

    def close(self) -> None:
        if self._printer is not None:
            try:
                self._printer.close()
            except Exception:
                pass
            self._printer = None


class UsbTransport(Transport):
    """A USB printer (python-escpos `Usb`, needs pyusb and access to the device node)."""

    def __init__(self, vendor: int, product: int) -> None:
        self.vendor, self.product = vendor, product
        self.description = f"usb {vendor:04x}:{product:04x}"
        self._printer = None

    def open(self) -> None:
        try:
            from escpos.printer import Usb
            printer = Usb(self.vendor, self.product, timeout=2000)
            printer.open()
        except Exception as exc:  # no pyusb, no device, no permission
            raise TransportError("open", type(exc).__name__) from None
        self._printer = printer

    def send(self, data: bytes, timeout: float) -> None:
        try:
            for start in range(0, len(data), CHUNK):
                self._printer._raw(data[start:start + CHUNK])
        except Exception as exc:
            raise TransportError("write", type(exc).__name__) from None

    def read_byte(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got = self._printer._read()
            except Exception:
                got = b""
            if got:
                return got[0]
            time.sleep(0.02)
        return None

    def close(self) -> None:
        if self._printer is not None:
            try:
                self._printer.close()
            except Exception:
                pass
            self._printer = None
