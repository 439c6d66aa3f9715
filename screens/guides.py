"""办事指南: browse the guides by life event (一件事), by department or A–Z, or go to search."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ListProperty, NumericProperty, StringProperty
from pypinyin import Style, lazy_pinyin

from screens.widgets.base import KioskScreen, load_kv
from screens.widgets.guide_widgets import when_lexicon_ready

load_kv(__file__)

TABS = (("themes", "一件事"), ("departments", "按部门"), ("az", "按拼音"))


def matter_badge(matter) -> str:
    """The short badge beside a matter: 可在本机办理 when it can be submitted at this terminal."""
    return "可在本机办理" if matter.submit_at_terminal else ""


def first_letter(name: str) -> str:
    """The pinyin initial a matter is listed under (A–Z browsing)."""
    return (lazy_pinyin(name[:1], style=Style.FIRST_LETTER) or ["#"])[0][:1].upper() or "#"


class GuidesScreen(KioskScreen):
    """Browse the guides: by 一件事, by department, or A–Z; search; paged lists."""
    tab = StringProperty("themes")
    department = StringProperty("")      # a department chosen in the 按部门 tab
    page = NumericProperty(0)
    pages = NumericProperty(1)
    heading = StringProperty("")
    tabs = ListProperty(TABS)

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show_page(0))

    def prepare(self, tab: str = "themes", department: str = "", **_kwargs) -> None:
        self.library = self.app.library
        when_lexicon_ready(lambda _lex: None)   # start building the pinyin lexicon before 搜索 is tapped
        self.tab, self.department = tab, department
        self.show_page(0)

    def choose_tab(self, tab: str) -> None:
        """Switch between 一件事, departments and A–Z."""
        self.tab, self.department = tab, ""
        self.show_page(0)

    @property
    def per_page(self) -> int:
        """List items per page in this mode (长辈模式 in landscape: two, as three ran up under the top bar)."""
        return (3 if self.app.portrait else 2) if self.app.elderly else 8

    def _items(self) -> list[dict]:
        pack = self.library.pack
        if self.tab == "themes":
            self.heading = "一件事：几件相关的事一次办完"
            return [dict(text=t.name, hint=t.summary, key=t.id, kind="theme") for t in pack.themes]
        if self.tab == "departments" and not self.department:
            self.heading = "选一个部门"
            counts = {}
            for m in pack.matters:
                counts[m.department] = counts.get(m.department, 0) + 1
            return [dict(text=d.name, hint=f"{counts[d.id]} 项", key=d.id, kind="department")
                    for d in pack.departments.values() if d.id in counts]
        if self.tab == "departments":
            dep = pack.departments.get(self.department)
            self.heading = dep.name if dep else ""
            matters = sorted((m for m in pack.matters if m.department == self.department),
                             key=lambda m: -m.popularity)
            return [dict(text=m.name, hint=m.hint, key=m.code, badge=matter_badge(m)) for m in matters]
        self.heading = "按名称拼音排序"
        matters = sorted(pack.matters, key=lambda m: "".join(lazy_pinyin(m.name)))
        return [dict(text=f"{first_letter(m.name)}  {m.name}", hint=m.hint, key=m.code, badge=matter_badge(m))
                for m in matters]

    def show_page(self, page: int) -> None:
        """Show list page `page` of the current tab."""
        if not hasattr(self, "library"):
            return
        items = self._items()
        per = self.per_page
        self.pages = max(1, -(-len(items) // per))
        self.page = max(0, min(page, self.pages - 1))
        box = self.ids.item_list
        box.clear_widgets()
        for item in items[self.page * per:(self.page + 1) * per]:
            widget = Factory.GuideItem(**item)
            widget.bind(on_release=self._open)
            box.add_widget(widget)

    def _open(self, item) -> None:
        if item.kind == "department":
            self.department = item.key
            self.show_page(0)
        elif item.kind == "theme":
            self.app.go("guide_detail", theme=item.key)
        else:
            self.app.go("guide_detail", code=item.key)

    @classmethod
    def tour_states(cls, app):
        return [("", {}), ("-departments", {"tab": "departments"}), ("-az", {"tab": "az"})]
