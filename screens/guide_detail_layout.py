"""How 办事指南's detail screen (screens/guide_detail.py) is put together, and its facts cut into pages.

The facts get most of the screen, in 长辈模式 too: in landscape a matter's step picture stands beside them, a
theme's matters and its form beside its words; in portrait the step picture stands beside its own words, and
a theme's form beside the facts. The buttons sit side by side in one row across the foot (a second row only
when their words do not fit). The step picture and the form are `PICTURE_SHARE` / `FORM_SHARE` of the
screen's short side in normal mode and at least that in 长辈模式, so that they are never smaller there.
"""
from __future__ import annotations

import re

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.uix.label import Label

# between two parts of the facts: an empty line a third as tall as one of words (the newlines in the small size:
# a line is as tall as the words it starts with)
SECTION_GAP = "[size=12sp]\n\n[/size]"
# the step pictures are drawn 4:3 (480x360); a form's sample is as tall as it is wide over this
STEP_RATIO = 4 / 3
FORM_RATIO = 0.76


def drawn_lines(label) -> list[str]:
    """The lines of a laid-out markup `label` as Kivy (and screens/widgets/cjk_wrap.py) broke them, each as
    markup of its own (bold kept), so that any run of them shows the same lines again."""
    lines = []
    for line in label._label._cached_lines or []:
        parts = []
        for word in line.words:
            text = word.text.replace("&", "&amp;").replace("[", "&bl;").replace("]", "&br;")
            if word.options.get("bold") and not label.bold and text:
                text = f"[b]{text}[/b]"
            if abs(word.options.get("font_size", label.font_size) - label.font_size) > 0.5:
                text = f"[size={round(word.options['font_size'])}]{text}[/size]"
            parts.append(text)
        lines.append("".join(parts).replace("[/b][b]", ""))
    return lines


def _blank(line: str) -> bool:
    """A line without words: between the facts a section's gap."""
    return not re.sub(r"\[[^\]]*\]", "", line).strip()


def _plain(markup: str) -> str:
    text = re.sub(r"\[[^\]]*\]", "", markup)
    return text.replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")


def paragraph_starts(whole: str, lines: list[str]) -> set[int]:
    """The drawn lines (`drawn_lines` of markup `whole`) that begin a paragraph (or are a section's gap)."""
    starts, i = set(), 0
    for paragraph in _plain(whole).split("\n"):
        starts.add(i)
        target, got = len(paragraph.replace(" ", "")), 0
        while i < len(lines):
            got += len(_plain(lines[i]).replace(" ", ""))
            i += 1
            if got >= target:
                break
    return starts


def page_text(lines: list[str]) -> str:
    """Drawn lines (`drawn_lines`) as one markup text again, an empty one as a section's gap."""
    out, gap = "", False
    for line in lines:
        if _blank(line):
            gap = bool(out)
        elif not out:
            out = line
        else:
            out += (SECTION_GAP if gap else "\n") + line
            gap = False
    return out


def _heading(line: str) -> bool:
    """A line that is only a bold heading ("谁能办：", "办事故事：…")."""
    return line.startswith("[b]") and line.endswith("[/b]") and line.count("[b]") == 1


class GuideDetailLayout:
    """Mixed into GuideDetailScreen: `_arrange` puts the parts together, `set_facts` / `show_facts` page the
    facts so that every page fits the panel."""

    PICTURE_SHARE = 0.34
    FORM_SHARE = 0.45

    def on_kv_post(self, base_widget):
        self._lines: list[str] = []
        self._pages: list[tuple[int, int]] = [(0, 0)]
        self._fit = Clock.create_trigger(lambda _dt: self._paginate(), 0)
        # strong references: a part that is not in the tree now (ids hold weak ones) must stay alive
        self._parts = {k: self.ids[k].__self__ for k in (
            "guide_col", "facts_col", "summary_panel", "step_box", "step_nav",
            "theme_matters", "facts_panel", "form_box")}
        self.ids.scroll.bind(size=lambda *_: self._fit())
        self.ids.facts_label.bind(width=lambda *_: self._fit())
        self.app.bind(elderly=self._arrange, portrait=self._arrange)
        self.bind(is_theme=self._arrange)
        self.ids.step_nav.bind(natural_width=self._arrange)    # the words of 上一步 / 朗读 / 下一步 drawn
        self._parts["form_box"].bind(height=self._form_width)
        Window.bind(size=self._arrange)
        self._arrange()

    # -- the parts, put together -------------------------------------------------------------------
    def _arrange(self, *_args) -> None:
        """Put the parts together for what is shown (a matter or a theme), the orientation and the mode."""
        elderly, portrait = self.app.elderly, self.app.portrait
        self.summary_in_facts = elderly and not self.is_theme
        self.side_pager = not portrait and not self.is_theme
        p = self._parts
        body = self.ids.body
        for box in (body, p["guide_col"], p["facts_col"]):
            box.clear_widgets()
        if self.is_theme:
            self._arrange_theme(min(Window.size) * self.FORM_SHARE, elderly, portrait)
        else:
            self._arrange_matter(min(Window.size) * self.PICTURE_SHARE, elderly, portrait)
        self._build_actions()
        if getattr(self, "_facts_text", None) is not None:
            self.set_facts(self._facts_text)
        if self.is_theme and getattr(self, "theme", None) is not None:
            self._theme_list()

    @staticmethod
    def _place_picture(image, side: float, elderly: bool) -> None:
        """In a column: `side` high in normal mode; in 长辈模式 at least that, more where the column has room."""
        image.size_hint_y = 1
        image.size_hint_min_y = side if elderly else None
        image.size_hint_max_y = None if elderly else side

    def _arrange_matter(self, side: float, elderly: bool, portrait: bool) -> None:
        p = self._parts
        guide, image, words, box, nav = p["guide_col"], self.ids.step_image, self.ids.step_words, \
            p["step_box"], p["step_nav"]
        if not self.summary_in_facts:
            guide.add_widget(p["summary_panel"])
        guide.add_widget(box)
        guide.add_widget(nav)
        p["facts_col"].add_widget(p["facts_panel"])
        p["facts_panel"].size_hint_y = 1
        self.ids.body.add_widget(guide)
        self.ids.body.add_widget(p["facts_col"])
        p["facts_col"].size_hint = (1, 1)
        if portrait:              # the picture beside its words, as tall as the picture
            box.orientation = "horizontal"
            box.size_hint_y, box.height = None, side
            image.size_hint = (None, 1)
            image.size_hint_min_y = image.size_hint_max_y = None
            image.width = side * STEP_RATIO
            words.pos_hint = {"center_y": 0.5}
            guide.size_hint = (1, None)
        else:                     # a column: the picture, its words, 上一步 / 朗读 / 下一步
            box.orientation = "vertical"
            box.size_hint_y = 1
            image.size_hint_x = 1
            self._place_picture(image, side, elderly)
            words.pos_hint = {}
            guide.size_hint = (None, 1)
            guide.width = max(side * STEP_RATIO, nav.natural_width) + 1

    def _arrange_theme(self, side: float, elderly: bool, portrait: bool) -> None:
        """Landscape: 一件事 and what to bring | the matters | the form. Portrait: 一件事, the matters, then what
        to bring beside the form."""
        p = self._parts
        guide, facts, body = p["guide_col"], p["facts_col"], self.ids.body
        p["facts_panel"].size_hint_y = None
        form = self.ids.form_image                 # (in an AnchorLayout, at the top)
        form.size_hint_y, form.height = (1 if elderly else None), side
        p["form_box"].size_hint = (None, 1)
        guide.add_widget(p["summary_panel"])
        if portrait:
            guide.add_widget(p["theme_matters"])
            p["theme_matters"].size_hint_y = None
            guide.size_hint = (1, None)
            facts.orientation = "horizontal"
            facts.size_hint = (1, 1)
            facts.add_widget(p["facts_panel"])
            p["facts_panel"].pos_hint = {"top": 1}
            facts.add_widget(p["form_box"])
            body.add_widget(guide)
            body.add_widget(facts)
        else:
            guide.add_widget(p["facts_panel"])
            p["facts_panel"].pos_hint = {}
            guide.add_widget(Factory.Widget())      # (what is above stays at the top)
            guide.size_hint = (1, 1)
            p["theme_matters"].size_hint_y = 1
            body.add_widget(guide)
            body.add_widget(p["theme_matters"])
            body.add_widget(p["form_box"])
        self._form_width()

    def _form_width(self, *_args) -> None:
        """The form's column is as wide as the form drawn at its height (normal mode: at most `FORM_SHARE`)."""
        box = self._parts["form_box"]
        high = box.height if self.app.elderly else min(box.height, min(Window.size) * self.FORM_SHARE)
        box.width = high * FORM_RATIO

    def _build_actions(self) -> None:
        """The buttons at the foot: what this matter (or theme) offers, side by side."""
        row = self.ids.actions
        row.clear_widgets()
        matter = getattr(self, "matter", None) if not self.is_theme else None
        wanted = [(f"要带的材料（{self.materials_count} 项）", "guide", True, self.open_materials),
                  ("在哪里办", "", False, self.where)]
        if matter is not None:
            if self.has_video:
                wanted.append(("看视频讲解", "", False, lambda: self.app.go("video", code=matter.code)))
            if self.has_story:
                wanted.append(("看办事故事", "", False, lambda: self.app.go("case_story", code=matter.code)))
            if self.has_agencies:
                wanted.append(("找中介", "", False, lambda: self.app.go("agencies", code=matter.code)))
        wanted.append(("扫码带走", "qrphone", False, self.share))
        if self.can_apply:
            wanted.append(("照此办理", "apply", True, self.apply))
        for text, picto, primary, action in wanted:
            button = Factory.BigButton(text=text, picto=picto, primary=primary)
            button.bind(on_release=lambda _b, act=action: act())
            row.add_widget(button)

    # -- the facts, in pages that fit ----------------------------------------------------------------
    def set_facts(self, text: str) -> None:
        """The facts as lines; they are cut into pages once the screen knows how much room it has."""
        self._facts_text = text
        if self.summary_in_facts and self.summary:
            text = f"[b]{self.summary}[/b]\n{text}"     # (a bold prefix would sit on a line of its own)
        self._whole = text
        self._lines = [text]                      # the lines as drawn, once paged
        self._pages = [(0, len(self._lines))]
        self.fact_page, self.fact_pages = 0, 1
        self.facts = text
        self._fit()

    def _paginate(self) -> None:
        """Cut the facts into pages of the lines as they are drawn, each as tall as the panel allows; a page does
        not begin with an empty line nor end with a heading, and does not end with three lines or fewer of a
        paragraph that goes on (the paragraph goes over whole)."""
        label, view = self.ids.facts_label, self.ids.scroll
        if self.is_theme:            # a few lines, as tall as they are (the form gets the rest)
            self._pages, self.fact_pages = [(0, len(self._lines))], 1
            self.show_facts(0)
            return
        room = view.height - 2
        if not self._lines or label.width < 50 or room < 50:
            return

        # measured on a twin of the label outside the tree: changing the shown label's text for each try would
        # change its height, and with it the panel and the scroll, every frame
        twin = Label(text_size=(label.width, None), markup=label.markup, font_name=label.font_name,
                     font_size=label.font_size, line_height=label.line_height, bold=label.bold,
                     halign=label.halign, padding=label.padding)
        twin.text = self._whole
        twin.texture_update()
        lines = self._lines = drawn_lines(twin)
        starts = paragraph_starts(self._whole, lines)

        def height(shown: list[str]) -> float:    # laid out as the label will show it
            twin.text = page_text(shown)
            twin.texture_update()
            return twin.texture_size[1]
        pages, start = [], 0
        while start < len(lines):
            while start < len(lines) - 1 and _blank(lines[start]):
                start += 1                 # a page does not begin with an empty line
            end = start + 1
            while end < len(lines) and height(lines[start:end + 1]) <= room:
                end += 1
            if end < len(lines) and end not in starts:     # a short paragraph is not cut in two
                first = max(k for k in starts if k < end)
                if first > start and end - first <= 3:
                    end = first
            if end < len(lines) and end - start > 2 and _heading(lines[end - 1]):
                end -= 1                   # a heading goes over with what it heads
            pages.append((start, end))
            start = end
        self._pages = pages or [(0, len(lines))]
        self.fact_pages = len(self._pages)
        self.show_facts(min(self.fact_page, self.fact_pages - 1))

    def show_facts(self, page: int) -> None:
        """Show page `page` of the facts."""
        self.fact_page = max(0, min(page, len(self._pages) - 1))
        start, end = self._pages[self.fact_page]
        self.facts = page_text(self._lines[start:end])
