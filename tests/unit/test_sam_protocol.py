"""GA 467 frames: building, splitting, resynchronising after noise, checksums, SAM id, read data."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from devices.idcard import sam_protocol as sp


def test_find_card_request_matches_the_published_example():
    assert sp.build_request(sp.FIND_CARD) == bytes.fromhex("AAAAAA9669000320 0122".replace(" ", ""))


def test_length_counts_everything_after_the_length_field_including_the_checksum():
    frame = sp.build_response(sp.ST_SUCCESS, b"\x01\x02\x03")
    assert int.from_bytes(frame[5:7], "big") == len(frame) - 7
    assert frame[-1] == sp.checksum(frame[5:-1])


def test_a_response_round_trips_through_the_reader():
    reader = sp.FrameReader()
    reader.feed(sp.build_response(sp.ST_FIND_OK, b"\x00\x00\x00\x00"))
    resp = sp.parse_response(reader.next_frame())
    assert (resp.sw1, resp.sw2, resp.sw3, resp.data) == (0, 0, 0x9F, b"\x00\x00\x00\x00")
    assert reader.next_frame() is None


def test_frames_split_across_many_reads_are_reassembled():
    frame = sp.build_response(sp.ST_SUCCESS, bytes(range(200)))
    reader = sp.FrameReader()
    for i in range(len(frame)):
        assert reader.next_frame() is None
        reader.feed(frame[i:i + 1])
    assert sp.parse_response(reader.next_frame()).data == bytes(range(200))


def test_garbage_and_false_preambles_before_a_frame_are_skipped():
    noise = b"\x00\x13\xAA\xAA" + sp.PREAMBLE + b"\xFF\xFF" + b"\xAA\xAA\xAA\x96"
    frame = sp.build_response(sp.ST_SUCCESS, b"ok")
    reader = sp.FrameReader()
    reader.feed(noise + frame)
    assert sp.parse_response(reader.next_frame()).data == b"ok"
    assert reader.skipped >= len(noise) - 4


def test_a_checksum_error_is_reported_and_the_next_frame_still_read():
    bad = bytearray(sp.build_response(sp.ST_SUCCESS, b"x"))
    bad[-1] ^= 0xFF
    reader = sp.FrameReader()
    reader.feed(bytes(bad) + sp.build_response(sp.ST_SUCCESS, b"y"))
    with pytest.raises(sp.FrameError) as info:
        reader.next_frame()
    assert info.value.kind == "checksum"
    assert sp.parse_response(reader.next_frame()).data == b"y"


def test_bytes_wanted_never_asks_past_the_end_of_a_frame():
    frame = sp.build_response(sp.ST_SUCCESS, bytes(50))
    reader = sp.FrameReader()
    got = 0
    while True:
        want = reader.bytes_wanted()
        assert got + want <= len(frame)
        reader.feed(frame[got:got + want])
        got += want
        if reader.next_frame() is not None:
            break
    assert got == len(frame)


def test_sam_id_is_shown_as_the_readers_print_it():
    data = sp.sam_id_bytes(5, 1, 20150101, 12345, 1234567890)
    assert sp.sam_id_text(data) == "05.01-20150101-000012345-1234567890"
    with pytest.raises(sp.FrameError):
        sp.sam_id_text(data[:10])


def test_read_data_is_split_by_its_own_lengths_not_fixed_sizes():
    data = sp.join_read_data(b"t" * 250, b"p" * 1000)
    parts = sp.split_read_data(data, with_fingerprint=False)
    assert (len(parts.text), len(parts.photo), parts.fingerprint) == (250, 1000, None)
    data = sp.join_read_data(b"t" * 256, b"p" * 1024, b"f" * 512)
    parts = sp.split_read_data(data, with_fingerprint=True)
    assert parts.fingerprint == b"f" * 512
    with pytest.raises(sp.FrameError):
        sp.split_read_data(data[:-1], with_fingerprint=True)


@hsettings(max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_frames_none_or_frame_errors_only(noise):
    reader = sp.FrameReader()
    reader.feed(noise)
    for _ in range(len(noise) + 1):
        try:
            frame = reader.next_frame()
        except sp.FrameError:
            continue
        if frame is None:
            break
        assert len(frame.body) >= 3


@hsettings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.tuples(st.binary(max_size=40).filter(lambda b: 0xAA not in b), st.binary(max_size=300)),
                min_size=1, max_size=6))
def test_every_frame_between_noise_without_preamble_bytes_is_recovered(chunks):
    stream = b""
    for noise, payload in chunks:
        stream += noise + sp.build_response(sp.ST_SUCCESS, payload)
    reader = sp.FrameReader()
    rng = random.Random(len(stream))
    pos, found = 0, []
    while pos < len(stream):
        step = rng.randrange(1, 64)
        reader.feed(stream[pos:pos + step])
        pos += step
        while (frame := reader.next_frame()) is not None:
            found.append(sp.parse_response(frame).data)
    assert found == [payload for _, payload in chunks]
