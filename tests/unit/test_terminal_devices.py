"""The terminal core follows its devices: a card laid on the (simulated) reader reaches the event stream
twice — `device` without the record, for any follower, and `device_detail` with it, for the screen on
show — and a device swapped while the terminal runs is followed in place of the old one."""
from __future__ import annotations

import time

from devices.scanner.simulator import SimulatedScanner
from kiosk.devices_hub import DEVICE_SECTIONS
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from kiosk.voice import Voice


def _settings(data_dir, section: str):
    """Only `section`'s simulator fitted, every other device none."""
    drivers = {(s, "driver"): "simulator" if s == section else "none" for s in DEVICE_SECTIONS}
    return load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir), **drivers})


def _wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert condition()


def test_a_card_reaches_the_stream_with_its_record_only_in_device_detail(data_dir):
    terminal = Terminal(_settings(data_dir, "idcard"), voice=Voice(enabled=False))
    seen: list = []
    terminal.events.subscribe(lambda event, data: seen.append((event, dict(data))))
    terminal.start(services=False, devices=True)
    try:
        reader = terminal.hub.get("idcard")
        _wait(lambda: reader.status().state.value == "online")
        record = reader.present("resident")
        _wait(lambda: any(e == "device_detail" and d["event"] == "card_presented" for e, d in seen))
        plain = [d for e, d in seen if e == "device" and d["event"] == "card_presented"]
        detail = [d for e, d in seen if e == "device_detail" and d["event"] == "card_presented"]
        assert plain == [{"device": "idcard", "event": "card_presented"}]      # no record for followers
        got = detail[0]["payload"]
        assert (got.name, got.id_number) == (record.name, record.id_number) and detail[0]["device"] == "idcard"
        assert detail[0]["at"] <= time.monotonic()
    finally:
        terminal.stop()


def test_a_swapped_device_is_followed_and_the_old_one_no_longer(data_dir):
    terminal = Terminal(_settings(data_dir, "scanner"), voice=Voice(enabled=False))
    codes: list = []
    terminal.events.subscribe(lambda event, data: codes.append(data["payload"])
                              if event == "device_detail" and data["event"] == "code" else None)
    terminal.start(services=False, devices=True)
    try:
        first = terminal.hub.get("scanner")
        _wait(lambda: first.status().state.value == "online")
        second = SimulatedScanner()
        assert terminal.replace_device("scanner", second) is first
        first.scan("from the unplugged one")
        second.scan("from the new one")
        _wait(lambda: codes)
        assert codes == ["from the new one"]
        assert terminal.replace_device("scanner", first) is second
        first.scan("back again")
        second.scan("gone")
        _wait(lambda: len(codes) == 2)
        assert codes == ["from the new one", "back again"]
    finally:
        terminal.stop()
