"""Printing through the terminal core with no display: the receipt after a submission (and the plain
answer when the printer cannot), 证明打印 and 一码亮证 against the real reference platform process, and
the session wipe cancelling a job not yet printed."""
from __future__ import annotations

import time


from kiosk.demo import demo_identity
from kiosk.terminal import Terminal
from kiosk.voice import Voice


def wait_event(terminal, name: str, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event, data in list(terminal.seen):
            if event == name:
                return data
        time.sleep(0.05)
    raise AssertionError(f"no {name} event; got {[e for e, _ in terminal.seen]}")


def submit_help(terminal) -> str:
    flow = terminal.open_flow("help")
    return flow.call("operate")


def test_a_submission_prints_its_receipt_by_itself(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    local_id = submit_help(terminal)
    printed = wait_event(terminal, "printed")
    assert printed == {"printer": "receipt", "local_id": local_id}
    assert terminal.printing.receipt_status(local_id)["state"] == "printed"
    printer = terminal.hub.get("receipt")
    assert printer.last_png.exists()


def test_the_receipt_names_no_one(terminal):
    identity = demo_identity()
    terminal.identify(identity)
    receipt = terminal.printing.build_receipt("HZ0001-20261130-0001", "application", "请等短信。", "城乡居民养老保险",
                                              "371700-2026-000001")
    text = receipt.text() + receipt.qr
    assert "HZ0001-20261130-0001" in text and "371700-2026-000001" in text and "城乡居民养老保险" in text
    for personal in (identity.name, identity.number, identity.number[-4:], "山东省菏泽市牡丹区"):
        assert personal not in text


def test_paper_out_keeps_the_screen_receipt_and_tells_staff(terminal):
    terminal.hub.get("receipt").simulate("paper_out")
    started = time.monotonic()
    local_id = submit_help(terminal)
    failed = wait_event(terminal, "print_failed")
    assert time.monotonic() - started < 5
    assert failed["reason"] == "paper_out" and failed["local_id"] == local_id
    assert "二维码" in failed["message"] and "工作人员" in failed["message"]
    assert terminal.printing.receipt_status(local_id)["state"] == "failed"
    alerts = (terminal.settings.data_dir / "staff-alerts.log").read_text(encoding="utf-8")
    assert "receipt_paper_out" in alerts
    assert terminal.receipt_state(local_id)["state"] in ("pending", "delivered")   # nothing lost


def test_paper_near_end_prints_and_tells_staff_once(terminal):
    terminal.hub.get("receipt").simulate("paper_near_end")
    terminal.identify(demo_identity())
    first = submit_help(terminal)
    wait_event(terminal, "printed")
    terminal.seen.clear()
    second = submit_help(terminal)
    wait_event(terminal, "printed")
    for local_id in (first, second):      # the citizen's receipt came out: nothing to tell them
        assert terminal.printing.receipt_status(local_id) == {"state": "printed", "message": ""}
    alerts = (terminal.settings.data_dir / "staff-alerts.log").read_text(encoding="utf-8")
    assert alerts.count("receipt_paper_near_end") == 1
    assert not [e for e, _ in terminal.seen if e == "print_failed"]


def test_paper_running_out_while_the_receipt_prints_keeps_the_screen_receipt(terminal):
    from kiosk.printing import RECEIPT_FAILED
    printer = terminal.hub.get("receipt")
    printer.simulate("ok")
    printer.virtual.change_after("paper_out", bytes_in=15_000)
    local_id = submit_help(terminal)
    failed = wait_event(terminal, "print_failed")
    assert failed["reason"] == "paper_out" and failed["message"] == RECEIPT_FAILED
    assert terminal.printing.receipt_status(local_id) == {"state": "failed", "message": RECEIPT_FAILED}
    alerts = (terminal.settings.data_dir / "staff-alerts.log").read_text(encoding="utf-8")
    assert "receipt_paper_out" in alerts and printer.virtual.receipts == []


def test_a_silent_printer_holds_no_one_for_long(terminal):
    terminal.hub.get("receipt").simulate("silent")
    started = time.monotonic()
    submit_help(terminal)
    assert wait_event(terminal, "print_failed")["reason"] == "offline"
    assert time.monotonic() - started < 5


def test_certificates_from_choice_to_printed(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.open_flow("certificates")
    assert flow.step.key == "choose" and not flow.can_next
    flow.load()
    assert [t for _, t in flow.choices()][0] == "社保参保证明"
    assert flow.choose("social_insurance")
    assert flow.step.key == "preview" and len(flow.state.previews) == 2 == flow.state.document.pages
    flow.turn(1)
    assert flow.state.page == 1
    flow.submit()
    assert flow.step.key == "printing"
    job = terminal.printing.wait(flow.state.job, 20)
    assert job.state == "done" and flow.print_status() == ("done", "打印好了，请从下面的出纸口取走。")
    assert wait_event(terminal, "printed")["printer"] == "a4"
    assert not list((terminal.settings.data_dir / "print").glob("*"))     # the PDF is gone


def test_the_session_wipe_cancels_a_job_not_yet_printed(terminal, platform_server):  # noqa: F811
    terminal.hub.get("printer").seconds_per_page = 5.0
    terminal.identify(demo_identity())
    flow = terminal.open_flow("certificates")
    flow.load()
    flow.choose("marriage")
    flow.submit()
    job = flow.state.job
    time.sleep(0.3)
    assert job.state in ("waiting", "printing") and list((terminal.settings.data_dir / "print").glob("*.pdf"))
    terminal.end_session("idle")
    terminal.printing.wait(job, 5)
    assert job.state == "canceled"
    assert not list((terminal.settings.data_dir / "print").glob("*"))
    assert terminal.session.is_empty()


def test_licences_one_at_a_time_and_a_marked_copy(terminal, platform_server):  # noqa: F811
    terminal.identify(demo_identity())
    flow = terminal.open_flow("licences")
    flow.load()
    first = flow.current
    assert first["title"] == "居民身份证电子证照" and demo_identity().number not in str(first)
    flow.turn(1)
    assert flow.current is not first
    flow.turn(-1)
    assert flow.print_copy()
    assert terminal.printing.wait(flow.state.job, 20).state == "done"


def test_a4_printer_offline_is_a_plain_sentence(terminal, platform_server):  # noqa: F811
    terminal.hub.get("printer").simulate("offline")
    terminal.identify(demo_identity())
    flow = terminal.open_flow("certificates")
    flow.load()
    flow.choose("housing_fund")
    flow.submit()
    job = terminal.printing.wait(flow.state.job, 10)
    assert job.state == "failed" and flow.print_status()[1].startswith("打印机暂时不能用")


def test_a4_printer_out_of_paper_says_so_and_tells_staff(terminal, platform_server):  # noqa: F811
    terminal.hub.get("printer").simulate("paper_out")
    terminal.identify(demo_identity())
    flow = terminal.open_flow("certificates")
    flow.load()
    flow.choose("housing_fund")
    flow.submit()
    job = terminal.printing.wait(flow.state.job, 10)
    assert job.state == "failed" and job.reason == "paper_out"
    assert flow.print_status()[1] == "打印机没有纸了，工作人员已经知道了。"
    assert wait_event(terminal, "print_failed")["reason"] == "paper_out"     # sent after the alert
    alerts = (terminal.settings.data_dir / "staff-alerts.log").read_text(encoding="utf-8")
    assert "printer_paper_out" in alerts


def test_no_platform_is_said_plainly(data_dir):
    from kiosk.settings import load_settings
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true",
                                                ("platform", "url"): "http://127.0.0.1:9",
                                                ("platform", "connect_timeout"): "1"})
    terminal = Terminal(settings, voice=Voice(enabled=False))
    terminal.start(services=False, devices=False)
    terminal.identify(demo_identity())
    flow = terminal.open_flow("certificates")
    flow.load()
    assert flow.state.loaded and not flow.state.documents
    assert flow.problem().startswith("现在连不上网")
    terminal.stop()


def test_paper_safe_takes_out_phones_and_id_numbers():
    from kiosk.printing import paper_safe
    text = paper_safe("短信发到 139****1234，电话 13905301234，证件 371702195803010021 / 371***********0021，张秀兰。",
                      ["张秀兰"])
    assert "1234" not in text and "0021" not in text and "张秀兰" not in text
    assert text.count("您留的手机") == 2
    assert paper_safe("着急的话请拨打 12345。") == "着急的话请拨打 12345。"
