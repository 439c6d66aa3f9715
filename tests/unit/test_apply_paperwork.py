"""我要办 with paperwork, driven through the terminal core without a display: a page photographed
on the (simulated) document camera and pre-reviewed by the real OCR, the pre-filled form checked and
corrected, a signature, submit — and the platform process stores the page and the signature as the
submission's attachments (PUT /api/v1/attachments/{sha256} before the POST). A wipe forgets pages."""
from __future__ import annotations

import hashlib
import logging
import sqlite3

import pytest

from devices.checkdigit import id_check_char
from devices.doccam import synthetic
from kiosk.demo import demo_identity
from kiosk.identity import Identity, IdentitySource
from kiosk.logs import setup_logging
from kiosk.review import specimens
from tests.unit.test_terminal_flows import delivered, stored

BIRTH = "HZ-WJ-001"     # 生育登记: its 生育登记表 has review rules (kind form) in the demo pack


def _birth_form(signed: bool):
    who = demo_identity()
    values = {"姓名": who.name, "公民身份号码": who.number, "联系电话": "13905301234"}
    return synthetic.photo(specimens.form("生育登记表", values, list(values), signature=signed), seed=5, fill=0.85).frame


def _to_capture(terminal, who=None):  # noqa: F811
    terminal.identify(who or demo_identity())
    flow = terminal.open_flow("apply", matter=BIRTH)
    flow.set_phone("13905301234")
    while flow.step.key != "capture":
        if flow.step.key == "materials":
            flow.use_licences(True)        # 居民身份证 and 结婚证 as e-licences: the form is the first page
        assert flow.next(), flow.problem()
    return flow


def test_a_page_a_form_and_a_signature_reach_the_platform_as_attachments(terminal, platform_server):  # noqa: F811
    flow = _to_capture(terminal)
    target = flow.capture_target
    assert target.kind == "form" and target.instruction.startswith("把生育登记表")
    review = flow.review_page(_birth_form(signed=True))
    assert review["quality"] == [] and all(c["ok"] for c in review["checks"]), review
    points = flow.point_results(target)
    assert [(a.check, ok) for a, ok in points] == [("filled", True), ("signed", True)]
    flow.accept_page()
    while flow.capture_target is not None:
        flow.skip_page()
    assert flow.next() and flow.step.key == "form"
    form = flow.form()
    assert [(f.label, f.source) for f in form.fields] == [("姓名", "identity"), ("公民身份号码", "identity"),
                                                          ("联系电话", "flow")]
    flow.change_field("联系电话", "13905309999")
    assert flow.form().get("联系电话").changed
    assert flow.next() and flow.step.key == "sign"
    assert not flow.next() and "名字" in flow.problem()
    flow.signature().add_stroke([(100, 150), (300, 80), (500, 200), (700, 100)])
    assert flow.next()
    while not flow.is_last:
        assert flow.next(), flow.problem()
    sent = flow.attachments()
    local_id = flow.submit()
    assert terminal.session.attachments == [], "sealed in the outbox, no longer held by the session"
    delivered(terminal, local_id)
    body = stored(platform_server, local_id)
    assert [a["name"] for a in body["attachments"]] == ["生育登记表.jpg", "申请人签名.png"]
    assert body["payload"]["form"]["fields"][2] == {"label": "联系电话", "value": "13905309999",
                                                     "source": "flow", "changed": True}
    assert body["payload"]["signed"] is True
    assert [c["check"] for c in body["payload"]["prereview"][0]["checks"]] == ["readable", "filled", "signed"]
    with sqlite3.connect(f"file:{platform_server.db_path}?mode=ro", uri=True) as db:
        for (name, ctype, data), meta in zip(sent, body["attachments"]):
            row = db.execute("SELECT content_type, size FROM attachments WHERE sha256=?", (meta["sha256"],)).fetchone()
            assert meta["sha256"] == hashlib.sha256(data).hexdigest() and row == (ctype, len(data))
    assert data[:4] == b"\x89PNG" and sent[0][2][:2] == b"\xff\xd8"


def test_an_unsigned_form_is_pointed_out_but_not_refused(terminal):  # noqa: F811
    flow = _to_capture(terminal)
    review = flow.review_page(_birth_form(signed=False))
    assert {c["check"]: c["ok"] for c in review["checks"]}["signed"] is False
    assert flow.can_next, "the machine points out; staff decide"


def test_a_wipe_forgets_the_pages(terminal):  # noqa: F811
    flow = _to_capture(terminal)
    flow.review_page(_birth_form(signed=True))
    assert len(terminal.session.attachments) == 1
    terminal.end_session()
    assert terminal.session.is_empty()


def test_the_pre_review_keeps_the_citizen_and_the_page_text_out_of_the_logs(terminal, tmp_path, caplog):  # noqa: F811
    """A made-up citizen's form photographed, read by the real OCR on the worker thread the capture
    screen uses, at DEBUG level: neither the kiosk's log file nor any log record holds the name,
    the number or any other text read from the page. The log redactor masks a value after a label it
    knows (姓名, 住址 …); the 申请事由 line is one it does not know, so only the code keeps it out."""
    who = Identity(IdentitySource.ID_CARD, "柏青禾", "37172319771108003" + id_check_char("37172319771108003"))
    phone, address, reason = "13953088471", "青石镇柳塘村七组", "随迁柳塘村借住"
    values = {"姓名": who.name, "公民身份号码": who.number, "联系电话": phone, "现住址": address, "申请事由": reason}
    page = synthetic.photo(specimens.form("生育登记表", values, list(values), signature=True), seed=7,
                           fill=0.85).frame
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    caplog.set_level(logging.DEBUG)
    log_file = setup_logging(tmp_path / "logs", level="DEBUG", console=False)
    try:
        logging.getLogger("kiosk.test").debug("the pre-review starts")     # the file is being written
        flow = _to_capture(terminal, who)
        target = flow.capture_target
        flow.review_page_async(page).join(300)
        for handler in root.handlers:
            handler.flush()
        written = log_file.read_text(encoding="utf-8")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    review = flow.review_of(target)
    assert {c["check"]: c["ok"] for c in review["checks"]} == {"readable": True, "filled": True, "signed": True}, \
        "the OCR did read the name, the number and the phone from the page"
    assert ("page_reviewed", {"target": target.key, "ok": True}) in terminal.seen
    assert "the pre-review starts" in written and caplog.records
    logged = written + "\n" + caplog.text + "\n" + "\n".join(str(r.args) for r in caplog.records)
    for secret in (who.name, who.number, who.number[-6:], phone, address, reason, "柳塘村", "13953088"):
        assert secret not in logged, secret
