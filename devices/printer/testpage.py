"""The A4 test page staff print from the CLI and the maintenance screen (reportlab, embedded CJK font)."""
from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from common.pdf_fonts import cjk_font


def check_page_pdf(terminal_name: str, number: str | None = None) -> tuple[bytes, str]:
    """(PDF bytes, the page's number): one A4 page with Chinese text, a frame and a 1 cm ruler."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    number = number or time.strftime("TEST-%Y%m%d-%H%M%S")
    font = cjk_font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=1, initialFontName=font)
    page.setTitle(f"打印测试页 {number}")
    width, height = A4
    page.rect(1 * cm, 1 * cm, width - 2 * cm, height - 2 * cm)
    page.setFont(font, 28)
    page.drawCentredString(width / 2, height - 4 * cm, "打印测试页")
    page.setFont(font, 14)
    for i, line in enumerate((terminal_name, f"编号 {number}", time.strftime("%Y-%m-%d %H:%M:%S"),
                              "中文字体检查：菏泽市政务服务中心 一码亮证 社保参保证明 不动产登记",
                              "这页纸能看清每个字、四边的框都印全，打印机就是好的。")):
        page.drawString(2.5 * cm, height - (6 + i) * cm, line)
    for i in range(0, 16):                       # a ruler: every mark 1 cm apart
        page.line((2.5 + i) * cm, 4 * cm, (2.5 + i) * cm, 4.5 * cm if i % 5 else 5 * cm)
    page.showPage()
    page.save()
    return out.getvalue(), number


def print_check_page(device, terminal_name: str, spool_dir: str | Path, timeout: float) -> None:
    """Print the test page on an A4 printer `device` and follow its job to the end (or `timeout`).

    The PDF is spooled in `spool_dir` (made 0700) and removed once the job is followed; the job's title
    is ASCII and names no one."""
    pdf, number = check_page_pdf(terminal_name)
    spool = Path(spool_dir)
    spool.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.NamedTemporaryFile(dir=spool, suffix=".pdf") as tmp:
        tmp.write(pdf)
        tmp.flush()
        job = device.print_file(tmp.name, f"kiosk-testpage-{number}")
        device.follow(job, timeout=max(1.0, timeout - 1))
