"""身份证复印 at true size on the A4 printer, the pre-filled form, the signature and the attachments."""
import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from devices.doccam.encode import decode_image
from devices.printer.simulator import SimulatedDocumentPrinter
from devices.states import DeviceError
from kiosk.forms.prefill import PrefilledForm, prefill
from kiosk.forms.signature import Signature
from kiosk.identity import Identity, IdentitySource
from kiosk.review import idcopy, specimens
from kiosk.review.attachments import for_submit, page_attachment

NAME, NUMBER = "王小明", "37170219800101001X"


def _ink_box(page: Image.Image, row: slice):
    gray = np.asarray(page.convert("L"))[row]
    ys, xs = np.nonzero(gray < 250)
    return xs.min(), xs.max(), ys.min(), ys.max()


def test_the_id_copy_is_a4_with_both_sides_at_true_size(tmp_path):
    front, back = specimens.id_card_front(NAME, NUMBER), specimens.id_card_back("2016.01.01", "2036.01.01")
    pdf = pdfium.PdfDocument(idcopy.id_copy_pdf(front, back, "办理户口迁移"))
    assert len(pdf) == 1
    w_pt, h_pt = pdf[0].get_size()
    assert (w_pt * 25.4 / 72, h_pt * 25.4 / 72) == pytest.approx((210, 297), abs=0.5)
    page = idcopy.id_copy_page(front, back, "办理户口迁移")
    top = page.height // 3                          # the front lies in the first third of the page
    x0, x1, y0, y1 = _ink_box(page, slice(0, top))
    assert ((x1 - x0 + 1) / idcopy.MM, (y1 - y0 + 1) / idcopy.MM) == pytest.approx(idcopy.CARD_MM, abs=0.6)


def test_the_id_copy_prints_on_the_a4_printer_and_leaves_no_file(tmp_path):
    printer = SimulatedDocumentPrinter(seconds_per_page=0.01)
    pdf = idcopy.id_copy_pdf(specimens.id_card_front(NAME, NUMBER), specimens.id_card_back("2016.01.01", "长期"), "办理社保")
    idcopy.print_id_copy(printer, pdf, "身份证复印件", tmp_path / "run", timeout=10)
    assert printer.pages_printed == 1
    assert list((tmp_path / "run").iterdir()) == []
    printer.simulate("offline")
    with pytest.raises(DeviceError) as failed:
        idcopy.print_id_copy(printer, pdf, "身份证复印件", tmp_path / "run", timeout=10)
    assert failed.value.code == "offline" and list((tmp_path / "run").iterdir()) == []


def test_the_form_is_filled_from_the_card_the_licences_and_the_flow():
    identity = Identity(IdentitySource.ID_CARD, NAME, NUMBER, details={"address": "山东省菏泽市牡丹区示例街道0号",
                                                                        "sex": "男"})
    fields = prefill(["姓名", "公民身份号码", "联系电话", "户籍地址", "婚姻状况", "紧急联系人"], identity=identity,
                     licences=[{"id": "x", "fields": {"marital_status": "已婚"}}], values={"phone": "13800000000"})
    form = PrefilledForm("老年人优待证申请表", fields)
    assert [(f.label, f.value, f.source) for f in form.fields] == [
        ("姓名", NAME, "identity"), ("公民身份号码", NUMBER, "identity"), ("联系电话", "13800000000", "flow"),
        ("户籍地址", "山东省菏泽市牡丹区示例街道0号", "identity"), ("婚姻状况", "已婚", "licence"), ("紧急联系人", "", "")]
    assert form.missing() == ["紧急联系人"]
    form.change("联系电话", "13900000000")
    assert form.get("联系电话").changed and form.get("联系电话").source_words == "您改过"
    assert form.get("姓名").source_words == "从身份证读取"
    assert NAME not in repr(form)
    form.wipe()
    assert all(not f.value for f in form.fields)


def test_a_signature_needs_ink_and_becomes_a_png():
    pad = Signature((600, 300))
    pad.add_stroke([(100, 150)])
    assert not pad.signed                         # a tap is not a signature
    pad.add_stroke([(100, 150), (200, 100), (300, 200), (400, 120)])
    assert pad.signed
    image = Image.open(io.BytesIO(pad.png()))
    assert image.size == (800, 400)
    ink = np.asarray(image.convert("L")) < 128
    assert ink.mean() > 0.005
    pad.clear()
    assert not pad.signed and pad.strokes == []


def test_pages_become_jpeg_attachments_once_per_name():
    page = specimens.hukou_page(NAME, NUMBER)
    first = page_attachment("户口簿", page, "首页")
    retake = page_attachment("户口簿", page[:, ::-1], "首页")
    sig = {"name": "签名.png", "content_type": "image/png", "data": b"\x89PNG"}
    assert first["name"] == "户口簿首页.jpg" and first["content_type"] == "image/jpeg"
    assert decode_image(first["data"]).shape[:2] == page.shape[:2]
    sent = for_submit([first, retake, sig])
    assert [(n, t) for n, t, _ in sent] == [("户口簿首页.jpg", "image/jpeg"), ("签名.png", "image/png")]
    assert sent[0][2] == retake["data"]
