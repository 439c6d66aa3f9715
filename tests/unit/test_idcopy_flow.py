"""身份证复印 through the terminal core: the purpose, both sides taken by the (simulated) document camera
by themselves, one A4 page with the card at true size and the words across it, printed on the A4
printer; afterwards no picture, PDF or spooled file is left, and a wipe leaves the session empty."""
from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pypdfium2 as pdfium
import pytest

from devices.doccam.simulator import SimulatedDocumentCamera
from kiosk.flows.idcopy import clean_purpose, watermark
from kiosk.review import idcopy, specimens

NAME, NUMBER = "王小明", "37170219800101001X"


def _taken(camera, card, seed):
    """Lay `card` under the simulated camera and wait for the automatic shot."""
    got, arrived = [], threading.Event()
    off = camera.events.subscribe(lambda e, p: (got.append(p), arrived.set()) if e == "page" else None)
    camera.place(card, seed=seed)
    camera.capture()
    try:
        assert arrived.wait(15), "the card lying still was not taken by itself"
    finally:
        off()
        camera.release()
    return got[0]


@pytest.fixture
def camera():
    cam = SimulatedDocumentCamera(fps=30, analyse_fps=30, steady_seconds=0.2)
    yield cam
    cam.release()


def _wait_job(flow, timeout=20.0):
    deadline = time.monotonic() + timeout
    while flow.print_status()[0] not in ("done", "failed", "canceled"):
        assert time.monotonic() < deadline, "the print job did not end"
        time.sleep(0.05)
    return flow.print_status()


def test_purpose_words(terminal):
    assert clean_purpose(" 仅供办理 医保使用 ") == "办理医保" and watermark("入学报名") == "仅供入学报名使用"
    flow = terminal.open_flow("idcopy")
    assert flow.step.key == "purpose" and not flow.next()
    assert "用途" in flow.problem()
    flow.set_purpose("仅供办理公积金提取使用")
    assert flow.state.purpose == "办理公积金提取" and flow.next() and flow.step.key == "front"
    assert not flow.next() and "正面" in flow.problem()


def test_both_sides_on_one_a4_page_at_true_size_printed_and_forgotten(terminal, camera, caplog):
    caplog.set_level(logging.DEBUG)
    flow = terminal.open_flow("idcopy")
    flow.choose("purpose", "办理社保")
    flow.next()
    front = _taken(camera, specimens.id_card_front(NAME, NUMBER), 2)
    assert front.auto and front.ok
    flow.take("front", front.image, front.codes)
    assert flow.next() and flow.step.key == "back"
    back = _taken(camera, specimens.id_card_back("2016.01.01", "2036.01.01"), 3)
    flow.take("back", back.image, back.codes)
    held = flow.state.front
    assert flow.next() and flow.step.key == "preview" and flow.can_next
    doc = flow.state.document
    assert doc.pages == 1 and NAME not in doc.number and NUMBER not in doc.number
    pdf = pdfium.PdfDocument(doc.pdf)
    w_pt, h_pt = pdf[0].get_size()
    assert (w_pt * 25.4 / 72, h_pt * 25.4 / 72) == pytest.approx((210, 297), abs=0.5)
    # the front's ink, measured on the PDF's page rendered at 300 dpi: the card's real size
    page = pdf[0].render(scale=idcopy.DPI / 72).to_pil().convert("L")
    gray = np.asarray(page)[: page.height // 3]
    ys, xs = np.nonzero(gray < 250)
    size_mm = ((xs.max() - xs.min() + 1) / idcopy.MM, (ys.max() - ys.min() + 1) / idcopy.MM)
    assert size_mm == pytest.approx(idcopy.CARD_MM, abs=0.8)
    pdf.close()
    assert flow.state.preview.width == 900

    flow.next()                                   # 打印
    assert flow.step.key == "printing"
    assert flow.state.front is None and flow.state.back is None and flow.state.document.pdf == b""
    assert not held.any(), "the picture is overwritten, not only dropped"
    state, words = _wait_job(flow)
    assert state == "done" and words == "打印好了，请从下面的出纸口取走。"
    printer = terminal.hub.get("printer")
    assert printer.pages_printed >= 1
    spool = terminal.settings.data_dir / "print"
    assert not spool.exists() or list(spool.iterdir()) == []
    assert NAME not in caplog.text and NUMBER not in caplog.text
    terminal.end_session()
    assert terminal.session.is_empty()


def test_a_typed_purpose_never_reaches_a_log_and_a_wipe_forgets_the_pictures(terminal, caplog):
    caplog.set_level(logging.DEBUG)
    flow = terminal.open_flow("idcopy")
    flow.set_purpose("办理张家庄土地确权")
    logging.getLogger("kiosk.test").info("purpose %s", "办理张家庄土地确权")
    assert "办理张家庄土地确权" not in caplog.text
    card = specimens.id_card_front(NAME, NUMBER)
    flow.take("front", card, ("glare",))
    assert flow.problems("front") == ["glare"]
    kept = flow.state.front
    flow.retake("front")
    assert flow.state.front is None and not kept.any()
    flow.take("front", card)
    kept = flow.state.front
    terminal.end_session()
    assert not kept.any() and terminal.session.is_empty()
