"""吐槽找茬 / 办不成事: what went wrong → where → (identified: with the name or not) → a phone if they
like → 看一遍 (everything that will be sent, each with 改一下) → submit; from the phone step, a few words
on the pinyin keyboard if they want.

No typing needed: every answer is a big button; the phone is optional and entered on the keypad.
The steps, the note page, the checks and the payload are kiosk/flows/complaint.py (ComplaintFlow);
this screen shows them and forwards taps.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.demo import demo_identity
from kiosk.flows.complaint import CHANGE, MAX_NOTE, NAME_CHOICES, PLACES, PROBLEMS
from screens.widgets.base import Panel, load_kv
from screens.widgets.step_screen import StepScreen
from kiosk import wording as W

load_kv(__file__)


class ComplaintNote(Panel):
    """The words being typed on the note page, read straight off the keyboard (never copied)."""

    keyboard = ObjectProperty(None, allownone=True)


LONG_LINE = 60      # characters of a review line shown at the reading size (fs_body) instead of fs_button


class ReviewRow(Panel):
    """One answer on the review: its words and 改一下, on a card."""


class ComplaintScreen(StepScreen):
    """吐槽找茬, one step at a time, and the note page of the phone step."""

    flow_name = "complaint"

    def __init__(self, **kwargs):
        self._kb = None       # the pinyin keyboard, made the first time someone wants to type a note
        super().__init__(**kwargs)

    def _choices(self, body, choices, chosen: str, on_choose) -> None:
        """Big answer buttons: three a row where six fit (not in 长辈模式), a little taller than usual."""
        app = self.app
        cols = 1 if app.portrait else (3 if len(choices) > 4 and not app.elderly else 2)
        grid = self.add_choices(body, list(choices), chosen or None, self.chose(on_choose), cols=cols)
        grid.spacing = app.pad
        for button in grid.children:
            button.height = app.target_h * 1.2

    def build_problem(self, body) -> None:
        """What went wrong, six big buttons; a tap moves on."""
        self._choices(body, PROBLEMS, self.flow.state.problem, self.flow.choose_problem)

    def build_place(self, body) -> None:
        """This hall or elsewhere; a tap moves on."""
        self._choices(body, PLACES, self.flow.state.place, self.flow.choose_place)

    def build_name(self, body) -> None:
        """With the citizen's name or without (identified citizens only); a tap moves on."""
        self._choices(body, NAME_CHOICES, self.flow.name_choice(), self.flow.choose_name)

    def build_contact(self, body) -> None:
        """The keypad for an optional phone; every key goes to the flow."""
        self.add_keypad(body, self.flow.state.phone, self.flow.set_phone, placeholder="请用数字键输入手机号（可以不留）")

    def skip_phone(self) -> None:
        """不留电话: no phone after all; on to the review."""
        self.flow.set_phone("")
        self.next_step()

    # -- the review: everything that will be sent, each with 改一下 ------------------------------------
    def build_review(self, body) -> None:
        """One card per answer in large words with 改一下 beside it; in pages only when they do not fit
        (a long note in 长辈模式), never below a scroll."""
        cards = [self._review_card(item) for item in self.flow.review_items()]
        pages = self._review_pages(cards)
        page = min(getattr(self, "_page", 0), len(pages) - 1)
        if len(pages) > 1:
            body.add_widget(self._page_bar(page, len(pages)))
        for card, _height in pages[page]:
            body.add_widget(card)
        self._review_basis = self._review_fit()

    def _review_card(self, item):
        """The card of one answer and its height at the body's width (measured now, not after a frame)."""
        app = self.app
        card = ReviewRow()
        change = self.button(CHANGE, lambda key=item.step: self.change(key), primary=False)
        change.size_hint_x = None
        change.width = app.target_h * 2.2          # three big characters and the button's padding
        change.height = app.target_h * 0.75        # still above the audit's smallest target in both modes
        change.pos_hint = {"center_y": 0.5}
        change.a11y_text = f"{CHANGE}：{item.line}"  # the keypad-and-voice ring says which answer
        words = Factory.ReviewWords(text=item.line)
        if len(item.line) > LONG_LINE:             # a long note: the mode's reading size, so that it fits a page
            words.font_size = app.fs_body
        words.width = self.ids.scroll.width - card.padding[0] - card.padding[2] - change.width - card.spacing
        words.texture_update()
        words.height = words.texture_size[1]
        card.add_widget(words)
        card.add_widget(change)
        return card, max(words.height, change.height) + card.padding[1] + card.padding[3]

    def _review_pages(self, cards) -> list[list]:
        """The cards on one page when they fit the room there is, else in pages (the bar above takes a
        row): each page as many whole cards as fit, in order."""
        room = self.ids.scroll.height
        gap = self.ids.body.spacing
        if sum(h for _c, h in cards) + gap * (len(cards) - 1) <= room:
            return [cards]
        room -= self.app.target_h + gap
        pages, used = [[]], 0.0
        for card, height in cards:
            if pages[-1] and used + gap + height > room:
                pages.append([])
                used = 0.0
            used += (gap if pages[-1] else 0) + height
            pages[-1].append((card, height))
        return pages

    def _review_fit(self) -> tuple:
        """What the review's pages were planned for: the room and the mode."""
        scroll = self.ids.scroll
        return round(scroll.width), round(scroll.height), self.app.elderly, self.app.portrait

    def _fit_pages(self, *args) -> None:
        """The review plans its pages itself: again when the room it planned for changed."""
        flow = self.flow
        if flow is not None and flow.step.key == "review":
            if getattr(self, "_review_basis", None) != self._review_fit():
                self._page = 0
                self.refresh()
            return
        super()._fit_pages(*args)

    def change(self, key: str) -> None:
        """改一下: the step that asked it; the answer given there comes back here."""
        self.flow.change(key)
        if key == "note":
            kb = self._keyboard()
            kb.clear()
            kb.text = self.flow.state.note
        self.refresh()

    def spoken_text(self) -> str:
        """The review is read aloud whole: what will be sent, line by line."""
        text = super().spoken_text()
        flow = self.flow
        if flow is not None and flow.step.key == "review":
            text += flow.review_words()
        return text

    # -- the note page: a few words on the pinyin keyboard ---------------------------------------------
    def _keyboard(self):
        if self._kb is None:
            from screens.widgets.pinyin_keyboard import keyboard_with_lexicon
            self._kb = keyboard_with_lexicon()
            self._kb.bind(text=self._typed)
        return self._kb

    def _typed(self, kb, text: str) -> None:
        if len(text) > MAX_NOTE:
            kb.text = text[:MAX_NOTE]

    def write_note(self) -> None:
        """多说几句 / 改说明: the note page, the keyboard holding the note kept so far."""
        kb = self._keyboard()
        kb.clear()
        kb.text = self.flow.state.note
        self.flow.open_note()
        self.refresh()

    def keep_note(self) -> None:
        """确定 (confirm): the typed words go to the flow (the keyboard forgets them on leaving the page)."""
        kb = self._keyboard()
        kb.commit_letters()
        self.flow.keep_note(kb.text)
        self.refresh()

    def drop_note(self) -> None:
        """上一步 on the note page: no note."""
        self.flow.drop_note()
        self.refresh()

    def refresh(self) -> None:
        """Show the flow's step; the keyboard holds words only while the note page shows them."""
        flow = self.flow
        if self._kb is not None and (flow is None or flow.step.key != "note"):
            self._kb.clear()
        super().refresh()

    def build_note(self, body) -> None:
        """What is typed, and the pinyin keyboard (beside it in landscape, below it in portrait)."""
        app = self.app
        kb = self._keyboard()
        if kb.parent is not None:
            kb.parent.remove_widget(kb)
        shown = ComplaintNote(keyboard=kb)
        kb.size_hint_x = 1 if app.portrait else 1.7
        if app.portrait:
            body.add_widget(shown)
            body.add_widget(kb)
            return
        # landscape: what was typed on the left, the keyboard on the right, so that all fits
        row = BoxLayout(spacing=app.pad * 1.5, size_hint_y=None)
        row.bind(minimum_height=row.setter("height"))
        shown.pos_hint = {"top": 1}
        row.add_widget(shown)
        row.add_widget(kb)
        body.add_widget(row)

    def clear_personal(self) -> None:
        """The wipe: the keyboard forgets what was typed (it is kept for the next citizen, empty)."""
        if self._kb is not None:
            self._kb.clear()
        super().clear_personal()

    # -- the buttons at the foot --------------------------------------------------------------------
    def actions(self, key: str) -> list:
        """Answers move on by themselves (上一步 only); the phone step can skip the phone or add words;
        the note page keeps or drops them."""
        flow = self.flow
        back = self.back_button()
        if key == "problem":
            return []
        if key in ("place", "name"):
            return [back, Widget()]
        if key == "contact":
            return [back, self.button("改说明" if flow.state.note else "多说几句", self.write_note, primary=False),
                    self.button("不留电话", self.skip_phone, primary=False), self.next_button(W.NEXT)]
        if key == "note":
            return [self.button(W.BACK, self.drop_note, primary=False, picto="back"),
                    self.button(W.CONFIRM, self.keep_note, picto="check")]
        return super().actions(key)

    # -- tour -----------------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        """The first step, where, with the name or not, the phone step, the note page and the review."""
        def state(problem="", place="", name="", phone="", note="", identified=False, review=False):
            def go(app):
                if identified:
                    app.identified(demo_identity())
                app.go("complaint")
                screen = app.screen("complaint")
                flow = screen.flow
                if problem:
                    flow.choose_problem(problem)
                if place:
                    flow.choose_place(place)
                if name:
                    flow.choose_name(name)
                flow.set_phone(phone)
                if note:
                    flow.set_note(note)
                    if not review:
                        screen.write_note()
                if review:
                    flow.go_to("review")
                screen.refresh()
            return go

        return [("", state()), ("-place", state("many_trips")),
                ("-name", state("attitude", "elsewhere", identified=True)),
                ("-contact", state("cannot_do", "this_hall", "named", "139053", identified=True)),
                ("-note", state("unreasonable_materials", "this_hall", note="要了三次户口本")),
                ("-review", state("unreasonable_materials", "this_hall", "anonymous", "13905305678",
                                  note="要了三次户口本，每次说的都不一样", identified=True, review=True)),
                # the longest note there can be: in 长辈模式 the review comes in pages, nothing below a scroll
                ("-review-long", state("attitude", "elsewhere", "named", "13905305678",
                                       note=("窗口的工作人员一直在看手机，叫了三遍才抬头，" * 10)[:MAX_NOTE],
                                       identified=True, review=True))]
