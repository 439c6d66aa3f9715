"""搜索办事指南: type with the on-screen pinyin keyboard; the results follow every key."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty

from screens.guides import matter_badge
from screens.widgets.base import KioskScreen, load_kv
from screens.widgets.guide_widgets import when_lexicon_ready
from screens.widgets.pinyin_keyboard import PinyinKeyboard  # noqa: F401 - registers the kv class

load_kv(__file__)


class GuideSearchScreen(KioskScreen):
    """Search the guides with the on-screen pinyin keyboard; results as big list items."""
    typed = BooleanProperty(False)     # whether anything is typed (the words stay in the keyboard, not here)
    found = NumericProperty(0)

    def on_kv_post(self, base_widget):
        kb = self.ids.keyboard
        kb.bind(text=self._typed, composing=self._typed)
        self.app.bind(elderly=lambda *_: self._search())
        when_lexicon_ready(kb.use_lexicon)

    def prepare(self, query: str = "", **_kwargs) -> None:
        self.library = self.app.library
        kb = self.ids.keyboard
        kb.clear()
        if query:
            for ch in query:   # letters go through the keyboard as if typed (tour, tests)
                kb.press(ch) if ch.isascii() and ch.isalpha() else setattr(kb, "text", kb.text + ch)
        self._search()

    def _typed(self, *_args) -> None:
        self.typed = bool(self.ids.keyboard.query)
        # search on the next frame: a burst of keys costs one search, and the key redraws first
        Clock.unschedule(self._search)
        Clock.schedule_once(self._search, 0)

    @property
    def limit(self) -> int:
        """How many results fit on the screen in this mode."""
        return 3 if self.app.elderly else 5

    def _search(self, *_args) -> None:
        if not hasattr(self, "library"):
            return
        box = self.ids.results
        box.clear_widgets()
        query = self.ids.keyboard.query
        hits = self.library.index.search(query, limit=self.limit) if query else []
        self.found = len(hits)
        pack = self.library.pack
        for hit in hits:
            matter = pack.by_code.get(hit.code)
            if matter is None:
                continue
            item = Factory.GuideItem(text=matter.name, hint=matter.hint, key=matter.code,
                                     badge=matter_badge(matter))
            item.bind(on_release=lambda w: self.app.go("guide_detail", code=w.key))
            box.add_widget(item)

    def clear_personal(self) -> None:
        # what someone searched for is nobody else's business
        self.ids.keyboard.clear()
        self.typed = False

    @classmethod
    def tour_states(cls, app):
        def typing_pinyin(app) -> None:
            """The candidate bar in use: the lexicon is built right here instead of in the background."""
            from kiosk.pinyin_ime import guide_words, shared_lexicon
            app.go("guide_search")
            kb = app.sm.current_screen.ids.keyboard
            kb.use_lexicon(shared_lexicon(guide_words(app.library.full_pack)))
            for letter in "shenfz":
                kb.press(letter)
        return [("", {}), ("-sfz", {"query": "sfz"}), ("-pinyin", typing_pinyin)]
