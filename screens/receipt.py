"""回执: the submission is safe — its number at once, the platform's 办件编号 and 查询码 once delivered."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.flows.tracking import receipt_qr_text
from kiosk.submit import KIND_NAMES, receipt_state
from screens.widgets.base import KioskScreen, load_kv
from screens.widgets import qr_image  # noqa: F401  (registers QRImage for the .kv)

load_kv(__file__)

STATUS_WORDS = {
    "sending": "正在发送给办理部门……",
    "offline": "现在网络不通。您的提交已经安全保存在这台机器里，网络恢复后会自动发送，不会丢失。",
    "delivered": "已送达办理部门。",
    "dead": "办理部门没有收下这份提交，工作人员会联系您处理。",
}


PAPER_WORDS = {"printing": "正在打印凭条……", "printed": "凭条已打印，请从出纸口取走。"}


class ReceiptScreen(KioskScreen):
    """The receipt: the local number at once, the 办件编号 once delivered, what happens next, a QR code."""
    local_id = StringProperty("")
    kind_name = StringProperty("")
    tracking_no = StringProperty("")
    check_code = StringProperty("")   # 查询码: another terminal shows this 办件编号 only with it
    status = StringProperty("")
    state = StringProperty("pending")
    note = StringProperty("")      # what happens next, from the flow (e.g. 差评 callback promise)
    qr_text = StringProperty("")
    paper = StringProperty("")     # how the printed receipt went, in plain words
    paper_failed = BooleanProperty(False)
    qr_cap = NumericProperty(10000)  # the QR code's side on screen at most (receipt.kv)

    # the QR code's side as a share of the screen's short side (normal, 长辈模式): larger in 长辈模式, and in
    # normal mode within the room 长辈模式's layout has for it, so that it is never smaller there
    QR_SHARE = (0.34, 0.40)

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=self._fit_mode)
        Window.bind(size=self._fit_mode)
        self._fit_mode()

    def _fit_mode(self, *_args) -> None:
        self.qr_cap = min(Window.size) * self.QR_SHARE[1 if self.app.elderly else 0]

    def prepare(self, local_id: str = "", kind: str = "", note: str = "", **_kwargs) -> None:
        self.local_id = local_id
        self.kind_name = KIND_NAMES.get(kind, "提交")
        self.note = note
        self.tracking_no = self.check_code = ""
        self.refresh()

    def on_enter(self, *args):
        self._poll = Clock.schedule_interval(lambda _dt: self.refresh(), 2.0)

    def on_leave(self, *args):
        if getattr(self, "_poll", None) is not None:
            self._poll.cancel()
            self._poll = None

    def on_print_event(self, event: str, data: dict) -> None:
        """The receipt printer finished (or could not print) this receipt."""
        if data.get("local_id") == self.local_id:
            self.refresh()

    def on_outbox_event(self, event: str, data: dict) -> None:
        """The outbox moved this receipt's submission on (sent, delivered, held) or the network came or went."""
        if data.get("local_id") in (None, self.local_id) or event == "connectivity":
            self.refresh()

    def refresh(self) -> None:
        if not self.local_id:
            return
        info = receipt_state(self.app.sync, self.local_id)
        self.state = info["state"]
        self.tracking_no = info.get("tracking_no") or ""
        self.check_code = (info.get("check_code") or "") if self.tracking_no else ""
        if self.state == "delivered":
            self.status = STATUS_WORDS["delivered"]
        elif self.state == "dead":
            self.status = STATUS_WORDS["dead"]
        elif info.get("online") is False or self.app.sync is None:
            self.status = STATUS_WORDS["offline"]
        else:
            self.status = STATUS_WORDS["sending"]
        paper = self.app.terminal.printing.receipt_status(self.local_id)
        self.paper_failed = paper["state"] == "failed"
        self.paper = PAPER_WORDS.get(paper["state"], "") or paper["message"]
        # the QR carries only the numbers, never personal data
        self.qr_text = receipt_qr_text(self.tracking_no or self.local_id, self.check_code)

    def clear_personal(self) -> None:
        self.local_id = self.tracking_no = self.check_code = self.qr_text = self.note = self.paper = ""

    @classmethod
    def tour_states(cls, app):
        # the note the 我要办 flow writes for the tour's own matter (the same words as its 确认 step)
        from kiosk.flows.application import receipt_note
        matter = app.library.pack.by_code.get("HZ-RS-001") if app is not None else None
        note = receipt_note(matter, "139****1234", []) if matter is not None else "办理进度会发短信告诉您。"
        demo = {"local_id": "HZ0001-20261127-0007", "kind": "application", "note": note}

        def printed(app):
            """The same receipt printed through the simulator twin (the real driver and a virtual
            printer); the slip is saved beside the photos as receipt-paper.png."""
            from screens.print_tour import print_demo_receipt
            print_demo_receipt(app, demo)
            app.go("receipt", **demo)
        return [("", demo), ("-printed", printed)]
