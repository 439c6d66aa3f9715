"""The PDFs the reference platform issues: certificates (证明) and licence copies (亮证复印件).

reportlab with an embedded TrueType CJK font (common/pdf_fonts.py), so that the printed page shows
Chinese and not tofu whatever fonts the printer has. Every page carries the document number and
the verification code, and a QR code with both, for whoever checks the paper.
"""
from __future__ import annotations

import io
from typing import Sequence

from common.pdf_fonts import cjk_font

USE_ONLY = "仅限政务服务使用"


def _qr(page, text: str, x: float, y: float, size: float) -> None:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    widget = QrCodeWidget(text)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, x, y)


def _frame(page, font: str, title: str, issuer: str, number: str, code: str, index: int, total: int,
           verify_url: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    width, height = A4
    page.setFont(font, 22)
    page.drawCentredString(width / 2, height - 3 * cm, title)
    page.setFont(font, 10)
    page.drawString(2 * cm, height - 4 * cm, f"编号：{number}")
    page.drawRightString(width - 2 * cm, height - 4 * cm, f"验证码：{code}")
    page.line(2 * cm, height - 4.3 * cm, width - 2 * cm, height - 4.3 * cm)
    page.line(2 * cm, 3.2 * cm, width - 2 * cm, 3.2 * cm)
    page.drawString(2 * cm, 2.6 * cm, f"出具单位：{issuer}")
    page.drawString(2 * cm, 2.0 * cm, f"核验：扫右侧二维码，或在 {verify_url} 输入编号和验证码")
    page.drawRightString(width - 4.5 * cm, 1.4 * cm, f"第 {index} 页 共 {total} 页")
    _qr(page, f"{verify_url}?no={number}&code={code}", width - 4 * cm, 0.9 * cm, 2.2 * cm)


def certificate_pdf(title: str, issuer: str, number: str, code: str, pages: Sequence[Sequence[str]],
                    verify_url: str) -> bytes:
    """A certificate: `pages` is a list of pages, each a list of text lines (a line "" is a gap,
    a line starting with "## " a heading)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas
    font = cjk_font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1, initialFontName=font)
    page.setTitle(f"{title} {number}")
    page.setAuthor(issuer)
    width, height = A4
    for index, lines in enumerate(pages, 1):
        _frame(page, font, title, issuer, number, code, index, len(pages), verify_url)
        y = height - 5.5 * cm
        for line in lines:
            if line.startswith("## "):
                page.setFont(font, 14)
                page.drawString(2 * cm, y, line[3:])
                y -= 0.9 * cm
            else:
                page.setFont(font, 11.5)
                page.drawString(2.3 * cm, y, line)
                y -= 0.72 * cm
        page.showPage()
    page.save()
    return out.getvalue()


def licence_copy_pdf(title: str, issuer: str, number: str, code: str, fields: Sequence[tuple[str, str]],
                     verify_url: str) -> bytes:
    """A copy of one e-licence, crossed with "仅限政务服务使用" so it cannot pass for the original."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas
    font = cjk_font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1, initialFontName=font)
    page.setTitle(f"{title}（复印件）{number}")
    width, height = A4
    _frame(page, font, f"{title}（电子证照复印件）", issuer, number, code, 1, 1, verify_url)
    left, top = 3 * cm, height - 6 * cm
    page.roundRect(left, top - 9 * cm, width - 6 * cm, 9 * cm, 0.5 * cm)
    page.setFont(font, 16)
    page.drawString(left + 0.8 * cm, top - 1.2 * cm, title)
    page.setFont(font, 12)
    for i, (label, value) in enumerate(fields):
        page.drawString(left + 0.8 * cm, top - (2.4 + i * 0.9) * cm, f"{label}：{value}")
    page.setFont(font, 13)
    page.drawCentredString(width / 2, top - 10.3 * cm, f"本复印件{USE_ONLY}，另作他用无效。")
    page.saveState()
    page.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.28))
    page.setFont(font, 34)
    for row in range(4):
        page.saveState()
        page.translate(width / 2, height - (8 + row * 5.5) * cm)
        page.rotate(28)
        page.drawCentredString(0, 0, USE_ONLY)
        page.restoreState()
    page.restoreState()
    page.showPage()
    page.save()
    return out.getvalue()
