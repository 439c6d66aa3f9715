"""QR decoding behind one interface: pyzbar, zxing-cpp, and a cascade of zxing-cpp with cheap preprocessing.

    decoder = make_decoder("cascade")
    for code in decoder.decode(bgr_or_gray_image): code.format, code.text

The cascade was tuned with bench/qr_decode.py on the TUNING set of bench/qr_dataset.py (its figures
are reported on the HELD_OUT set, which it never saw): it reads the frame as it is first (most frames
need nothing more, and a frame without a code must stay cheap because the camera runs all day), then
spends the expensive stages (sharpen + upscale, deblur with the motion measured from the crop's
cepstrum, glare flattening, dim-screen smoothing) only on crops around a symbol zxing located but could
not read, a code-like region, or where the last code was; a code-like region that zxing does not locate
in the first stage's variant and that is not a blurred code gets no further stage.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import cv2
import numpy as np

from devices.camera.qr_stages import (DEFAULT_STAGES, STAGES, Box, box_of, code_like_regions, forget_crops, iou,
                                      may_be_blurred_code)

__all__ = ["DEFAULT_STAGES", "STAGES", "CascadeDecoder", "DecodedCode", "Decoder", "FIRST_PASS", "PyzbarDecoder",
           "ZxingDecoder", "code_like_regions", "make_decoder", "to_gray"]

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
        return self.read(image)[0]

    def read(self, image: np.ndarray, with_misses: bool = False
             ) -> tuple[list[DecodedCode], list[tuple[tuple[int, int], ...]]]:
        """The codes found, and (with `with_misses`) the corners of symbols that zxing located but could
        not read (a checksum or format error): where a code almost certainly is. Costs no extra pass."""
        gray = np.ascontiguousarray(to_gray(image))
        results = self._zx.read_barcodes(gray, formats=self._formats, try_downscale=self._try_downscale,
                                         try_invert=self._try_invert, binarizer=self._binarizer,
                                         return_errors=with_misses)
        out, misses = [], []
        for r in results:
            pos = r.position
            pts = tuple((p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))
            if r.valid:
                out.append(DecodedCode(r.format.name, r.text, pts))
            else:
                misses.append(pts)
        return _unique(out), misses


# The options of the cascade's first pass. zxing's downscaled retry found nothing the full-size pass
# missed on the tuning set and doubles the cost of a frame without a code; the inverted retry reads
# dark-mode phones. The bench's zxing-cpp baseline uses exactly these options.
FIRST_PASS = {"try_downscale": False, "try_invert": True}


# margin around a located symbol too small for a 居民码 (a finder pattern taken for a Micro QR), times
# its side: the code may reach ~8 finder widths from it in any direction (tuning set, 60 a category:
# 1.5 -> 4 reads 5 more moiré and glare codes; 5 and 6 read fewer)
_AROUND_SMALL = 4.0
_SAME_LOOK = 4.0      # mean grey-level difference of two 24 x 24 thumbnails of a region that did not change
_SAME_SCENE = 8.0     # largest difference of one cell of two whole-frame thumbnails of a scene that did not change


class _Region:
    __slots__ = ("box", "thumb", "frame")

    def __init__(self, box: Box, thumb: np.ndarray | None, frame: int) -> None:
        self.box, self.thumb, self.frame = box, thumb, frame


def _thumb(gray: np.ndarray, box: Box) -> np.ndarray:
    # 24 x 24 averages sensor noise away (a poster stays the same) yet keeps the layout of a code's
    # modules at a few modules a cell (another code, or the same code moved, does not). The crop is cut
    # to a whole multiple of 24 first: OpenCV's area resize by a whole factor is ~10x faster than by a
    # fractional one (0.1 instead of over 1 ms on a 430 px region)
    crop = gray[box[1]:box[3], box[0]:box[2]]
    h, w = crop.shape[:2]
    if h >= 24 and w >= 24:
        crop = crop[:h - h % 24, :w - w % 24]
    return cv2.resize(crop, (24, 24), interpolation=cv2.INTER_AREA).astype(np.int16)


def _scene_thumb(gray: np.ndarray) -> np.ndarray:
    """The whole frame as cells of 64 pixels (every 8th pixel of every 8th row, 8 x 8 of them averaged):
    ~0.05 ms at 720p. Sensor noise averages out; a phone coming into view changes some cells by far more
    than _SAME_SCENE."""
    small = gray[::8, ::8]
    h, w = small.shape[:2]
    if h < 8 or w < 8:
        return small.astype(np.int16)
    small = small[:h - h % 8, :w - w % 8]
    return cv2.resize(small, (small.shape[1] // 8, small.shape[0] // 8), interpolation=cv2.INTER_AREA).astype(np.int16)


# -- the cascade ----------------------------------------------------------------------------------
class CascadeDecoder:
    """zxing-cpp on the frame first; when it reads nothing, the expensive stages run only on crops
    around where a code may be: symbols zxing located but could not read, code-like regions
    (code_like_regions), and the region where the last code was read (a citizen holds the phone still).
    A code-like region gets the first stage only, unless zxing located a symbol in that stage's variant
    or the region may be a blurred code (may_be_blurred_code): most of a new scene's code-like regions
    are the hall's clutter, and the other stages are what made its first frame without a code costly.

    Across consecutive frames it remembers the last code's region and the stage that read it (tried
    first next time), and the regions that were tried in vain: one that looks the same in the next
    frame (the hall's own posters and signs) is not tried again for `reject_frames` frames. A frame
    without a code that looks like the one before it (the camera watching an empty hall all day) does
    not search for code-like regions again: it reuses the last frame's, so it costs the first pass and
    a thumbnail (`searched` says whether this frame searched).

    `stages` names entries of STAGES in the order they are tried. `budget_ms` stops the cascade
    when a frame has already cost that much (a live camera sends another frame anyway).
    """
    name = "cascade"

    def __init__(self, stages: Sequence[str] = DEFAULT_STAGES, budget_ms: float | None = None,
                 base: Decoder | None = None, max_regions: int = 3, reject_frames: int = 20,
                 remember_frames: int = 15) -> None:
        unknown = [s for s in stages if s not in STAGES]
        if unknown:
            raise ValueError(f"unknown cascade stage(s): {unknown}")
        self.stages = tuple(stages)
        self.budget_ms = budget_ms
        self.max_regions = max_regions
        self.reject_frames = reject_frames
        self.remember_frames = remember_frames
        self._base = base or ZxingDecoder(**FIRST_PASS)
        # Variants are already at the scale that matters, so zxing's own downscaled retries only cost time.
        self._variant_decoder = base or ZxingDecoder(try_downscale=False, try_invert=True)
        self._frame = 0
        self._forget_pending = False
        self._last: _Region | None = None       # where the last code was read
        self._last_stage: str | None = None
        self._rejected: list[_Region] = []
        self._shape: tuple[int, ...] = ()
        self._scene: tuple[np.ndarray, list[Box], int] | None = None   # last frame without a code
        self.last_stage: str | None = None      # which stage read the code of the last frame (bench statistics)
        self.regions_tried = 0                  # crops given to the stages in the last frame (bench statistics)
        self.stages_run = 0                     # stage variants decoded in the last frame
        self.searched = False                   # whether the last frame searched for code-like regions

    def reset(self) -> None:
        """Forget what earlier frames taught (another camera, another scene, another citizen), and the
        crop the deblurring stages kept."""
        self._last, self._last_stage, self._rejected, self._scene = None, None, [], None
        forget_crops()

    def forget(self) -> None:
        """reset() at the start of the next frame, safe to call from another thread while this one
        decodes (the camera's forget_codes when a new citizen scans); the kept crop goes at once."""
        self._forget_pending = True
        forget_crops()

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        start = time.perf_counter()
        if self._forget_pending:
            self._forget_pending = False
            self.reset()
        self._frame += 1
        self.regions_tried = self.stages_run = 0
        self.searched = False
        gray = to_gray(image)
        if gray.shape != self._shape:      # another camera or resolution: earlier regions mean nothing
            self.reset()
            self._shape = gray.shape
        if isinstance(self._base, ZxingDecoder):
            found, misses = self._base.read(gray, with_misses=True)
        else:
            found, misses = self._base.decode(gray), []
        if found:
            self.last_stage = "plain"
            self._scene = None
            self._remember(gray, found, None)
            return found
        self.last_stage = None
        scene = _scene_thumb(gray)
        same_scene = self._same_scene(scene)
        if same_scene:
            looks = self._scene[1]
        else:
            # (the frame that searched stays the reference: a scene that drifts slowly is searched
            # again, and so is one that did not change, every `reject_frames` frames)
            looks = code_like_regions(gray, self.max_regions)
            self.searched = True
            self._scene = (scene, looks, self._frame)
        for box, source in self._regions(gray, misses, looks):
            if self.budget_ms is not None and (time.perf_counter() - start) * 1000 > self.budget_ms:
                break
            if source == "look" and self._was_rejected(gray, box, same_scene):
                continue
            self.regions_tried += 1
            crop = gray[box[1]:box[3], box[0]:box[2]]
            for n, stage in enumerate(self._stage_order()):
                variant, factor = STAGES[stage](crop)
                self.stages_run += 1
                codes, located = self._read_variant(variant)
                if codes:
                    found = [_place(c, factor, box[0], box[1]) for c in codes]
                    self.last_stage = stage
                    self._scene = None
                    self._remember(gray, found, stage)
                    return found
                if n == 0 and source == "look" and not located and not may_be_blurred_code(crop):
                    break       # nothing code-like for zxing, nor blurred: the hall's clutter (qr_stages)
                if self.budget_ms is not None and (time.perf_counter() - start) * 1000 > self.budget_ms:
                    break
            if source == "look":
                self._rejected.append(_Region(box, _thumb(gray, box), self._frame))
        return []

    def _read_variant(self, variant: np.ndarray) -> tuple[list[DecodedCode], bool]:
        """The codes in a stage's variant, and whether zxing located any symbol in it (read or not)."""
        if isinstance(self._variant_decoder, ZxingDecoder):
            codes, misses = self._variant_decoder.read(variant, with_misses=True)
            return codes, bool(codes or misses)
        return self._variant_decoder.decode(variant), True

    # -- across frames --
    def _stage_order(self) -> tuple[str, ...]:
        if self._last_stage in self.stages:
            return (self._last_stage,) + tuple(s for s in self.stages if s != self._last_stage)
        return self.stages

    def _remember(self, gray: np.ndarray, found: list[DecodedCode], stage: str | None) -> None:
        if len(found) == 1 and found[0].points:
            # (several codes in view are read by the plain pass; one remembered region is for the one
            # phone a citizen holds up, which blurs or catches the light from one frame to the next)
            box = box_of(found[0].points, 0.15, gray.shape)
            # (no thumbnail: the last region is tried whatever it looks like, and this is the cheap path)
            self._last = _Region(box, None, self._frame)
            # a code read here is no longer "tried in vain"
            self._rejected = [r for r in self._rejected if iou(r.box, box) < 0.3]
        else:
            self._last = None
        if stage is not None:
            self._last_stage = stage

    def _same_scene(self, scene: np.ndarray) -> bool:
        """Whether this frame looks like the last frame without a code that searched for code-like
        regions (every cell within _SAME_SCENE), at most `reject_frames` frames ago."""
        last = self._scene
        if last is None or self._frame - last[2] > self.reject_frames or last[0].shape != scene.shape:
            return False
        return float(np.abs(scene - last[0]).max()) < _SAME_SCENE

    def _was_rejected(self, gray: np.ndarray, box: Box, same_scene: bool = False) -> bool:
        self._rejected = [r for r in self._rejected if self._frame - r.frame <= self.reject_frames]
        for r in self._rejected:
            if r.frame != self._frame and iou(r.box, box) > 0.7:
                # (in a scene that did not change, neither did the region: no thumbnail needed)
                if same_scene or float(np.abs(_thumb(gray, r.box) - r.thumb).mean()) < _SAME_LOOK:
                    return True
        return False

    def _regions(self, gray: np.ndarray, misses: list, looks: list[Box]) -> list[tuple[Box, str]]:
        """Where to spend the stages, most promising first: ("located", a symbol of a 居民码's size that
        zxing located in this frame), ("last", the last code's region), ("look", a code-like region),
        ("located", around a symbol far too small for one)."""
        boxes: list[tuple[Box, str]] = []
        around_small: list[tuple[Box, str]] = []
        for pts in misses:
            side = max(max(p[0] for p in pts) - min(p[0] for p in pts), max(p[1] for p in pts) - min(p[1] for p in pts))
            if side >= 80:
                boxes.append((box_of(pts, 0.2, gray.shape), "located"))
            else:
                # a finder pattern taken for a Micro QR, or a corner of the real code: look around it,
                # but after the code-like regions (several of them used to fill every place, and the
                # tighter code-like region around the same code was never tried: tuning set)
                around_small.append((box_of(pts, _AROUND_SMALL, gray.shape), "located"))
        # after what this frame shows: the last code's region may be stale (the phone moved away)
        if self._last is not None and self._frame - self._last.frame <= self.remember_frames:
            boxes.append((self._last.box, "last"))
        boxes += [(b, "look") for b in looks]
        boxes += around_small
        out: list[tuple[Box, str]] = []
        for b, source in boxes:
            if (b[2] - b[0]) >= 24 and (b[3] - b[1]) >= 24 and all(iou(b, o) < 0.7 for o, _ in out):
                out.append((b, source))
        return out[:self.max_regions + 1]


def _place(code: DecodedCode, factor: float, dx: int, dy: int) -> DecodedCode:
    """A code found in a variant of a crop, in the coordinates of the frame."""
    return DecodedCode(code.format, code.text,
                       tuple((int(x * factor) + dx, int(y * factor) + dy) for x, y in code.points))


DECODERS: dict[str, Callable[[], Decoder]] = {"pyzbar": PyzbarDecoder, "zxing": ZxingDecoder,
                                              "cascade": CascadeDecoder}


def make_decoder(name: str = "cascade") -> Decoder:
    """A decoder by its config name ([camera] decoder)."""
    try:
        return DECODERS[name]()
    except KeyError:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODERS)}") from None
