"""吐槽找茬 / 办不成事: what went wrong → where → a phone if they like (anonymous allowed) → submit.

No typing needed: every answer is a big button; the phone is optional and entered on the keypad.
The rules and the payload live in kiosk/flows/complaint.py.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.demo import demo_identity
from kiosk.flows import complaint as rules
from kiosk.flows.complaint import PLACES, PROBLEMS, Complaint
from screens.widgets.base import KioskScreen, load_kv
from screens.widgets import flow_widgets  # noqa: F401  (FlowTitle, FlowHint, FlowError, FlowActions)
from screens.widgets.keypad import Keypad

load_kv(__file__)


class ComplaintScreen(KioskScreen):
    step = StringProperty("problem")    # problem | place | name (identified only) | contact
    error = StringProperty("")

    def __init__(self, **kwargs):
        self.complaint = Complaint()
        self.keypad = Keypad(kind="phone", max_len=11, placeholder="请在下面按手机号（可以不留）")
        super().__init__(**kwargs)

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show(self.step))

    def prepare(self, **_kwargs) -> None:
        self.complaint.clear()
        self.keypad.clear()
        self.error = ""
        self.show("problem")

    def show(self, step: str) -> None:
        self.step = step
        body = self.ids.body
        body.clear_widgets()
        getattr(self, f"_build_{step}")(body)

    def _title(self, box, title: str, hint: str = "") -> None:
        box.add_widget(Factory.FlowTitle(text=title))
        if hint:
            box.add_widget(Factory.FlowHint(text=hint))

    def _button(self, text: str, on_tap, primary: bool = True, picto: str = ""):
        button = Factory.BigButton(text=text, primary=primary, picto=picto)
        button.bind(on_release=lambda _b: on_tap())
        return button

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
        app = self.app
        self._title(body, "要留个电话吗？", "留下手机号，处理结果打电话告诉您。不留也可以，一样会处理。")
        body.add_widget(Factory.FlowError(text=self.error))
        if self.keypad.parent is not None:
            self.keypad.parent.remove_widget(self.keypad)
        body.add_widget(self.keypad)
        body.add_widget(Widget())
        actions = Factory.FlowActions()
        back = "name" if self.session.identified else "place"
        actions.add_widget(self._button("上一步", lambda: self.show(back), primary=False, picto="back"))
        actions.add_widget(self._button("不留电话，提交", self.submit_without_phone, primary=False))
        actions.add_widget(self._button("提交", self.submit, picto="check"))
        body.add_widget(actions)
        if app.portrait:
            actions.orientation = "vertical"
            actions.height = app.target_h * 3 + app.pad * 2

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

        return [("", {}), ("-place", place), ("-name", name), ("-contact", contact)]
