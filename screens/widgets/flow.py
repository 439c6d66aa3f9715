"""A step-by-step flow screen: "第 2 步，共 4 步" on top, one question per page, 上一步 / 下一步 below.

Subclasses list their steps as (title, builder) pairs; a builder fills `self.body` for that step and
returns nothing. `can_next` says whether 下一步 is allowed yet (e.g. a phone number is complete);
the last step's button reads `finish_text` and calls `finish()`.
"""
from __future__ import annotations

from typing import Callable

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class FlowScreen(KioskScreen):
    step = NumericProperty(0)
    steps_total = NumericProperty(1)
    step_title = StringProperty("")
    can_next = BooleanProperty(True)
    finish_text = StringProperty("提交")
    hint = StringProperty("")          # one line under the step title: what to do on this page

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    # -- navigation -------------------------------------------------------------------------
    def show_step(self, index: int) -> None:
        steps = self.steps()
        self.steps_total = len(steps)
        self.step = max(0, min(index, len(steps) - 1))
        title, build = steps[self.step]
        if self.step_title != title:
            self._choice_page = 0
        self.step_title = title
        self.hint = ""
        self.can_next = True
        self.ids.body.clear_widgets()
        build()
        if self.app.elderly:
            # 长辈模式 reads each step aloud: the question, and what to do
            self.app.say(f"第{self.step + 1}步，{title}。{self.hint}")

    def next_step(self) -> None:
        if not self.can_next:
            return
        if self.step >= self.steps_total - 1:
            self.finish()
        else:
            self.show_step(self.step + 1)

    def previous_step(self) -> None:
        if self.step == 0:
            self.app.back()
        else:
            self.show_step(self.step - 1)

    # -- building blocks for steps ----------------------------------------------------------------
    def add_text(self, text: str, big: bool = False, muted: bool = False):
        label = Factory.KLabel(text=text)
        if big:
            label.font_size = self.app.fs_button
            label.bold = True
        if muted:
            label.color = self.app.col_muted
        self.ids.body.add_widget(label)
        return label

    def add_choices(self, choices: list[tuple[str, str]], chosen: str | None, on_choose: Callable[[str], None],
                    cols: int | None = None):
        """Big buttons, the chosen one filled; words on every button, never colour alone ("已选：").

        Long lists are paged, not scrolled: a person who has never used a touchscreen does not know to
        swipe, but reads "下一页"."""
        app = self.app
        cols = cols or (1 if app.portrait else 2)
        # rows that fit between the step title and the bottom bar, with room for the page bar
        rows = (8 if app.elderly else 10) if app.portrait else (3 if app.elderly else 5)
        per_page = rows * cols
        pages = max(1, -(-len(choices) // per_page))
        if chosen is not None and chosen in dict(choices):
            self._choice_page = [k for k, _ in choices].index(chosen) // per_page
        page = min(getattr(self, "_choice_page", 0), pages - 1)
        grid = Factory.GridLayout(cols=cols, spacing=app.pad * 0.6, size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for key, words in choices[page * per_page:(page + 1) * per_page]:
            button = Factory.BigButton(text=("已选：" + words) if key == chosen else words, primary=key == chosen)
            button.choice = key
            button.bind(on_release=lambda b: on_choose(b.choice))
            grid.add_widget(button)
        self.ids.body.add_widget(grid)
        if pages > 1:
            bar = Factory.BoxLayout(size_hint_y=None, height=app.target_h, spacing=app.pad)
            for words, target, enabled in (("上一页", page - 1, page > 0), (None, None, False),
                                           ("下一页", page + 1, page < pages - 1)):
                if words is None:
                    bar.add_widget(Factory.Label(text=f"第 {page + 1} 页，共 {pages} 页", color=app.col_fg,
                                                 font_size=app.fs_button))
                    continue
                button = Factory.BigButton(text=words, primary=False, disabled=not enabled,
                                           opacity=1 if enabled else 0.35)
                button.bind(on_release=lambda _b, t=target: self._turn_choice_page(t))
                bar.add_widget(button)
            self.ids.body.add_widget(bar)
        return grid

    def _turn_choice_page(self, page: int) -> None:
        self._choice_page = page
        self.show_step(self.step)

    def add_keypad(self, value: str, on_change: Callable[[str], None], kind: str = "phone", max_len: int = 11):
        from screens.widgets.keypad import Keypad
        pad = Keypad(kind=kind, max_len=max_len)
        pad.value = value
        pad.bind(value=lambda _w, v: on_change(v))
        self.ids.body.add_widget(pad)
        return pad

    def pick(self, attr: str, value: str) -> None:
        """A choice button was pressed: remember it and redraw the step (the chosen one shows filled)."""
        setattr(self, attr, value)
        self.show_step(self.step)

    def phone_step(self, hint: str, attr: str = "phone") -> None:
        """A step asking for a mobile number on the keypad; 下一步 only once it is a real number."""
        from kiosk.flows.common import valid_mobile
        self.hint = hint

        def changed(value: str) -> None:
            setattr(self, attr, value)
            self.can_next = valid_mobile(value)
            if self.can_next:
                self.session.remember_personal(value)  # never in a log line from now on
        self.can_next = valid_mobile(getattr(self, attr))
        self.add_keypad(getattr(self, attr), changed)

    def add_spacer(self) -> None:
        self.ids.body.add_widget(Factory.Widget())
