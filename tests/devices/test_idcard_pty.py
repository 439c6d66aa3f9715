"""The real ID card driver against the SAM simulator over a pty: cards, noise, statuses, unplug."""
from __future__ import annotations

import random
import time

import pytest

from devices.idcard import sam_protocol as sp
from devices.idcard.reader import IdCardReader
from devices.idcard.sam_simulator import FrameMutator, demo_cards
from devices.idcard.text import encode_text, parse_text
from devices.states import DeviceError, DeviceState

KNOWN_CODES = {"idcard.no_response", "idcard.bad_answer", "idcard.link_error", "idcard.no_card",
               "idcard.read_failed", "idcard.bad_text", "idcard.bad_number", "idcard.unknown_card",
               "idcard.disconnected", "idcard.sam_60", "idcard.sam_66", "idcard.sam_23", "idcard.sam_24",
               "idcard.sam_21"}
CARD_TYPES = {"resident": "resident", "resident_elder": "resident", "hmt": "hmt", "foreign": "foreign",
              "foreign2023": "foreign2023"}


def test_every_card_type_is_read_and_announced_once_then_removed(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    expected = demo_cards()
    for i, name in enumerate(CARD_TYPES):
        sam_sim.present(name)
        record = events.wait_event("card_presented", i + 1)[-1]
        assert record.as_json() | {"sam_id": None} == expected[name].as_json()
        assert record.sam_id == "05.01-20150101-000012345-1234567890"
        assert record.photo == expected[name].photo  # photo bytes kept as they are
        sam_sim.remove()
        events.wait_event("card_removed", i + 1)
    assert [r.type for r in events.names("card_presented")] == list(CARD_TYPES.values())


def test_a_card_left_on_the_reader_is_announced_once(sam_sim, id_reader):
    reader, events = id_reader
    sam_sim.present("resident")
    events.wait_event("card_presented")
    polls = sam_sim.requests.count(sp.FIND_CARD)
    while sam_sim.requests.count(sp.FIND_CARD) < polls + 15:
        time.sleep(0.02)
    assert len(events.names("card_presented")) == 1
    # read twice (the confirming read), then not again for the same card
    assert sam_sim.requests.count(sp.READ_TEXT_PHOTO) == 2


def test_swapping_cards_without_a_gap_gives_removed_then_presented(sam_sim, id_reader):
    reader, events = id_reader
    sam_sim.present("resident")
    events.wait_event("card_presented")
    sam_sim.present("hmt")
    second = events.wait_event("card_presented", 2)[-1]
    assert second.type == "hmt"
    assert events.names().index("card_removed") < len(events.names()) - 1


def test_garbage_between_frames_is_skipped(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.inject_garbage(times=30)
    sam_sim.present("foreign2023")
    record = events.wait_event("card_presented")[0]
    assert record.name_en == demo_cards()["foreign2023"].name_en
    assert not events.names("error")


def test_a_checksum_error_is_retried(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.corrupt_checksum(times=2)
    sam_sim.present("resident")
    assert events.wait_event("card_presented")[0].name == "张小三"
    assert reader.stats["checksum_errors"] >= 2 and reader.stats["retries"] >= 2
    assert not events.names("error")


def test_a_truncated_frame_times_out_and_is_retried(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.present("hmt")
    sam_sim.truncate(times=1)
    assert events.wait_event("card_presented")[0].pass_number == "H12345678"
    assert reader.stats["timeouts"] >= 1


def test_checksum_status_from_the_reader_is_retried(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.fail_with(sp.ST_CHECKSUM, sp.READ_TEXT_PHOTO, times=2)
    sam_sim.present("resident")
    assert events.wait_event("card_presented")[0].type == "resident"
    assert not events.names("error")


def test_status_80_is_simply_no_card(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.present("resident")
    sam_sim.fail_with(sp.ST_FIND_FAILED, sp.FIND_CARD, times=1)
    events.wait_event("card_presented")
    assert not events.names("error") and not events.names("card_removed")


@pytest.mark.parametrize("status,command", [(sp.ST_SELECT_FAILED, sp.SELECT_CARD),
                                            (sp.ST_READ_FAILED, sp.READ_TEXT_PHOTO)])
def test_select_and_read_failures_ask_the_citizen_once_then_recover(sam_sim, id_reader, status, command):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.fail_with(status, command, times=5)
    sam_sim.present("resident")
    record = events.wait_event("card_presented")[0]
    assert record.name == "张小三"
    errors = events.names("error")
    assert len(errors) == 1
    assert errors[0].code == "idcard.read_failed" and "身份证" in errors[0].message
    assert reader.status().state == DeviceState.ONLINE


def test_sam_self_test_failure_is_a_hardware_error_until_it_clears(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    events.clear()
    sam_sim.fail_with(sp.ST_SAM_SELFTEST, None, times=None)
    events.wait_state(DeviceState.HARDWARE_ERROR)
    error = events.wait_event("error")[0]
    assert error.code == "idcard.sam_60" and error.completion.value == "hardwareError"
    assert "工作人员" in error.message
    sam_sim.clear_faults()
    events.wait_state(DeviceState.ONLINE)
    sam_sim.present("resident")
    events.wait_event("card_presented")


def test_a_silent_reader_times_out_cleanly_and_recovers(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    events.clear()
    sam_sim.silence(True)
    events.wait_state(DeviceState.HARDWARE_ERROR)
    assert events.wait_event("error")[0].code == "idcard.no_response"
    assert reader.running
    sam_sim.silence(False)
    events.wait_state(DeviceState.ONLINE)
    sam_sim.present("foreign")
    assert events.wait_event("card_presented")[0].nationality == "USA"


def test_unplug_and_replug_reconnects(sam_sim, id_reader):
    reader, events = id_reader
    sam_sim.present("resident")
    events.wait_event("card_presented")
    events.clear()
    sam_sim.unplug()
    events.wait_state(DeviceState.POWER_OFF)
    events.wait_event("card_removed")
    assert events.wait_event("error")[0].code == "idcard.disconnected"
    time.sleep(0.3)  # the driver keeps trying while the port is gone
    assert reader.running
    sam_sim.replug()
    events.wait_state(DeviceState.ONLINE)
    assert events.wait_event("card_presented")[0].name == "张小三"
    assert reader.stats["reconnects"] >= 1


def test_a_card_with_a_wrong_check_digit_is_refused(sam_sim, id_reader):
    reader, events = id_reader
    card = demo_cards()["resident"]
    card.id_number = card.id_number[:-1] + ("1" if card.id_number[-1] != "1" else "2")
    sam_sim.present(card)
    error = events.wait_event("error")[0]
    assert error.code == "idcard.bad_number"
    assert card.id_number not in str(error) and card.name not in str(error)
    assert not events.names("card_presented")
    reads = sam_sim.requests.count(sp.READ_TEXT_PHOTO)
    polls = sam_sim.requests.count(sp.FIND_CARD)
    while sam_sim.requests.count(sp.FIND_CARD) < polls + 10:
        time.sleep(0.02)
    assert sam_sim.requests.count(sp.READ_TEXT_PHOTO) == reads, "a refused card is not read again and again"
    assert len(events.names("error")) == 1
    sam_sim.remove()
    while sam_sim.requests.count(sp.FIND_CARD) < polls + 15:
        time.sleep(0.02)
    sam_sim.present("resident")
    assert events.wait_event("card_presented")[0].name == "张小三"


def test_read_one_returns_a_card_or_a_clean_timeout(sam_sim):
    reader = IdCardReader(sam_sim.port, poll_interval=0.02)
    with pytest.raises(DeviceError) as info:
        reader.read_one(0.5)
    assert info.value.code == "idcard.no_card"
    sam_sim.present("resident_elder")
    assert reader.read_one(3).valid_to == "长期"


def test_read_one_without_a_port_says_so(tmp_path):
    reader = IdCardReader(str(tmp_path / "no-such-port"))
    with pytest.raises(DeviceError) as info:
        reader.read_one(0.5)
    assert info.value.code == "idcard.no_port"


def test_mutated_frames_produce_only_the_drivers_own_errors(sam_sim):
    """A seeded mutator, bounded here (bench/idcard_read.py runs it long)."""
    mutator = FrameMutator(random.Random(467))
    sam_sim.set_mutator(mutator)
    sam_sim.present("resident")
    reader = IdCardReader(sam_sim.port, poll_interval=0.01, response_timeout=0.05, read_timeout=0.1, retries=1)
    outcomes = {"ok": 0, "error": 0}
    card = demo_cards()["resident"]
    for _ in range(60):
        try:
            record = reader.read_one(0.5)
            # every read the driver accepts is the card on the reader, photo included
            assert record.as_json() | {"sam_id": None} == card.as_json() and record.photo == card.photo
            outcomes["ok"] += 1
        except DeviceError as exc:
            assert exc.code in KNOWN_CODES and exc.message
            outcomes["error"] += 1
    assert outcomes["ok"] and outcomes["error"]


def test_an_unknown_card_type_is_named_for_the_citizen(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.fail_with(sp.ST_UNKNOWN_CARD, sp.SELECT_CARD, times=None)
    sam_sim.present("resident")
    error = events.wait_event("error")[0]
    assert error.code == "idcard.unknown_card" and error.completion.value == "userError"
    assert reader.status().state == DeviceState.ONLINE and not events.names("card_presented")


def _invisible_damage(answer: bytes, offset: int) -> bytes:
    """The same bit flipped in two bytes of the body: the XOR checksum still matches."""
    data = bytearray(answer)
    data[offset] ^= 0x04
    data[offset + 2] ^= 0x04
    return bytes(data)


def _damage_read_answers(times: int | None):
    """A mutator damaging read answers (text offset 8 = 4th character of the name), checksum intact:
    `times` answers in a row, each differently; None = every answer."""
    state = {"n": 0}

    def mutate(answer: bytes) -> bytes:
        if len(answer) < 1000 or (times is not None and state["n"] >= times):
            return answer
        state["n"] += 1
        return _invisible_damage(answer, 7 + 3 + 6 + 2 * (state["n"] % 3))
    return mutate


def test_a_damaged_answer_the_checksum_misses_is_not_taken_for_the_card(sam_sim):
    card = sam_sim.present("resident")
    answer = sp.build_response(sp.ST_SUCCESS, sp.join_read_data(encode_text(card), card.photo))
    damaged = sp.parse_response(_frame_of(_invisible_damage(answer, 16)))   # passes as a good frame …
    assert parse_text(sp.split_read_data(damaged.data, False).text).name != card.name  # … with another name
    sam_sim.set_mutator(_damage_read_answers(1))
    reader = IdCardReader(sam_sim.port, poll_interval=0.02)
    record = reader.read_one(3)
    assert record.name == card.name and record.as_json() | {"sam_id": None} == card.as_json()
    assert record.photo == card.photo
    assert sam_sim.requests.count(sp.READ_TEXT_PHOTO) == 3   # damaged, good, good: two agree
    assert reader.stats["disagreements"] == 1


def _frame_of(data: bytes):
    frames = sp.FrameReader()
    frames.feed(data)
    return frames.next_frame()


def test_reads_that_never_agree_fail_as_hold_still_and_never_give_a_record(sam_sim, id_reader):
    reader, events = id_reader
    events.wait_state(DeviceState.ONLINE)
    sam_sim.set_mutator(_damage_read_answers(None))
    sam_sim.present("resident")
    error = events.wait_event("error")[0]
    assert error.code == "idcard.read_failed" and "不要移动" in error.message
    assert not events.names("card_presented")
    sam_sim.set_mutator(None)          # the damage stops: the next poll reads the card right
    record = events.wait_event("card_presented")[0]
    assert record.as_json() | {"sam_id": None} == demo_cards()["resident"].as_json()


def test_a_card_swapped_between_the_two_reads_is_not_mixed(sam_sim):
    sam_sim.present("resident")
    reader = IdCardReader(sam_sim.port, poll_interval=0.02)
    ser = reader._open()
    try:
        reader.read_sam_id(ser)
        assert reader.find_and_select(ser) is not None
        swap = {"done": False}

        def swap_after_first_read(answer: bytes) -> bytes:
            if len(answer) > 1000 and not swap["done"]:
                swap["done"] = True
                sam_sim.present("hmt")
            return answer
        sam_sim.set_mutator(swap_after_first_read)
        with pytest.raises(DeviceError) as info:
            reader.read_card(ser)
        assert info.value.code == "idcard.read_failed"
    finally:
        ser.close()
