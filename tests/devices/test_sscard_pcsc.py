"""The PC/SC driver against pcscd with the vsmartcard virtual reader and our virtual 社保卡."""
from __future__ import annotations

import pytest

from devices.sscard.vpcd_card import SocialSecurityApplet, VpcdCard, demo_cards
from devices.sscard.reader import SsCardReader
from devices.states import DeviceState

from tests.devices.conftest import Events

pytestmark = pytest.mark.pcsc


@pytest.fixture
def card_slot(pcscd):
    """A virtual card that tests insert and remove; always taken out again."""
    cards = []

    def make(name="default", **kwargs) -> VpcdCard:
        card = VpcdCard(SocialSecurityApplet(demo_cards()[name], **kwargs))
        cards.append(card)
        return card
    yield make
    for card in cards:
        card.remove()


@pytest.fixture
def ss_reader(pcscd):
    reader = SsCardReader(pcscd, wait_ms=100, retry_interval=0.2)
    events = Events(reader)
    reader.start()
    events.wait_state(DeviceState.ONLINE)
    yield reader, events
    reader.stop()


def test_insert_read_and_remove_events_come_from_pcsc(ss_reader, card_slot):
    reader, events = ss_reader
    card = card_slot("default")
    card.insert()
    record = events.wait_event("card_presented")[0]
    assert record.as_json() == demo_cards()["default"].as_json()
    card.remove()
    events.wait_event("card_removed")
    other = card_slot("elder", chain_61=True)
    other.insert()
    second = events.wait_event("card_presented", 2)[-1]
    assert second.name == "赵桂兰" and second.sex == "女" and second.nation == "回"
    other.remove()
    events.wait_event("card_removed", 2)
    assert len(events.names("card_presented")) == 2


def test_6cxx_and_61xx_cards_read_the_same_and_verify_is_never_sent(pcscd, card_slot):
    reader = SsCardReader(pcscd)
    results = []
    for kwargs in ({"strict_le": True}, {"chain_61": True}):
        card = card_slot("default", **kwargs)
        card.insert()
        results.append(reader.read_one(5).as_json())
        assert card.applet.verify_count == 0
        assert card.applet.log, "the card was really talked to through pcscd"
        card.remove()
    assert results[0] == results[1] == demo_cards()["default"].as_json()


def test_a_card_that_is_not_a_social_security_card_gives_a_plain_error(ss_reader, card_slot):
    reader, events = ss_reader
    card = card_slot("default")
    card.applet.process = lambda apdu: b"\x6A\x82"  # no SSSE application on this card
    card.insert()
    error = events.wait_event("error")[0]
    assert error.code == "sscard.not_ssc" and "社会保障卡" in error.message
    assert not events.names("card_presented")


def test_a_reader_name_that_matches_nothing_is_power_off(pcscd):
    reader = SsCardReader("no such reader", retry_interval=0.1)
    events = Events(reader)
    reader.start()
    try:
        events.wait_state(DeviceState.POWER_OFF)
    finally:
        reader.stop()


def test_read_one_without_a_card_times_out_cleanly(pcscd):
    from devices.states import DeviceError
    with pytest.raises(DeviceError) as info:
        SsCardReader(pcscd).read_one(0.5)
    assert info.value.code == "sscard.no_card"


def _pull_out_at(card, apdu_number: int):
    """Make `card` leave the reader (its vpcd connection cut) when the reader sends APDU `apdu_number`."""
    import socket
    real = card.applet.process
    seen = {"n": 0}

    def process(apdu: bytes) -> bytes:
        seen["n"] += 1
        if seen["n"] == apdu_number and card._sock is not None:
            card._sock.shutdown(socket.SHUT_RDWR)   # the card is gone before it answers
            raise OSError("card pulled out")
        return real(apdu)
    card.applet.process = process
    return seen


def test_a_card_pulled_out_mid_read_gives_keep_it_in_then_the_next_card_reads(ss_reader, card_slot):
    reader, events = ss_reader
    card = card_slot("default")
    seen = _pull_out_at(card, 4)       # after the application and EF05 were selected, mid-records
    card.insert()
    error = events.wait_event("error")[0]
    assert error.code in ("sscard.read_failed", "sscard.unresponsive")
    assert error.message == "读卡中断，请把社保卡重新插好，读完前不要拔出"
    assert seen["n"] >= 4
    events.wait_event("card_removed")
    assert not events.names("card_presented"), "nothing half-read is announced"
    card.remove()
    import time
    time.sleep(1.0)   # vpcd takes a moment after a connection cut mid-APDU before it serves a new card
    again = card_slot("elder")
    again.insert()
    record = events.wait_event("card_presented")[0]
    assert record.as_json() == demo_cards()["elder"].as_json()
    assert reader.status().state == DeviceState.ONLINE


def test_read_one_with_the_card_pulled_out_mid_read_says_so(pcscd, card_slot):
    from devices.states import DeviceError
    card = card_slot("default")
    _pull_out_at(card, 5)
    card.insert()
    with pytest.raises(DeviceError) as info:
        SsCardReader(pcscd).read_one(3)
    assert info.value.code in ("sscard.read_failed", "sscard.unresponsive", "sscard.no_card")
    assert "社保卡" in info.value.message


def _pcscd_pids() -> list[int]:
    import subprocess
    out = subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _start_pcscd_and_wait() -> None:
    import subprocess
    import time
    from smartcard.System import readers
    if not _pcscd_pids():
        subprocess.run(["pcscd"], check=True)
    deadline = time.monotonic() + 60   # a restarted pcscd may take a while to bring vpcd's reader up
    while time.monotonic() < deadline:
        try:
            if any("Virtual PCD" in str(r) for r in readers()):
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise AssertionError("pcscd came back without the vsmartcard reader")


def test_pcscd_dying_while_the_terminal_runs_is_power_off_then_back(pcscd, card_slot):
    """pcscd killed under a running reader: powerOff, no crash, and back online with a card read when
    pcscd is started again. pcscd is always left running for the other tests."""
    import os
    import signal
    import time
    if os.geteuid() != 0:
        pytest.skip("needs root to restart pcscd")
    reader = SsCardReader(pcscd, wait_ms=100, retry_interval=0.2)
    events = Events(reader)
    reader.start()
    try:
        events.wait_state(DeviceState.ONLINE)
        killed = _pcscd_pids()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(os.path.exists(f"/proc/{pid}") for pid in killed):   # gone, or a new pcscd refuses to start
            assert time.monotonic() < deadline, "pcscd did not die"
            time.sleep(0.05)
        deadline = time.monotonic() + 10
        while reader.status().state != DeviceState.POWER_OFF:
            assert time.monotonic() < deadline, reader.status()
            time.sleep(0.05)
        assert reader.running, "the driver keeps waiting for pcscd"
        _start_pcscd_and_wait()
        deadline = time.monotonic() + 30
        while reader.status().state != DeviceState.ONLINE:
            assert time.monotonic() < deadline, reader.status()
            time.sleep(0.05)
        card = card_slot("default")
        card.insert()
        assert events.wait_event("card_presented", timeout=15)[0].as_json() == demo_cards()["default"].as_json()
    finally:
        reader.stop()
        _start_pcscd_and_wait()
