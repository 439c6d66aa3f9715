import pytest

from kiosk.app_theme_check import theme_pairs  # noqa: F401  (imported to prove it stays Kivy-free)
from kiosk.contrast import blend, contrast_ratio, is_large_text


def test_black_on_white_is_21():
    assert contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)


def test_known_pair():
    # #777777 on white is the classic 4.48:1 that fails AA body text
    grey = (0x77 / 255,) * 3
    assert 4.4 < contrast_ratio(grey, (1, 1, 1)) < 4.5


def test_alpha_blending_lowers_contrast():
    assert contrast_ratio(blend((0, 0, 0, 0.3), (1, 1, 1, 1)), (1, 1, 1)) < 3


def test_large_text_rule():
    assert is_large_text(24, False) and is_large_text(19, True) and not is_large_text(18, False)


def test_theme_colours_meet_minimums_in_both_modes():
    for mode, fg, bg, ratio, minimum in theme_pairs():
        assert ratio >= minimum, f"{mode}: {fg} on {bg} is {ratio:.2f}:1 < {minimum}"
