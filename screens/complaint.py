"""吐槽找茬 / 办不成事: what went wrong → where → a phone if they like (anonymous allowed) → submit.

No typing needed: every answer is a big button; the phone is optional and entered on the keypad.
The rules and the payload live in kiosk/flows/complaint.py.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.demo import demo_identity
from kiosk.flows import complaint as rules
from kiosk.flows.complaint import PLACES, PROBLEMS, Complaint
from screens.widgets.base import load_kv
from screens.widgets.flow_widgets import LegacyStepScreen
from screens.widgets.keypad import Keypad

load_kv(__file__)


class ComplaintScreen(LegacyStepScreen):
    step = StringProperty("problem")    # problem | place | name (identified only) | contact (| note)
    error = StringProperty("")
    note_shown = StringProperty("")     # the optional note while it is typed

    def __init__(self, **kwargs):
        self.complaint = Complaint()
        self.keypad = Keypad(kind="phone", max_len=11, placeholder="请在下面按手机号（可以不留）")
        self._kb = None       # the pinyin keyboard, made the first time someone wants to type a note
        super().__init__(**kwargs)

    def prepare(self, **_kwargs) -> None:
        self.complaint.clear()
        self.keypad.clear()
        if self._kb is not None:
            self._kb.clear()
        self.note_shown = ""
        self.error = ""
        self.show("problem")

    def _choices(self, body, choices, chosen: str, on_choose) -> None:
        app = self.app
        if app.portrait:
            cols = 1
        else:
            cols = 3 if len(choices) > 4 and not app.elderly else 2
        grid = GridLayout(cols=cols, spacing=app.pad, size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for key, words in choices:
            button = Factory.BigButton(text=("已选：" + words) if key == chosen else words, primary=key == chosen,
                                       picto="check" if key == chosen else "")
            button.height = app.target_h * 1.2
            button.key = key
            button.bind(on_release=lambda b: on_choose(b.key))
            grid.add_widget(button)
        body.add_widget(grid)

    # -- step 1: what went wrong -----------------------------------------------------------------
    def _build_problem(self, body) -> None:
        self._title(body, "遇到什么问题了？", "点一下最像您遇到的情况。您说的话我们会认真听，也可以不留名字。")
        self._choices(body, PROBLEMS, self.complaint.problem, self.choose_problem)
        body.add_widget(Widget())

    def choose_problem(self, key: str) -> None:
        self.complaint.problem = key
        self.show("place")

    # -- step 2: where -----------------------------------------------------------------------------
    def _build_place(self, body) -> None:
        words = rules.PROBLEM_WORDS.get(self.complaint.problem, "")
        self._title(body, "在哪里遇到的？", f"您选的是：{words}。")
        self._choices(body, PLACES, self.complaint.place, self.choose_place)
        body.add_widget(Widget())
        actions = Factory.FlowActions()
        actions.add_widget(self._button("上一步", lambda: self.show("problem"), primary=False, picto="back"))
        actions.add_widget(Widget())
        body.add_widget(actions)

    def choose_place(self, key: str) -> None:
        self.complaint.place = key
        self.show("name" if self.session.identified else "contact")

    # -- step 3 (identified citizens only): with their name or anonymous --------------------------
    def _build_name(self, body) -> None:
        self._title(body, "要写上您的名字吗？", "不写名字也一样会处理；写上名字，处理结果更好告诉您。")
        chosen = "" if self.complaint.anonymous is None else ("anonymous" if self.complaint.anonymous else "named")
        self._choices(body, (("named", "写上我的名字"), ("anonymous", "不写名字（匿名）")), chosen, self.choose_name)
        body.add_widget(Widget())
        actions = Factory.FlowActions()
        actions.add_widget(self._button("上一步", lambda: self.show("place"), primary=False, picto="back"))
        actions.add_widget(Widget())
        body.add_widget(actions)

    def choose_name(self, key: str) -> None:
        self.complaint.anonymous = key == "anonymous"
        self.show("contact")

    # -- step 4: phone (optional) ---------------------------------------------------------------------
    def _build_contact(self, body) -> None:
        self._title(body, "要留个电话吗？", "留下手机号，处理结果打电话告诉您。不留也可以，一样会处理。")
        self._add_keypad(body)
        actions = Factory.FlowActions()
        back = "name" if self.session.identified else "place"
        actions.add_widget(self._button("上一步", lambda: self.show(back), primary=False, picto="back"))
        actions.add_widget(self._button("改说明" if self.complaint.note else "多说几句", lambda: self.show("note"),
                                        primary=False))
        actions.add_widget(self._button("不留电话，提交", self.submit_without_phone, primary=False))
        actions.add_widget(self._button("提交", self.submit, picto="check"))
        body.add_widget(actions)
        self._stack_in_portrait(actions)

    # -- optional: a few words typed on the pinyin keyboard (from the phone step) -----------------
    def _keyboard(self):
        if self._kb is None:
            from screens.widgets.guide_widgets import when_lexicon_ready
            from screens.widgets.pinyin_keyboard import PinyinKeyboard
            self._kb = PinyinKeyboard()
            self._kb.bind(text=self._typed, composing=self._typed)
            when_lexicon_ready(self._kb.use_lexicon)
        return self._kb

    def _typed(self, *_args) -> None:
        kb = self._kb
        if len(kb.text) > rules.MAX_NOTE:
            kb.text = kb.text[:rules.MAX_NOTE]
        self.note_shown = kb.text + kb.composing

    def on_note_shown(self, *_args) -> None:
        label = getattr(self, "_note_label", None)
        if label is not None:
            label.text = self.note_shown or "（您打的字会显示在这里）"
            label.color = self.app.col_fg if self.note_shown else self.app.col_muted

    def _build_note(self, body) -> None:
        app = self.app
        # landscape: words and buttons on the left, the keyboard on the right, so that all fits
        layout = BoxLayout(orientation="vertical" if app.portrait else "horizontal", spacing=app.pad * 1.5)
        left = BoxLayout(orientation="vertical", spacing=app.pad)
        self._title(left, "想多说几句吗？", "用拼音打字，再点上面出来的字。不想打字就点「不说了」。")
        shown = Factory.ComplaintNote()
        self._note_label = shown.ids.text
        self.on_note_shown()
        left.add_widget(shown)
        left.add_widget(Widget())
        kb = self._keyboard()
        if kb.parent is not None:
            kb.parent.remove_widget(kb)
        buttons = (self._button("写好了", self.keep_note, picto="check"),
                   self._button("不说了", self.drop_note, primary=False, picto="back"))
        if app.portrait:
            left.size_hint_y = None
            left.bind(minimum_height=left.setter("height"))
            layout.add_widget(left)
            layout.add_widget(kb)
            layout.add_widget(Widget())
            actions = Factory.FlowActions()
            for button in reversed(buttons):
                actions.add_widget(button)
            layout.add_widget(actions)
        else:
            for button in buttons:
                left.add_widget(button)
            layout.add_widget(left)
            right = BoxLayout(orientation="vertical", size_hint_x=1.7)
            right.add_widget(kb)
            right.add_widget(Widget())
            layout.add_widget(right)
        body.add_widget(layout)

    def keep_note(self) -> None:
        kb = self._keyboard()
        kb.commit_letters()
        self.complaint.note = kb.text.strip()
        if self.complaint.note:
            self.session.remember_personal(self.complaint.note)
        self.show("contact")

    def drop_note(self) -> None:
        self._keyboard().clear()
        self.complaint.note = ""
        self.show("contact")

    def submit_without_phone(self) -> None:
        self.keypad.clear()
        self.submit()

    # -- submit --------------------------------------------------------------------------------------
    def submit(self) -> None:
        app, settings = self.app, self.app.settings
        c = self.complaint
        c.phone = self.keypad.value
        if not self.session.identified:
            c.anonymous = True
        if c.phone:
            self.session.remember_personal(c.phone)
        try:
            payload = rules.build_payload(c, terminal_id=settings.get("terminal", "id"),
                                          terminal_name=settings.get("terminal", "name"),
                                          region_code=settings.get("terminal", "region_code"),
                                          elderly_mode=app.elderly)
        except ValueError as exc:
            self.error = str(exc)
            self.show("contact")
            return
        note = rules.receipt_note(c, settings.get("terminal", "help_phone"))
        if app.submit("complaint", payload, note=note):
            c.clear()
            self.keypad.clear()

    def clear_personal(self) -> None:
        self.complaint.clear()
        self.keypad.clear()
        if self._kb is not None:
            self._kb.clear()
        self.note_shown = ""
        self.error = ""
        if "body" in self.ids:
            self.ids.body.clear_widgets()

    # -- tour ---------------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        def place(app):
            app.go("complaint")
            app.screen("complaint").choose_problem("many_trips")

        def contact(app):
            app.identified(demo_identity())
            app.go("complaint")
            screen = app.screen("complaint")
            screen.choose_problem("cannot_do")
            screen.choose_place("this_hall")
            screen.choose_name("named")
            for digit in "139053":
                screen.keypad.press(digit)
            screen.show("contact")

        def name(app):
            app.identified(demo_identity())
            app.go("complaint")
            screen = app.screen("complaint")
            screen.choose_problem("attitude")
            screen.choose_place("elsewhere")

        def note(app):
            app.go("complaint")
            screen = app.screen("complaint")
            screen.choose_problem("unreasonable_materials")
            screen.choose_place("this_hall")
            screen.show("note")
            screen._keyboard().text = "要了三次户口本"

        return [("", {}), ("-place", place), ("-name", name), ("-contact", contact), ("-note", note)]
