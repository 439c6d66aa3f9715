"""On-screen keyboard with pinyin input and a candidate bar (Kivy has no Chinese input method).

The engine is kiosk/pinyin_ime.py; this widget only draws keys and candidates and keeps `text`
(what has been committed) and `composing` (letters not yet turned into hanzi). A screen binds to
both and searches on every key.
"""
from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.pinyin_ime import Lexicon, PinyinIME
from screens.widgets.base import load_kv

load_kv(__file__)

ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


class KeyButton(ButtonBehavior, Label):
    """One key or candidate: big, plain, with its own background for the contrast audit."""
    bg_color = ColorProperty((1, 1, 1, 1))
    value = StringProperty("")


class PinyinKeyboard(BoxLayout):
    """The on-screen pinyin keyboard: letters, a candidate bar of hanzi, paging of candidates."""
    text = StringProperty("")          # committed hanzi (and letters committed with 确定)
    composing = StringProperty("")     # typed letters waiting for a candidate
    candidates = ListProperty([])      # texts on the current candidate page
    page = NumericProperty(0)
    pages = NumericProperty(1)
    ready = BooleanProperty(False)     # the lexicon is built: candidates appear

    def __init__(self, **kwargs):
        self.ime = PinyinIME(Lexicon())   # empty until the real lexicon arrives
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        app = App.get_running_app()
        app.bind(elderly=lambda *_: self._refresh())
        self._build_keys()
        self._refresh()

    def use_lexicon(self, lexicon: Lexicon) -> None:
        """Start suggesting from `lexicon` (built in the background by the core)."""
        self.ime.lexicon = lexicon
        self.ime._changed()
        self.ready = True
        self._refresh()

    # -- keys -----------------------------------------------------------------------------
    def _build_keys(self) -> None:
        for row_id, letters in zip(("row1", "row2", "row3"), ROWS):
            row = self.ids[row_id]
            row.clear_widgets()
            for ch in letters:
                key = KeyButton(text=ch.upper(), value=ch)
                key.bind(on_release=lambda k: self.press(k.value))
                row.add_widget(key)

    def press(self, letter: str) -> None:
        """One letter key."""
        self.ime.type(letter)
        self._refresh()

    def backspace(self) -> None:
        """Delete the last letter, or the last character when no letters are pending."""
        if not self.ime.backspace():
            self.text = self.text[:-1]
        self._refresh()

    def clear(self) -> None:
        """Forget everything typed."""
        self.ime.clear()
        self.text = ""
        self._refresh()

    def choose(self, index: int) -> None:
        """A candidate was tapped: it replaces the letters it stands for."""
        if 0 <= index < len(self.ime.candidates):
            self.text += self.ime.choose(index)
            self._refresh()

    def commit_letters(self) -> None:
        """Keep letters that no candidate replaced as they are."""
        self.text += self.ime.commit_letters()
        self._refresh()

    def next_page(self) -> None:
        """The next page of candidates."""
        if self.ime.next_page():
            self._refresh()

    def prev_page(self) -> None:
        """The previous page of candidates."""
        if self.ime.prev_page():
            self._refresh()

    def _refresh(self) -> None:
        app = App.get_running_app()
        self.ime.page_size = 4 if (app is not None and app.elderly) else 6   # fewer, bigger candidates for elders
        self.composing = self.ime.composing
        self.candidates = [c.text for c in self.ime.candidates]
        self.page, self.pages = self.ime.page, self.ime.pages
        bar = self.ids.candidates
        bar.clear_widgets()
        for i, text in enumerate(self.candidates):
            # width by length, so that 身份证 gets more room than 身
            key = KeyButton(text=text, value=str(i), size_hint_x=len(text) + 1)
            key.bind(on_release=lambda k: self.choose(int(k.value)))
            bar.add_widget(key)

    @property
    def query(self) -> str:
        """What to search for: committed hanzi plus letters still being typed."""
        return self.text + self.composing


def keyboard_with_lexicon() -> PinyinKeyboard:
    """A new PinyinKeyboard that takes the terminal's pinyin lexicon as soon as the core has built it
    (letters typed before then stay as letters)."""
    from screens.widgets.guide_widgets import when_lexicon_ready
    kb = PinyinKeyboard()
    when_lexicon_ready(kb.use_lexicon)
    return kb
