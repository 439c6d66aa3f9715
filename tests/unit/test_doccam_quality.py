"""Page finding, perspective correction and the quality verdict on generated photos of documents.

Every photo is made here at test time (devices/doccam/synthetic.py, fixed seeds). Each threshold of
devices/doccam/quality.py and page.py has a pair of photos just on either side of it; the test also
checks that the measure itself lands on the side it should, so a pair that drifts apart is noticed.
How the thresholds were chosen: docs/doccam.md."""
import numpy as np
import pytest

from devices.doccam import page as pg
from devices.doccam import quality, synthetic
from kiosk.review import specimens

SIZE = (1280, 720)


@pytest.fixture(scope="module")
def card():
    return specimens.id_card_front("王小明", "37170219800101001X")


@pytest.fixture(scope="module")
def form():
    return specimens.form("生育登记表", {"姓名": "王小明"}, ["姓名", "联系电话"], signature=True)


@pytest.mark.parametrize("seed", range(5))
def test_the_page_is_found_and_straightened_through_perspective(card, seed):
    shot = synthetic.photo(card, seed=seed, tilt=0.08)
    find = pg.find_page(shot.frame)
    assert find.found
    error = np.linalg.norm(find.quad - pg.order_corners(shot.quad), axis=1).max()
    assert error < 0.012 * np.hypot(*SIZE), f"corners off by {error:.1f} px"
    page = pg.straighten(shot.frame, find.quad)
    assert page.shape[1] / page.shape[0] == pytest.approx(900 / 568, rel=0.1)
    assert quality.judge(shot.frame).ok


def test_a_good_photo_of_a_form_passes(form):
    verdict = quality.judge(synthetic.photo(form, seed=2, fill=0.85).frame)
    assert verdict.codes == () and verdict.page is not None


def test_an_empty_desk_has_no_document():
    verdict = quality.judge(synthetic.photo(specimens.form("表", {}, [], False), seed=1, page_present=False).frame)
    assert verdict.codes == (quality.NO_DOCUMENT,) and verdict.page is None


def test_no_document_just_either_side_of_the_smallest_page(card):
    small = quality.judge(synthetic.photo(card, seed=1, fill=0.22, tilt=0).frame)
    big_enough = quality.judge(synthetic.photo(card, seed=1, fill=0.27, tilt=0).frame)
    assert small.find.area < pg.MIN_AREA < big_enough.find.area < 1.4 * pg.MIN_AREA
    assert quality.NO_DOCUMENT in small.codes
    assert big_enough.codes == ()


def test_incomplete_just_either_side_of_the_frame_edge(card):
    half = 0.6 * SIZE[1] * 900 / 900 / 2 / SIZE[0]          # half the card's width, as a share of the frame
    inside = quality.judge(synthetic.photo(card, seed=1, tilt=0, centre=(1 - half - 0.015, 0.5)).frame)
    cut = quality.judge(synthetic.photo(card, seed=1, tilt=0, centre=(1 - half + 0.008, 0.5)).frame)
    assert inside.codes == ()
    assert cut.codes == (quality.INCOMPLETE,) and cut.page is None


def test_too_dark_just_either_side_of_the_paper_level(card):
    lit = quality.judge(synthetic.photo(card, seed=1, light=0.39).frame)
    dim = quality.judge(synthetic.photo(card, seed=1, light=0.34).frame)
    assert quality.DARK_LEVEL < lit.measures["light"] < quality.DARK_LEVEL * 1.12
    assert quality.DARK_LEVEL * 0.9 < dim.measures["light"] < quality.DARK_LEVEL
    assert quality.TOO_DARK not in lit.codes and quality.TOO_DARK in dim.codes


def test_glare_just_either_side_of_the_blown_out_share(card):
    faint = quality.judge(synthetic.photo(card, seed=1, glare=0.0004).frame)
    glare = quality.judge(synthetic.photo(card, seed=1, glare=0.0006).frame)
    assert 0.5 * quality.GLARE_SHARE < faint.measures["glare"] < quality.GLARE_SHARE < glare.measures["glare"] < 1.6 * quality.GLARE_SHARE
    assert faint.codes == () and glare.codes == (quality.GLARE,)


def test_the_glare_spot_lies_where_the_sweep_puts_it(card):
    """bench.doccam --calibrate lays the spot over the ID number (glare_at, in page shares): the
    page straightened at its true corners is blown out there and nowhere near the name."""
    shot = synthetic.photo(card, seed=1, glare=0.005, glare_at=(0.48, 0.81))
    page = pg.straighten(shot.frame, pg.order_corners(shot.quad), long_side=900)
    gray = page.mean(axis=2)
    h, w = gray.shape
    assert gray[int(0.81 * h), int(0.48 * w)] >= 250
    assert (gray[: h // 2] >= 250).mean() == 0
    assert quality.judge(shot.frame).codes == (quality.GLARE,)
    # 0.1 % of the page over the number is where the OCR stopped reading it (docs/doccam.md): refused
    small = synthetic.photo(card, seed=1, glare=0.001, glare_at=(0.48, 0.81))
    assert quality.judge(small.frame).codes == (quality.GLARE,)


@pytest.mark.parametrize("sample", ["card", "form"])
def test_blurry_just_either_side_of_the_sharpness_limit(request, sample):
    picture = request.getfixturevalue(sample)
    fill = 0.6 if sample == "card" else 0.85
    # the sharpness each sigma gives depends on the page's size in the frame: find the pair around it
    measured = {}
    for sigma in np.arange(1.0, 5.01, 0.25):
        measured[float(sigma)] = quality.judge(synthetic.photo(picture, seed=1, fill=fill, blur=float(sigma)).frame)
    sharp = [s for s, v in measured.items() if v.measures["sharpness"] >= quality.SHARP_MIN]
    blurry = [s for s, v in measured.items() if v.measures["sharpness"] < quality.SHARP_MIN]
    assert sharp and blurry and max(sharp) < min(blurry), "sharpness must fall as blur grows"
    last_sharp, first_blurry = measured[max(sharp)], measured[min(blurry)]
    assert last_sharp.codes == () and first_blurry.codes == (quality.BLURRY,)
    assert first_blurry.measures["sharpness"] > 0.8 * quality.SHARP_MIN   # just on the other side


def test_a_verdict_says_each_problem_in_plain_words(card):
    verdict = quality.judge(synthetic.photo(card, seed=1, blur=4, glare=0.02).frame)
    assert set(verdict.codes) == {quality.GLARE, quality.BLURRY}
    assert verdict.messages == [quality.MESSAGES[quality.GLARE], quality.MESSAGES[quality.BLURRY]]
    assert "看不清，请放稳" in verdict.messages[1]
