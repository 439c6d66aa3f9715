"""The serial QR scanner: each code arrives as a line (CR and/or LF) over pyserial."""
from __future__ import annotations

from devices.scanner.base import ScannerDevice
from devices.states import Completion, DeviceError, DeviceState

MAX_CODE_BYTES = 4096          # longer "lines" are noise (wrong baud rate, a stuck trigger)


def decode_line(raw: bytes) -> str:
    """Scanner bytes to text: UTF-8, else GB18030 (Chinese scanners' other setting)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


class SerialScanner(ScannerDevice):
    """A scanner on a serial port that sends each code followed by CR and/or LF."""

    def __init__(self, port: str, baudrate: int = 9600, reopen_after: float = 2.0) -> None:
        super().__init__()
        self.port = port
        self.baudrate = baudrate
        self.reopen_after = reopen_after

    def _run(self) -> None:
        import serial

        told_missing = False
        while not self._stop.is_set():
            try:
                conn = serial.Serial(self.port, self.baudrate, timeout=0.2)
            except (serial.SerialException, OSError):
                if not told_missing:  # tell once per outage, not at every retry
                    told_missing = True
                    self.report_error(DeviceError(Completion.DEVICE_NOT_READY, "scanner_missing",
                                                  "扫码器暂时不能使用，请使用身份证办理。"))
                self.set_state(DeviceState.POWER_OFF, "serial port not available")
                self._stop.wait(self.reopen_after)
                continue
            told_missing = False
            self.set_state(DeviceState.ONLINE)
            try:
                self._read_lines(conn)
            except (serial.SerialException, OSError):
                self.set_state(DeviceState.POWER_OFF, "serial port went away")
            finally:
                conn.close()

    def _read_lines(self, conn) -> None:
        buffer = bytearray()
        discarding = False   # inside an over-long line: drop everything up to its end
        while not self._stop.is_set():
            chunk = conn.read(conn.in_waiting or 1)
            if not chunk:
                continue
            buffer += chunk
            while True:
                ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
                if not ends:
                    break
                end = min(ends)
                line, buffer = bytes(buffer[:end]), buffer[end + 1:]
                if discarding:
                    discarding = False
                    continue
                if len(line) > MAX_CODE_BYTES:
                    self._garbage()
                    continue
                text = decode_line(line).strip()
                if text:
                    self.events.emit("code", text)
            if len(buffer) > MAX_CODE_BYTES:
                buffer.clear()
                if not discarding:
                    discarding = True
                    self._garbage()

    def _garbage(self) -> None:
        self.report_error(DeviceError(Completion.HARDWARE_ERROR, "scanner_garbage", "没有读到完整的码，请再扫一次。",
                                      "line longer than 4096 bytes"))


def from_settings(settings) -> SerialScanner:
    """[scanner] driver = serial."""
    return SerialScanner(settings.get("scanner", "port"), settings.getint("scanner", "baudrate"))
