"""经典案例 as a picture story: the guide's worked case (matters/*.yaml `case.panels`), one picture and one
plain sentence per panel, numbered; three panels side by side, one at a time and larger in 长辈模式."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty

from screens.widgets.base import KioskScreen, Panel, load_kv


class StoryPanel(Panel):
    """One picture of the story, its number and its one sentence."""
    number = StringProperty("")
    picture = StringProperty("")
    text = StringProperty("")


Factory.register("StoryPanel", cls=StoryPanel)
load_kv(__file__)


class CaseStoryScreen(KioskScreen):
    """The panels of one case story, a page at a time."""
    story_title = StringProperty("")
    page = NumericProperty(0)
    pages = NumericProperty(1)

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show_page(0))

    @property
    def per_page(self) -> int:
        """Panels per page in this mode."""
        return 1 if self.app.elderly else 3

    def prepare(self, code: str = "", **_kwargs) -> None:
        pack = self.app.library.pack
        matter = pack.by_code.get(code)
        case = matter.case if matter is not None else None
        self.panels = [(str(pack.asset(p.picture)), p.text) for p in case.panels] if case else []
        self.title = "办事故事"
        self.story_title = case.title if case else "这件事还没有办事故事。"
        self.show_page(0)

    def show_page(self, page: int) -> None:
        """Panels of page `page`."""
        if not hasattr(self, "panels"):
            return
        per = self.per_page
        self.pages = max(1, -(-len(self.panels) // per))
        self.page = max(0, min(page, self.pages - 1))
        box = self.ids.panels
        box.clear_widgets()
        for n, (picture, text) in enumerate(self.panels[self.page * per:(self.page + 1) * per],
                                            start=self.page * per + 1):
            box.add_widget(Factory.StoryPanel(number=str(n), picture=picture, text=text))

    @classmethod
    def tour_states(cls, app):
        return [("", {"code": "HZ-MZ-001"})]
