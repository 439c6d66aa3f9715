"""Shown for a service whose flow is not built yet: says so plainly and offers a way on."""
from __future__ import annotations

from kivy.properties import StringProperty

from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class ComingSoonScreen(KioskScreen):
    """A service this terminal does not offer yet, said in plain words."""
    service = StringProperty("")
    picto = StringProperty("building")

    def prepare(self, title: str = "", picto: str = "building", **_kwargs) -> None:
        self.service = title or "这项服务"
        self.picto = picto or "building"

    @classmethod
    def tour_states(cls, app):
        # every tile's service is built: the page is shown for a name the terminal does not know
        return [("", {"title": "", "picto": "building"})]
