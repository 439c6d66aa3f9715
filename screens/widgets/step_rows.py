"""Rows of a step (the materials to bring, the lines of a form) in pages that fit the room the step
leaves, never below a scroll: a person who has never used a touchscreen does not know to swipe, but
reads "第1页，共2页" and presses 下一页. The page bar sits above the rows, never right above 上一步 / 下一步.

Each row is measured at the body's width (its words wrap and its height follows them), so a page holds as
many rows as fit, in both modes and both orientations; a row taller than the room gets a page of its own.
"""
from __future__ import annotations

from kivy.factory import Factory
from kiosk import wording as W
from screens.widgets.paged_list import measure, split_pages


class StepRows:
    """Mixed into StepScreen: `add_rows(body, rows)` shows `rows` a page at a time."""

    _paged = None            # (holder, box, rows) of the step shown
    _row_pages = None        # the indexes of the rows on each page, once measured
    _row_pages_for = None    # (step, number of rows) the pages were measured for
    _rows_page = 0

    def add_rows(self, body, rows: list):
        """`rows` (widgets whose height follows their words) in pages that fit what the step leaves in view."""
        app = self.app
        holder = Factory.BoxLayout(size_hint_y=None, spacing=app.pad)
        box = Factory.BoxLayout(orientation="vertical", size_hint_y=None, spacing=app.pad * 0.4,
                                pos_hint={"top": 1})      # (beside a taller column: at its top)
        box.bind(minimum_height=box.setter("height"), height=self._size_holder)
        self._paged = (holder, box, list(rows))
        if self._row_pages_for != (self.step_key, len(rows)):      # measured for another list: from the start
            self._row_pages, self._rows_page = None, 0
        body.add_widget(holder)
        self._show_rows()
        return holder

    def forget_rows(self) -> None:
        """A new step (or a wipe): its rows start on their first page, measured afresh."""
        self._paged, self._row_pages, self._row_pages_for, self._rows_page = None, None, None, 0

    def _pager_width(self) -> float:
        """Landscape has width to spare and little height: 上一页 / 下一页 stand in a column beside the rows."""
        return 0.0 if self.app.portrait else self.app.target_h * 2.4

    def _show_rows(self) -> None:
        holder, box, rows = self._paged
        pages = self._row_pages or [list(range(len(rows)))]
        page = max(0, min(self._rows_page, len(pages) - 1))
        if self._row_pages is not None:       # (a page asked for before the rows were measured waits for them)
            self._rows_page = page
        holder.clear_widgets()
        box.clear_widgets()
        for i in pages[page]:
            box.add_widget(rows[i])
        if len(pages) > 1 and self._pager_width():
            holder.orientation = "horizontal"
            holder.add_widget(box)
            holder.add_widget(self._pager_column(page, len(pages)))
        else:
            holder.orientation = "vertical"
            if len(pages) > 1:       # above the rows, never right above 上一步 / 下一步
                holder.add_widget(self._page_bar(page, len(pages), self.turn_rows))
            holder.add_widget(box)
        self._size_holder()

    def _size_holder(self, *_args) -> None:
        holder = self._paged[0] if self._paged else None
        if holder is None:
            return
        if holder.orientation == "horizontal":     # the column stands beside the rows, its buttons at the top
            holder.height = max(c.minimum_height if c.size_hint_y else c.height for c in holder.children)
            return
        heights = [c.height for c in holder.children]
        holder.height = sum(heights) + holder.spacing * (len(heights) - 1) if heights else 0

    def _pager_column(self, page: int, pages: int):
        """第 n 页，共 m 页 with 上一页 and 下一页 under it, at the top of a column right of the rows (far from
        上一步 / 下一步 at the foot of the screen); a button with nowhere to go is shown as nothing (as on home)."""
        app = self.app
        column = Factory.BoxLayout(orientation="vertical", size_hint_x=None, width=self._pager_width(),
                                   spacing=app.pad * 0.6)
        words = Factory.Label(text=f"第{page + 1}页，共{pages}页", color=app.col_fg, font_size=app.fs_button,
                              halign="center", size_hint_y=None)
        words.bind(width=lambda w, width: setattr(w, "text_size", (width, None)),
                   texture_size=lambda w, size: setattr(w, "height", size[1]))
        column.add_widget(words)
        for text, target, enabled in ((W.PAGE_PREV, page - 1, page > 0), (W.PAGE_NEXT, page + 1, page < pages - 1)):
            button = Factory.BigButton(text=text, primary=False, disabled=not enabled, opacity=1 if enabled else 0)
            button.bind(on_release=lambda _b, t=target: self.turn_rows(t))
            column.add_widget(button)
        column.add_widget(Factory.Widget())       # the room below the buttons
        column.bind(minimum_height=self._size_holder)
        return column

    def turn_rows(self, page: int) -> None:
        """Show page `page` of the step's rows."""
        if self._paged is not None:
            self._rows_page = page
            self._show_rows()

    def _fit_rows(self) -> None:
        """Measure the rows and page them into the room the rest of the step leaves in view."""
        paged, body = self._paged, self.ids.body.__self__      # (ids hold weak proxies)
        if paged is None or paged[0].parent is not body or body.width <= 1 or self.ids.scroll.height <= 1:
            return
        holder, box, rows = paged
        others = [c for c in body.children if c is not holder]
        used = sum(c.height for c in others) + body.spacing * len(others) + body.padding[1] + body.padding[3]
        room = self.ids.scroll.height - used - 1
        width = body.width - body.padding[0] - body.padding[2]
        heights = [measure(row, width) for row in rows]
        pages = split_pages(heights, room, box.spacing)
        if len(pages) > 1 and self._pager_width():
            heights = [measure(row, width - self._pager_width() - holder.spacing) for row in rows]
            pages = split_pages(heights, room, box.spacing)
        elif len(pages) > 1:
            pages = split_pages(heights, room - self.app.target_h - holder.spacing, box.spacing)
        pages = pages or [[]]
        if pages == self._row_pages:
            return
        old = self._row_pages
        if old is not None:                   # the first row shown stays in view
            first = (old[min(self._rows_page, len(old) - 1)] or [0])[0]
            self._rows_page = next((n for n, page in enumerate(pages) if first in page), 0)
        self._row_pages, self._row_pages_for = pages, (self.step_key, len(rows))
        self._show_rows()
