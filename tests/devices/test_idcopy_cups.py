"""身份证复印 through the real cupsd onto a cups-pdf queue: the terminal's flow prints one A4 page on
which the card comes out at its real size (85.6 × 54 mm), and no file of it is left on the terminal."""
from __future__ import annotations

import os
import time

import numpy as np
import pypdfium2 as pdfium
import pytest

from kiosk.review import idcopy, specimens
from tests.devices.conftest import cups_pdf_output


@pytest.fixture
def cups_terminal(data_dir, cups_queue):
    from kiosk.settings import load_settings
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true",
                                                ("printer", "driver"): "cups", ("printer", "queue"): cups_queue})
    terminal = Terminal(settings, voice=Voice(enabled=False))
    yield terminal
    terminal.stop()


def test_the_id_copy_comes_out_of_cups_pdf_at_true_size(cups_terminal):
    flow = cups_terminal.open_flow("idcopy")
    flow.set_purpose("办理社保")
    flow.take("front", specimens.id_card_front("王小明", "37170219800101001X"))
    flow.take("back", specimens.id_card_back("2016.01.01", "2036.01.01"))
    flow.go_to("back")
    assert flow.next() and flow.step.key == "preview"
    number = flow.state.document.number
    flow.next()
    deadline = time.monotonic() + 90
    while flow.print_status()[0] not in ("done", "failed", "canceled"):
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.1)
    assert flow.print_status()[0] == "done", flow.print_status()
    import cups
    attrs = cups.Connection().getJobAttributes(flow.state.job.device_job)
    # true size: a printer with 4 mm margins would shrink a fitted page to ~97 %
    assert "fit-to-page" not in attrs and attrs.get("print-scaling") == "none"
    out = cups_pdf_output(flow.state.job.device_job)
    try:
        pdf = pdfium.PdfDocument(out)
        assert len(pdf) == 1
        w_pt, h_pt = pdf[0].get_size()
        assert (w_pt * 25.4 / 72, h_pt * 25.4 / 72) == pytest.approx((210, 297), abs=1.0)
        page = pdf[0].render(scale=idcopy.DPI / 72).to_pil().convert("L")
        pdf.close()
        gray = np.asarray(page)[: page.height // 3]
        ys, xs = np.nonzero(gray < 245)
        size_mm = ((xs.max() - xs.min() + 1) / idcopy.MM, (ys.max() - ys.min() + 1) / idcopy.MM)
        assert size_mm == pytest.approx(idcopy.CARD_MM, abs=1.0)
    finally:
        os.unlink(out)
    spool = cups_terminal.settings.data_dir / "print"
    assert not spool.exists() or list(spool.iterdir()) == []
    assert "王小明" not in number
