"""The cascade's expensive stages and where it spends them (devices/camera/qr_decode.py uses both).

A stage turns a crop around a code-like region (gray) into a variant for zxing-cpp; code_like_regions
finds where a code may be that zxing did not even locate. Thresholds were chosen on the TUNING set of
bench/qr_dataset.py.
"""
from __future__ import annotations

from typing import Callable, Sequence

import cv2
import numpy as np

# -- the cascade: stages ----------------------------------------------------------------------------
# A stage turns a crop around a code-like region (gray) into a variant for zxing, and says how many
# crop pixels one variant pixel is. Crops are small, so a stage costs a fraction of what it would on
# the whole frame.
Stage = Callable[[np.ndarray], "tuple[np.ndarray, float]"]

_CROP_TARGET = 600     # upscale a crop towards this side (px): small and moiré codes get 3x, big ones 1x


def _upscale_factor(crop: np.ndarray, most: float = 3.0) -> float:
    return float(min(most, max(1.0, _CROP_TARGET / max(crop.shape[:2]))))


def _unsharp(gray: np.ndarray, sigma: float = 2.0, amount: float = 1.5) -> np.ndarray:
    return cv2.addWeighted(gray, 1 + amount, cv2.GaussianBlur(gray, (0, 0), sigma), -amount, 0)


def _up(gray: np.ndarray, f: float) -> np.ndarray:
    if f == 1.0:
        return gray
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)


def _sharp_up(crop: np.ndarray) -> tuple[np.ndarray, float]:
    # the lens and the distance cost small codes their one-pixel modules, and a phone's pixel grid beats
    # against the sensor (moiré): an unsharp mask gives the edges back, cubic upscaling gives the
    # sampler room between the beats (the tuning set's best single stage on small, moiré and blur).
    # The mask is as wide as a module of these codes (1.5-3 px): a wider one (sigma 2, amount 1.5)
    # overshoots into the neighbouring modules; on true-code crops of the tuning set that the plain
    # pass misses this reads 52 of 78 instead of 47 (moiré 15 instead of 10)
    f = _upscale_factor(crop)
    return _up(_unsharp(crop, 1.0, 1.0), f), 1 / f


def _glare(crop: np.ndarray) -> tuple[np.ndarray, float]:
    # a ceiling light on the glass lifts part of the code towards white: estimate the light background
    # (a closing removes the dark modules), divide it out, then as _sharp_up
    k = max(15, (min(crop.shape[:2]) // 10) | 1)
    background = cv2.blur(cv2.morphologyEx(crop, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))),
                          (k, k))
    flat = cv2.divide(crop, background, scale=230)
    f = _upscale_factor(flat, 2.0)
    return _up(_unsharp(flat), f), 1 / f


def _motion_direction(crop: np.ndarray) -> tuple[float, float]:
    """(direction of motion in radians, anisotropy): from the structure tensor, motion blur wipes out the
    gradients along the motion. Anisotropy = weak / strong gradient energy: near 1 for a code that is
    only out of focus, under ~0.45 for one that moved (tuning set)."""
    gx = cv2.Sobel(crop, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(crop, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = float(cv2.mean(gx * gx)[0]), float(cv2.mean(gy * gy)[0]), float(cv2.mean(gx * gy)[0])
    half, root = (jxx + jyy) / 2, float(np.hypot((jxx - jyy) / 2, jxy))
    across = 0.5 * np.arctan2(2 * jxy, jxx - jyy)          # the strongest gradients run across the motion
    return across + np.pi / 2, (half - root) / max(half + root, 1e-6)


def _line_psf(length: float, angle: float) -> np.ndarray:
    n = int(length) + 2 | 1
    kernel = np.zeros((n, n), np.float32)
    c, dx, dy = n // 2, np.cos(angle) * (length - 1) / 2, np.sin(angle) * (length - 1) / 2
    cv2.line(kernel, (int(round(c - dx)), int(round(c - dy))), (int(round(c + dx)), int(round(c + dy))), 1.0, 1,
             cv2.LINE_AA)
    return kernel / kernel.sum()


def _gauss_psf(sigma: float) -> np.ndarray:
    g = cv2.getGaussianKernel(int(6 * sigma) | 1, sigma)
    return (g @ g.T).astype(np.float32)


# The deblurring stages of one crop share its spectrum and its motion estimate: (crop, spectrum, mean,
# motion). The last crop only, held by identity (the cascade gives every stage the same crop object);
# replaced as one tuple, so another thread at worst computes its own.
_last_crop: tuple | None = None


def _analysed(crop: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
    """The crop's spectrum (mean removed, padded to a fast DFT size), its mean and _motion_direction."""
    global _last_crop
    cached = _last_crop
    if cached is not None and cached[0] is crop:
        return cached[1], cached[2], cached[3]
    h, w = crop.shape
    H, W = cv2.getOptimalDFTSize(h), cv2.getOptimalDFTSize(w)
    mean = float(cv2.mean(crop)[0])
    f = np.zeros((H, W), np.float32)
    f[:h, :w] = crop
    f[:h, :w] -= mean
    spectrum = cv2.dft(f, flags=cv2.DFT_COMPLEX_OUTPUT)
    motion = _motion_direction(crop)
    _last_crop = (crop, spectrum, mean, motion)
    return spectrum, mean, motion


def forget_crops() -> None:
    """Drop the last crop the deblurring stages kept (it may show a citizen's code)."""
    global _last_crop, _last_cepstrum
    _last_crop = _last_cepstrum = None


def _wiener(crop: np.ndarray, psf: np.ndarray, k: float) -> np.ndarray:
    """Wiener deconvolution of `crop` by `psf` (noise-to-signal `k`), padded to a fast DFT size."""
    h, w = crop.shape
    F, mean, _ = _analysed(crop)
    H, W = F.shape[:2]
    p = np.zeros((H, W), np.float32)
    ph, pw = psf.shape
    p[:ph, :pw] = psf
    p = np.roll(p, (-(ph // 2), -(pw // 2)), (0, 1))
    P = cv2.dft(p, flags=cv2.DFT_COMPLEX_OUTPUT)
    pr, pi, fr, fi = P[..., 0], P[..., 1], F[..., 0], F[..., 1]
    den = pr * pr + pi * pi + k
    G = np.dstack(((fr * pr + fi * pi) / den, (fi * pr - fr * pi) / den))
    out = cv2.idft(G, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)[:h, :w] + mean
    return np.clip(out, 0, 255).astype(np.uint8)


_MOTION_ANISOTROPY = 0.45
_MOTION_SPREAD_DEG = 20.0   # deblur_more also searches this far either side of the tensor's direction
_MOTION_LENGTHS = (6, 20)        # px: what the cepstrum may measure; outside, the fixed guess is used


def _cepstrum(crop: np.ndarray) -> np.ndarray:
    """The crop's real cepstrum (a Hann window first: the crop's cut edges would otherwise put a cross
    into the spectrum that hides the blur's zeros). The last crop's only, held by identity."""
    global _last_cepstrum
    cached = _last_cepstrum
    if cached is not None and cached[0] is crop:
        return cached[1]
    h, w = crop.shape
    f = (crop.astype(np.float32) - float(cv2.mean(crop)[0])) * cv2.createHanningWindow((w, h), cv2.CV_32F)
    F = cv2.dft(f, flags=cv2.DFT_COMPLEX_OUTPUT)
    log_mag = cv2.log(cv2.magnitude(F[..., 0], F[..., 1]) + 1e-3)
    # (a full complex spectrum: a one-channel input would be read as OpenCV's packed real spectrum)
    cep = cv2.idft(cv2.merge((log_mag, np.zeros_like(log_mag))), flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    _last_cepstrum = (crop, cep)
    return cep


_last_cepstrum: tuple | None = None


def motion_blur(crop: np.ndarray, angle: float, spread_deg: float = 0.0) -> tuple[float, float] | None:
    """(length in px, direction in radians) of the motion during the exposure, measured from the
    crop's cepstrum: a line blur of length L puts zeros in the spectrum every 1/L, a deep negative
    peak in the cepstrum at L along the motion. Searched along `angle` (the structure tensor's
    estimate), or also up to `spread_deg` either side of it. None when the deepest point is at
    either end of _MOTION_LENGTHS (no motion blur of a length the stages could undo)."""
    cep = _cepstrum(crop)
    H, W = cep.shape
    lengths = np.arange(_MOTION_LENGTHS[0], _MOTION_LENGTHS[1] + 1, 0.5)
    angles = angle + np.deg2rad(np.arange(-spread_deg, spread_deg + 1, 2.5))
    ll, aa = np.meshgrid(lengths, angles)
    xs = np.round(ll * np.cos(aa)).astype(int) % W
    ys = np.round(ll * np.sin(aa)).astype(int) % H
    values = cep[ys, xs]
    ai, li = np.unravel_index(int(np.argmin(values)), values.shape)
    if li in (0, len(lengths) - 1):
        return None
    return float(lengths[li]), float(angles[ai])


def _up_motion(deblurred: np.ndarray) -> tuple[np.ndarray, float]:
    # undoing a motion leaves ringing along it at the modules' edges: zxing samples the modules better
    # at up to 1.5 times the size (tuning set: the diagonal motions read only so)
    f = _upscale_factor(deblurred, _MOTION_UP)
    return _up(deblurred, f), 1 / f


_MOTION_UP = 1.5     # tuning set: 1.5 and 2 read the same codes (3 more of 60 blurred ones than 1)


def _deblur(crop: np.ndarray) -> tuple[np.ndarray, float]:
    # a code that moved (anisotropic gradients) or is out of focus (held too close, lens): Wiener
    # deconvolution with a line along the estimated motion, as long as the cepstrum measures (13 px
    # when it cannot), or with a Gaussian of 2 px
    angle, anisotropy = _analysed(crop)[2]
    if anisotropy < _MOTION_ANISOTROPY:
        measured = motion_blur(crop, angle)
        return _up_motion(_wiener(crop, _line_psf(measured[0] if measured else 13, angle), 0.005))
    return _wiener(crop, _gauss_psf(2.0), 0.02), 1.0


def _deblur_more(crop: np.ndarray) -> tuple[np.ndarray, float]:
    # the second guess: the motion measured in a direction up to 20 degrees off the structure tensor's
    # (which a code's own edges pull towards its axes), else a shorter motion; a lighter defocus (also
    # flattens the glow of a glare)
    angle, anisotropy = _analysed(crop)[2]
    if anisotropy < _MOTION_ANISOTROPY:
        along, around = motion_blur(crop, angle), motion_blur(crop, angle, _MOTION_SPREAD_DEG)
        if around is not None and around != along:
            return _up_motion(_wiener(crop, _line_psf(around[0], around[1]), 0.005))
        return _up_motion(_wiener(crop, _line_psf(10, angle), 0.005))
    return _wiener(crop, _gauss_psf(1.5), 0.02), 1.0


def _adaptive(crop: np.ndarray) -> tuple[np.ndarray, float]:
    # uneven light and low contrast: a local mean threshold at 2x
    up = _up(crop, 2.0)
    block = max(11, (min(up.shape[:2]) // 10) | 1)
    return cv2.adaptiveThreshold(up, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5), 0.5


def _dim(crop: np.ndarray) -> tuple[np.ndarray, float]:
    # a dim screen in a dark room: few grey levels between the modules and the camera's gain noise
    # on top (sharp_up's unsharp mask sharpens the noise too): smooth the noise a module's fraction,
    # stretch the 1st..99th percentile to full range, then a wide unsharp mask and 2x
    smooth = cv2.GaussianBlur(crop, (0, 0), 1.0)
    lo, hi = (float(v) for v in np.percentile(smooth[::2, ::2], (1, 99)))
    gain = 255.0 / max(hi - lo, 8.0)
    stretched = cv2.convertScaleAbs(smooth, alpha=gain, beta=-lo * gain)
    return _up(_unsharp(stretched, 2.0, 1.0), 2.0), 0.5


def _clahe(crop: np.ndarray) -> tuple[np.ndarray, float]:
    f = _upscale_factor(crop, 2.0)
    return _up(cv2.createCLAHE(clipLimit=3.0, tileGridSize=(4, 4)).apply(crop), f), 1 / f


# -- the cascade: which regions deserve the deblurring stages ------------------------------------------
# On a code-like region where zxing located nothing in the first stage's variant, the other stages
# run only if the region may be a code out of focus or moving (the only codes of the tuning set read
# there by a later stage and never located by the first: 26 of them, all blurred). A blurred code
# still has edges all over it for its contrast; the hall's posters, text and shapes that look
# code-like to code_like_regions do not (tuning set, 60 a category: the ratio below is 1.72-3.0 on
# those 26 blurred codes and 0.54-1.54 on 45 of the 49 other regions; extra camera noise of sigma 3.5
# moves it by about +0.1). Half scale averages sensor noise away and costs a quarter.
_BLURRED_CODE_EDGES = 1.5


def edges_for_contrast(crop: np.ndarray) -> float:
    """Mean |gradient| (Sobel, x plus y) over the standard deviation of the grey levels, at half scale."""
    h, w = crop.shape[:2]
    small = cv2.resize(crop, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    gx, gy = cv2.spatialGradient(small)
    edges = cv2.mean(cv2.convertScaleAbs(gx))[0] + cv2.mean(cv2.convertScaleAbs(gy))[0]
    # (at least 10 grey levels: a plain wall's sensor noise is all edges for its own tiny contrast)
    return float(edges / max(float(cv2.meanStdDev(small)[1][0][0]), 10.0))


def may_be_blurred_code(crop: np.ndarray) -> bool:
    """Whether a crop in which zxing located no symbol is still worth the deblurring stages (~0.1 ms)."""
    return min(crop.shape[:2]) >= 16 and edges_for_contrast(crop) >= _BLURRED_CODE_EDGES


# Every candidate measured on the tuning set (bench/qr_decode.py --stages); DEFAULT_STAGES are tried
# in this order on each region until one reads a code.
STAGES: dict[str, Stage] = {"sharp_up": _sharp_up, "glare": _glare, "deblur": _deblur,
                            "deblur_more": _deblur_more, "adaptive": _adaptive, "clahe": _clahe, "dim": _dim}
DEFAULT_STAGES = ("sharp_up", "deblur", "glare", "deblur_more", "dim")


# -- the cascade: where to look ---------------------------------------------------------------------
Box = tuple[int, int, int, int]      # x0, y0, x1, y1 in frame pixels


def box_of(points: Sequence[tuple[int, int]], margin: float, shape: tuple[int, ...]) -> Box:
    """The box around `points`, grown by `margin` times its longer side, inside an image of `shape`."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    m = margin * max(x1 - x0, y1 - y0, 8)
    return (int(max(0, x0 - m)), int(max(0, y0 - m)), int(min(shape[1], x1 + m)), int(min(shape[0], y1 + m)))


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def code_like_regions(gray: np.ndarray, limit: int = 3) -> list[Box]:
    """Boxes of regions dense in edges in every direction and about square: where a QR code can be
    that zxing did not even locate (blurred, glared, moiré). Costs about 0.4 ms at 720p."""
    # nearest-neighbour quarter scale: reading every pixel (area averaging) costs more than all the rest
    small = np.ascontiguousarray(gray[::4, ::4])
    gx, gy = cv2.spatialGradient(small)          # the 3x3 Sobel pair in one pass
    # a code has edges across both axes everywhere inside it; text lines and single strokes do not
    density = cv2.blur(cv2.min(cv2.convertScaleAbs(gx), cv2.convertScaleAbs(gy)), (7, 7))
    # closing the grey levels once and then thresholding gives exactly the closed mask of every level
    # (a flat closing commutes with thresholds) for one closing instead of one a level
    closed = cv2.morphologyEx(density, cv2.MORPH_CLOSE, _CLOSE_KERNEL)
    top = int(closed.max())
    found: list[tuple[float, Box]] = []
    # several levels: a low one finds faint codes, higher ones separate a code from the clutter around
    # it that a lower level merges it with (blurred and small codes on a busy background)
    # a dim frame (a dark room, a phone turned down) has weaker edges everywhere, the code's too: the
    # levels scale with the frame's contrast below _LEVELS_FULL_CONTRAST
    scale = min(1.0, max(_LEVELS_LEAST, float(small[::2, ::2].std()) / _LEVELS_FULL_CONTRAST))
    for level in (int(round(v * scale)) for v in _DENSITY_LEVELS):
        if level >= top:                         # nothing above this level, nor above the higher ones
            break
        mask = cv2.threshold(closed, level, 1, cv2.THRESH_BINARY)[1]
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if not (_SIDE_MIN <= w <= _SIDE_MAX and _SIDE_MIN <= h <= _SIDE_MAX and 0.5 <= w / h <= 2.0):
                continue
            if cv2.contourArea(contour) < 0.45 * w * h:       # a code is a filled square, tilted at most
                continue
            box = (x * 4, y * 4, (x + w) * 4, (y + h) * 4)
            if all(iou(box, other) < 0.5 for _, other in found):
                found.append((float(density[y:y + h, x:x + w].mean()), box))
    found.sort(reverse=True)
    return [box_of(((b[0], b[1]), (b[2], b[3])), 0.12, gray.shape) for _, b in found[:limit]]


_CLOSE_KERNEL = np.ones((5, 5), np.uint8)
# mean min(|gx|, |gy|) at quarter scale, chosen on the tuning set (40 per category): (16, 24) found
# no region on 17 of the 27 codes the cascade missed; adding 40 and 64 costs ~0.1 ms a frame
_DENSITY_LEVELS = (16, 24, 40, 64)
# the levels hold at a frame grey-level deviation of 30 and above (the tuning set's frames in a lit hall
# are at 19-70), and shrink with it down to 0.3 of themselves (its dark-room frames are at 6-17):
# with the dim stage this reads its last 2 dim phones of 60
_LEVELS_FULL_CONTRAST = 30.0
_LEVELS_LEAST = 0.3
_SIDE_MIN = 18         # quarter-scale pixels: a code under ~70 px a side has modules too small to read
_SIDE_MAX = 120        # ... and one over ~480 px has modules big enough for the plain pass
