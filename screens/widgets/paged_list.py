"""A list in pages that fit its box, never a hidden scroll (长辈模式's rule, and the staff screens'): the rows
are measured at the list's width (they grow with the font and wrap) and as many as fit go on a page; 上一页 /
下一页 and 第 n 页，共 m 页 show below when there is more than one page."""
from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import NumericProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.layout import Layout

from screens.widgets.base import load_kv

load_kv(__file__)


def measure(row, width: float) -> float:
    """The height `row` takes at `width`, now (laid out top-down for the widths, then bottom-up for the
    heights of the words), whether it is on the screen or not."""
    row.width = width
    for _ in range(2):
        order = list(row.walk(restrict=True))
        for w in order:
            if isinstance(w, Layout):
                w.do_layout()
        for w in order:
            if isinstance(w, Label):
                w.texture_update()
        for w in reversed(order):
            if isinstance(w, Layout):
                w.do_layout()
    return row.height


def split_pages(heights: list[float], room: float, spacing: float) -> list[list[int]]:
    """Indexes of `heights` in pages of at most `room` (rows `spacing` apart); a row taller than the room
    gets a page of its own."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for i, h in enumerate(heights):
        need = h if not pages[-1] else used + spacing + h
        if pages[-1] and need > room:
            pages.append([])
            need = h
        pages[-1].append(i)
        used = need
    return pages if pages[0] else []


class PagedList(BoxLayout):
    """Rows (widgets with a fixed height that follows their words) in pages that fit this box."""
    page = NumericProperty(0)
    pages = NumericProperty(1)

    def __init__(self, **kwargs):
        self._rows: list = []
        self._pages: list[list[int]] = []
        self._trigger = Clock.create_trigger(self._paginate, -1)
        super().__init__(**kwargs)
        self.fbind("size", self._trigger)
        app = App.get_running_app()
        if app is not None:
            app.fbind("elderly", self._trigger)
            app.fbind("portrait", self._trigger)

    def on_kv_post(self, base_widget):
        self._filler = self.ids.filler.__self__      # keeps the rows at the top of the page (a strong ref)

    def set_rows(self, rows: list) -> None:
        """Show `rows` from the first page on."""
        self._rows = list(rows)
        self.page = 0
        self._paginate()

    def show_page(self, page: int) -> None:
        """Page `page` (counted from 0), kept within the pages there are (asked before the list has its size,
        it is shown once the pages are known)."""
        self.page = max(0, min(page, len(self._pages) - 1)) if self._pages else max(0, page)
        box = self.ids.rows
        box.clear_widgets()
        for i in (self._pages[self.page] if self._pages else []):
            box.add_widget(self._rows[i])
        box.add_widget(self._filler)

    def _paginate(self, *_args) -> None:
        if self.width <= 1 or self.height <= 1:
            return
        box = self.ids.rows
        width = self.width - self.padding[0] - self.padding[2]
        heights = [measure(row, width) for row in self._rows]
        room = self.height - self.padding[1] - self.padding[3] - box.spacing   # the filler's gap too
        pages = split_pages(heights, room, box.spacing)
        if len(pages) > 1:
            pages = split_pages(heights, room - self.pager_height() - self.spacing, box.spacing)
        self._pages = pages
        self.pages = max(1, len(pages))
        self.show_page(self.page)

    def pager_height(self) -> float:
        """Height of the 上一页 / 下一页 row."""
        app = App.get_running_app()
        return app.target_h if app is not None else 88

