"""QR scanners: a serial scanner over a real pty, and the HID keyboard-wedge detector."""
from __future__ import annotations

import os
import threading

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from devices.scanner.hid import HidScanner, HidWedgeDetector
from devices.scanner.serial import SerialScanner
from devices.states import DeviceState


class Codes:
    def __init__(self, device) -> None:
        self.codes: list[str] = []
        self.errors = []
        self.cond = threading.Condition()
        device.events.subscribe(self)

    def __call__(self, event, payload) -> None:
        with self.cond:
            if event == "code":
                self.codes.append(payload)
            elif event == "error":
                self.errors.append(payload)
            self.cond.notify_all()

    def wait_for(self, predicate, timeout: float = 10) -> bool:
        with self.cond:
            return self.cond.wait_for(predicate, timeout)


@pytest.fixture
def pty_scanner():
    master, slave = os.openpty()
    scanner = SerialScanner(os.ttyname(slave), 9600)
    codes = Codes(scanner)
    online = threading.Event()
    scanner.events.subscribe(lambda e, p: online.set() if e == "state" and p.state is DeviceState.ONLINE else None)
    scanner.start()
    # pyserial flushes the input when it opens the port: write only once it is open
    assert online.wait(10)
    try:
        yield scanner, master, codes
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)


def test_serial_lines_become_codes(pty_scanner):
    scanner, master, codes = pty_scanner
    os.write(master, b"RC1.R.abc.def\r\n")
    os.write(master, b"https://hzzwfw.example.cn/c/1\n")
    os.write(master, "居民码ABC\r".encode("utf-8"))
    os.write(master, "企业码".encode("gb18030") + b"\r\n")
    os.write(master, b"SPLIT-")          # one code arriving in two reads
    assert codes.wait_for(lambda: len(codes.codes) >= 4)
    os.write(master, b"IN-TWO\r\n")
    assert codes.wait_for(lambda: len(codes.codes) >= 5)
    assert codes.codes == ["RC1.R.abc.def", "https://hzzwfw.example.cn/c/1", "居民码ABC", "企业码", "SPLIT-IN-TWO"]
    assert scanner.status().state is DeviceState.ONLINE


def test_serial_garbage_is_reported_and_dropped(pty_scanner):
    scanner, master, codes = pty_scanner
    # an over-long line (wrong baud rate, a stuck trigger), however the pty happens to split it
    os.write(master, b"x" * 5000 + b"\r\n")
    assert codes.wait_for(lambda: codes.errors)
    os.write(master, b"AFTER\r\n")
    assert codes.wait_for(lambda: codes.codes)
    assert codes.codes == ["AFTER"] and len(codes.errors) == 1
    assert codes.errors[0].code == "scanner_garbage" and "再扫一次" in codes.errors[0].message


def test_missing_serial_port_is_power_off(tmp_path):
    scanner = SerialScanner(str(tmp_path / "ttyNOPE"), reopen_after=0.05)
    codes = Codes(scanner)
    scanner.start()
    assert codes.wait_for(lambda: codes.errors)
    scanner._stop.wait(0.2)            # a few retries
    scanner.stop()
    assert scanner.status().state is DeviceState.POWER_OFF
    assert [e.code for e in codes.errors] == ["scanner_missing"]


def feed_all(detector: HidWedgeDetector, keys: list[str], gaps_ms: list[float], t0: float = 100.0):
    t, out = t0, []
    for key, gap in zip(keys, gaps_ms):
        t += gap / 1000
        code = detector.feed(key, t)
        if code:
            out.append(code)
    return out


def scan_keys(text: str) -> list[str]:
    return list(text) + ["enter"]


def test_fast_burst_ending_in_enter_is_a_scan():
    text = "RC1.R.eyJzdWIiOiIxIn0.c2ln"
    assert feed_all(HidWedgeDetector(35), scan_keys(text), [8] * (len(text) + 1)) == [text]


def test_person_typing_is_never_a_scan():
    d = HidWedgeDetector(35)
    text = "13812345678"
    assert feed_all(d, scan_keys(text), [150] * (len(text) + 1)) == []
    # a quick typist's rollover: two fast keys, then Enter quickly
    assert feed_all(d, list("as") + ["enter"], [120, 20, 25]) == []
    # a fast burst of characters but Enter pressed by a person later
    assert feed_all(d, scan_keys("ABCDEFGHIJ"), [5] * 10 + [400]) == []


def test_typing_before_a_scan_is_not_part_of_it():
    d = HidWedgeDetector(35)
    keys = list("abc") + list("CODE-12345") + ["enter"]
    gaps = [200, 180, 210] + [300] + [6] * 9 + [6]
    assert feed_all(d, keys, gaps) == ["CODE-12345"]


def test_shift_for_capitals_does_not_break_a_burst():
    keys = ["lshift", "R", "lshift", "C", "1", ".", "r", "enter"]
    d = HidWedgeDetector(35, min_length=4)
    assert feed_all(d, keys, [4] * len(keys)) == ["RC1.r"]


def test_named_keys_break_a_burst():
    d = HidWedgeDetector(35)
    keys = list("ABCDE") + ["backspace"] + list("FG") + ["enter"]
    assert feed_all(d, keys, [5] * len(keys)) == []


def test_hid_scanner_device_emits_codes():
    scanner = HidScanner(35)
    codes = Codes(scanner)
    scanner.start()
    t = 50.0
    for key in scan_keys("HZ-0001-ABC"):
        t += 0.01
        scanner.feed_key(key, t)
    assert codes.codes == ["HZ-0001-ABC"] and scanner.status().state is DeviceState.ONLINE


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789") + ["enter", "backspace"]),
                          st.floats(min_value=60, max_value=2000)), max_size=60))
def test_fuzzed_human_typing_never_scans(presses):
    d = HidWedgeDetector(35)
    keys = [k for k, _ in presses]
    gaps = [g for _, g in presses]
    assert feed_all(d, keys, gaps) == []
