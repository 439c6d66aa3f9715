"""QR decoding behind one interface: pyzbar, zxing-cpp, and a cascade of zxing-cpp with cheap preprocessing.

    decoder = make_decoder("cascade")
    for code in decoder.decode(bgr_or_gray_image): code.format, code.text

The cascade was chosen by bench/qr_decode.py on the generated set of bench/qr_dataset.py: it reads
the frame as it is first (most frames need nothing more, and a frame without a code must stay cheap
because the camera runs all day), then tries variants that rescue what phone screens and distance do
to a code — each only as long as nothing has been found yet.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import cv2
import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodedCode:
    """One code found in an image. `text` may be personal: never log it."""
    format: str                       # "QRCode", "MicroQRCode"
    text: str
    # corner points in the coordinates of the image given to decode(), clockwise from top left
    points: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        return f"DecodedCode(format={self.format!r}, {len(self.text)} chars)"


class Decoder(Protocol):
    """Anything that finds QR codes in a BGR or grayscale numpy image."""
    name: str

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        ...


def to_gray(image: np.ndarray) -> np.ndarray:
    """Grayscale view of a BGR, BGRA or gray uint8 image."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _unique(codes: Sequence[DecodedCode]) -> list[DecodedCode]:
    seen: set[tuple[str, str]] = set()
    out = []
    for code in codes:
        key = (code.format, code.text)
        if key not in seen:
            seen.add(key)
            out.append(code)
    return out


# -- pyzbar ---------------------------------------------------------------------------------------
class PyzbarDecoder:
    """ZBar through pyzbar (needs libzbar0)."""
    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar
        self._pyzbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        gray = np.ascontiguousarray(to_gray(image))
        out = []
        for sym in self._pyzbar.decode(gray, symbols=self._symbols):
            try:
                text = sym.data.decode("utf-8")
            except UnicodeDecodeError:
                # zbar guesses the charset; a code that is not UTF-8 is still a code, keep it readable
                text = sym.data.decode("gb18030", errors="replace")
            out.append(DecodedCode("QRCode", text, tuple((p.x, p.y) for p in sym.polygon)))
        return _unique(out)


# -- zxing-cpp ------------------------------------------------------------------------------------
class ZxingDecoder:
    """zxing-cpp, QR and Micro QR only (other formats cost time and are never shown to a terminal)."""
    name = "zxing"

    def __init__(self, try_downscale: bool = True, try_invert: bool = True, binarizer: str = "LocalAverage") -> None:
        import zxingcpp
        self._zx = zxingcpp
        self._formats = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode)
        self._try_downscale = try_downscale
        self._try_invert = try_invert
        self._binarizer = getattr(zxingcpp.Binarizer, binarizer)

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        gray = np.ascontiguousarray(to_gray(image))
        results = self._zx.read_barcodes(gray, formats=self._formats, try_downscale=self._try_downscale,
                                         try_invert=self._try_invert, binarizer=self._binarizer)
        out = []
        for r in results:
            pos = r.position
            pts = tuple((p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))
            out.append(DecodedCode(r.format.name, r.text, pts))
        return _unique(out)


# -- the cascade ----------------------------------------------------------------------------------
Stage = Callable[[np.ndarray], "tuple[np.ndarray, float]"]


def _sharpen(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # unsharp mask with a box blur (cheapest kernel): small and slightly blurred modules get their
    # edges back; the camera's lens softness costs distant codes their one-pixel modules
    return cv2.addWeighted(gray, 2.0, cv2.blur(gray, (5, 5)), -1.0, 0), 1.0


def _up15(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # phone screens seen from afar: the screen's pixel grid beats against the sensor (moiré) and the
    # modules are under two camera pixels; resampling 1.5x gives the sampler room between the beats
    return cv2.resize(gray, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_LINEAR), 1 / 1.5


def _sharp_up15(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # both at once, sharpening first (cheaper at the small size): the bench's best single stage on
    # phone screens, small codes and blur alike
    return _up15(_sharpen(gray)[0])[0], 1 / 1.5


def _up2(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC), 0.5


def _down2(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # area averaging smooths a screen's pixel grid away (helps big codes, kills small ones)
    return cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 2.0


def _clahe(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray), 1.0


def _glare(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # divide by a heavily blurred copy: flattens a bright spot so the modules under it keep their contrast
    small = cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    background = cv2.resize(cv2.GaussianBlur(small, (0, 0), 4), (gray.shape[1], gray.shape[0]),
                            interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, background, scale=200), 1.0


def _adaptive(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 7), 1.0


# Every candidate the bench measured; the default cascade keeps only those that rescued frames the
# plain pass missed at a cost a frame without a code can afford (bench/qr_decode.py --stages).
STAGES: dict[str, Stage] = {"sharp_up15": _sharp_up15, "sharpen": _sharpen, "up15": _up15, "up2": _up2,
                            "down2": _down2,
                            "clahe": _clahe, "glare": _glare, "adaptive": _adaptive}
# One stage: on the bench it alone rescued what the others rescued together (phone-screen moiré,
# small and blurred codes), and a frame without a code pays the plain pass plus this one pass only.
DEFAULT_STAGES = ("sharp_up15",)


class CascadeDecoder:
    """zxing-cpp on the frame, then on preprocessed variants until something is found.

    `stages` names entries of STAGES in the order they are tried. `budget_ms` stops the cascade
    when a frame has already cost that much (a live camera sends another frame anyway).
    """
    name = "cascade"

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES, budget_ms: float | None = None,
                 base: Decoder | None = None) -> None:
        unknown = [s for s in stages if s not in STAGES]
        if unknown:
            raise ValueError(f"unknown cascade stage(s): {unknown}")
        self.stages = tuple(stages)
        self.budget_ms = budget_ms
        # zxing's downscaled retry found nothing the full-size pass missed on the bench (close-up,
        # out-of-focus codes included) and doubles the cost of a frame without a code
        self._base = base or ZxingDecoder(try_downscale=False)
        # Variants are already at the scale that matters, so zxing's own downscaled retries only cost
        # time; and light-on-dark codes (dark-mode phones) are read by the plain pass, which inverts.
        # Both cut a frame without a code by about a quarter on the bench at no loss of reads.
        self._variant_decoder = ZxingDecoder(try_downscale=False, try_invert=False) if base is None else base
        self.last_stage: str | None = None   # which stage found the code (bench statistics)

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        start = time.perf_counter()
        gray = to_gray(image)
        found = self._base.decode(gray)
        self.last_stage = "plain" if found else None
        for stage in self.stages:
            if found:
                break
            if self.budget_ms is not None and (time.perf_counter() - start) * 1000 > self.budget_ms:
                break
            variant, factor = STAGES[stage](gray)
            found = [_rescale(c, factor) for c in self._variant_decoder.decode(variant)]
            if found:
                self.last_stage = stage
        return found


def _rescale(code: DecodedCode, factor: float) -> DecodedCode:
    if factor == 1.0:
        return code
    return DecodedCode(code.format, code.text, tuple((int(x * factor), int(y * factor)) for x, y in code.points))


DECODERS: dict[str, Callable[[], Decoder]] = {"pyzbar": PyzbarDecoder, "zxing": ZxingDecoder,
                                              "cascade": CascadeDecoder}


def make_decoder(name: str = "cascade") -> Decoder:
    """A decoder by its config name ([camera] decoder)."""
    try:
        return DECODERS[name]()
    except KeyError:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODERS)}") from None
