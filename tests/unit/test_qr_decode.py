"""The three decoders behind one interface, on frames from the bench's generator (a few per category)."""
from __future__ import annotations

import numpy as np
import pytest

from bench.qr_dataset import CATEGORIES, make_sample
from devices.camera.qr_decode import CascadeDecoder, DecodedCode, make_decoder


@pytest.mark.parametrize("name", ["pyzbar", "zxing", "cascade"])
def test_clean_and_empty_frames(name):
    decoder = make_decoder(name)
    sample = make_sample("clean", 0)
    codes = decoder.decode(sample.image)
    assert [c.text for c in codes] == list(sample.texts) and codes[0].format == "QRCode"
    assert len(codes[0].points) == 4
    assert decoder.decode(make_sample("none", 0).image) == []
    assert decoder.decode(np.zeros((10, 10), np.uint8)) == []          # tiny and gray is fine too


def test_cascade_reads_every_code_in_view():
    sample = make_sample("multi", 1)
    assert sorted(c.text for c in make_decoder("cascade").decode(sample.image)) == sorted(sample.texts)


def test_cascade_rescues_a_small_code_the_plain_pass_misses():
    zxing, cascade = make_decoder("zxing"), CascadeDecoder()
    rescued = [i for i in range(10)
               if not zxing.decode(make_sample("small", i).image)
               and [c.text for c in cascade.decode(make_sample("small", i).image)] == list(make_sample("small", i).texts)]
    assert rescued, "no small code rescued by preprocessing"
    assert cascade.last_stage == "sharp_up15"


def test_dataset_is_deterministic_and_labelled():
    a, b = make_sample("phone_moire", 3), make_sample("phone_moire", 3)
    assert np.array_equal(a.image, b.image) and a.texts == b.texts
    assert a.image.shape == (720, 1280, 3)
    assert make_sample("none", 2).texts == () and len(CATEGORIES) == 13


def test_unknown_names_are_refused():
    with pytest.raises(ValueError):
        make_decoder("opencv")
    with pytest.raises(ValueError):
        CascadeDecoder(stages=("nope",))


def test_decoded_code_repr_hides_the_text():
    assert "secret" not in repr(DecodedCode("QRCode", "secret-text"))
