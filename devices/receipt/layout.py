"""A receipt as data, and the same receipt as a 1-bit raster image the printer prints dot for dot.

Chinese text must come out on printers without a Chinese font, so every receipt is printed as a
raster image (ESC/POS `GS v 0`) drawn here with a CJK TrueType font; the simulator saves the same
image as a PNG. A `Receipt` carries no personal data: the kiosk builds it from the terminal's name,
the matter, the numbers and what happens next (kiosk/printing.py).
"""
from __future__ import annotations

import glob
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

# dots per line of the common print heads at 203 dpi (8 dots/mm)
DOTS = {80: 576, 58: 384}
MARGIN = 8
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)


@dataclass
class Receipt:
    """One slip of paper. `lines` are (label, value) rows; `qr` is the text of the QR code."""
    title: str
    header: str = ""                              # the terminal's name
    lines: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""                                # what happens next
    qr: str = ""
    qr_caption: str = ""
    footer: str = ""

    def text(self) -> str:
        """Everything the slip says, as plain text (tests, logs of the simulator, accessibility)."""
        parts = [self.header, self.title] + [f"{k}：{v}" for k, v in self.lines] + [self.note, self.qr_caption,
                                                                                    self.footer]
        return "\n".join(p for p in parts if p)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_CANDIDATES + tuple(sorted(glob.glob("/usr/share/fonts/**/*CJK*.tt[cf]", recursive=True))):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    raise RuntimeError("no CJK font for receipts (install fonts-wqy-zenhei)")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break Chinese text by characters (no spaces to break at) to fit `width` dots."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for ch in paragraph:
            if current and draw.textlength(current + ch, font=font) > width:
                lines.append(current)
                current = ""
            current += ch
        lines.append(current)
    return lines


def render(receipt: Receipt, paper_width_mm: int = 80) -> Image.Image:
    """The receipt as a 1-bit image as wide as the print head (576 dots at 80 mm, 384 at 58 mm)."""
    width = DOTS.get(paper_width_mm, DOTS[80])
    scale = width / DOTS[80]
    big, body, small = _font(int(40 * scale)), _font(int(26 * scale)), _font(int(22 * scale))
    usable = width - 2 * MARGIN
    canvas = Image.new("L", (width, 4000), 255)
    draw = ImageDraw.Draw(canvas)
    y = MARGIN

    def block(text: str, font, centre: bool = False, gap: int = 6) -> None:
        nonlocal y
        for line in _wrap(draw, text, font, usable):
            x = MARGIN + (usable - draw.textlength(line, font=font)) / 2 if centre else MARGIN
            draw.text((x, y), line, font=font, fill=0)
            y += int(font.size * 1.3)
        y += gap

    def rule() -> None:
        nonlocal y
        draw.line((MARGIN, y + 4, width - MARGIN, y + 4), fill=0, width=2)
        y += 14

    if receipt.header:
        block(receipt.header, small, centre=True)
    block(receipt.title, big, centre=True, gap=10)
    rule()
    for label, value in receipt.lines:
        block(f"{label}：{value}", body, gap=2)
    if receipt.note:
        rule()
        block(receipt.note, body)
    if receipt.qr:
        import segno
        qr = segno.make(receipt.qr, error="m")
        modules = qr.symbol_size(scale=1, border=2)[0]
        px = max(1, int(220 * scale) // modules)
        from io import BytesIO
        buf = BytesIO()
        qr.save(buf, kind="png", scale=px, border=2)
        buf.seek(0)
        code = Image.open(buf).convert("L")
        canvas.paste(code, ((width - code.width) // 2, y))
        y += code.height + 4
        if receipt.qr_caption:
            block(receipt.qr_caption, small, centre=True)
    if receipt.footer:
        rule()
        block(receipt.footer, small, centre=True)
    y += MARGIN
    height = (y + 7) // 8 * 8
    return canvas.crop((0, 0, width, height)).point(lambda v: 0 if v < 160 else 255, mode="1")


def check_receipt(terminal_name: str, when: str) -> Receipt:
    """The receipt staff print to check the printer: every kind of line a real receipt has."""
    return Receipt(title="打印测试", header=terminal_name,
                   lines=[("时间", when), ("中文检查", "菏泽 一码亮证 社保 不动产")],
                   note="这张纸字迹清楚、二维码完整，凭条打印机就是好的。",
                   qr="HEZE-KIOSK-PRINT-TEST", qr_caption="二维码检查", footer="凭条打印机测试")
