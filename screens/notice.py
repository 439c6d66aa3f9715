"""A plain message with one way on: failures the citizen must know about, and confirmations."""
from __future__ import annotations

from kivy.properties import StringProperty

from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class NoticeScreen(KioskScreen):
    """One plain message (a picture, a title, what to do) with a way back."""
    heading = StringProperty("")
    message = StringProperty("")
    picto = StringProperty("warn")

    def prepare(self, title: str = "", message: str = "", picto: str = "warn", **_kwargs) -> None:
        self.heading = title
        self.message = message
        self.picto = picto

    def clear_personal(self) -> None:
        self.heading = self.message = ""

    @classmethod
    def tour_states(cls, app):
        return [("", {"title": "没能提交", "picto": "warn",
                      "message": "终端存储空间已满，本次提交未能保存，请联系工作人员。"})]
