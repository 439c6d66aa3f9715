"""身份证复印: both sides of the ID card on one A4 page at true size, "仅供…使用" written across them.

    pdf = id_copy_pdf(front, back, "办理户口迁移")      # bytes of a one-page A4 PDF (300 dpi raster)
    print_id_copy(printer, pdf, title)                   # on the A4 printer family (devices/printer)

The sides come from the document camera, straightened (TakenPage.image). They are scaled to the
card's real size (85.6 × 54 mm, GB/T 14916) so the copy is like one from a photocopier. The page is a
raster in a PDF (Pillow), so Chinese never depends on a printer font. The PDF is personal: it is
written to a private file only for the print job and deleted when the job has ended.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from kiosk.guides.draw import font

DPI = 300
A4_MM = (210.0, 297.0)
CARD_MM = (85.6, 54.0)
MM = DPI / 25.4


def _px(mm: float) -> int:
    return int(round(mm * MM))


def _card(image: np.ndarray) -> Image.Image:
    """One side, at true size (landscape: a card photographed upright is turned)."""
    if image.shape[0] > image.shape[1]:
        image = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    rgb = Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    return rgb.resize((_px(CARD_MM[0]), _px(CARD_MM[1])), Image.LANCZOS)


def _across(size: tuple[int, int], words: str) -> Image.Image:
    """The purpose written diagonally across a card, in grey that still lets the card be read."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    f = font(_px(5.5), True)
    step = _px(16)
    for y in range(-size[1], size[1] * 2, step):
        d.text((size[0] // 2, y), words, font=f, fill=(90, 90, 90, 110), anchor="mm")
    return layer.rotate(20, resample=Image.BICUBIC, center=(size[0] // 2, size[1] // 2))


def id_copy_page(front: np.ndarray, back: np.ndarray, purpose: str) -> Image.Image:
    """The A4 page (RGB, 300 dpi): front above back, centred, each with `仅供{purpose}使用` across."""
    words = f"仅供{purpose}使用" if not purpose.startswith("仅供") else purpose
    page = Image.new("RGB", (_px(A4_MM[0]), _px(A4_MM[1])), (255, 255, 255))
    x = (page.width - _px(CARD_MM[0])) // 2
    for i, side in enumerate((front, back)):
        card = _card(side).convert("RGBA")
        card.alpha_composite(_across(card.size, words))
        page.paste(card.convert("RGB"), (x, _px(40 + i * (CARD_MM[1] + 25))))
    d = ImageDraw.Draw(page)
    d.text((page.width // 2, _px(40 + 2 * CARD_MM[1] + 25 + 18)), f"{words}，再复印无效", font=font(_px(4.5)),
           fill=(60, 60, 60), anchor="mm")
    return page


def id_copy_pdf(front: np.ndarray, back: np.ndarray, purpose: str) -> bytes:
    """A one-page A4 PDF of the copy (page size 210 × 297 mm from the 300 dpi raster)."""
    buffer = io.BytesIO()
    id_copy_page(front, back, purpose).save(buffer, "PDF", resolution=DPI)
    return buffer.getvalue()


def print_id_copy(printer, pdf: bytes, title: str, run_dir: str | Path, timeout: float = 120.0) -> None:
    """Print the copy on the A4 printer (devices/printer DocumentPrinterDevice) and wait until it is out.

    Raises the printer's DeviceError (offline, no_printer, job_failed, timeout) with its plain message.
    The PDF lives in a 0600 file in `run_dir` only while the job runs."""
    from devices.printer.base import NO_PRINTER, print_error
    if not printer.configured or not printer.can("print_file"):
        raise print_error(NO_PRINTER)
    run_dir = Path(run_dir)
    run_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, path = tempfile.mkstemp(prefix="idcopy-", suffix=".pdf", dir=run_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pdf)
        job = printer.print_file(path, title)
        printer.follow(job, timeout)
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
