"""好差评: what is rated → five faces → the four indicators → (差评) reasons and a call-back phone → submit.

One screen, one step at a time; each step is built afresh (also when 长辈模式 or the page changes), so
the widgets never hold anything the Evaluation does not. The rules live in kiosk/flows/evaluation.py.
"""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.demo import demo_identity
from kiosk.flows import evaluation as ev_rules
from kiosk.flows.evaluation import BAD_REASONS, INDICATORS, LEVELS, Evaluation, is_bad
from kiosk.submit import KIND_NAMES
from screens.widgets.base import load_kv
from screens.widgets.flow_widgets import FaceChoice, LegacyStepScreen
from screens.widgets.keypad import Keypad

load_kv(__file__)

NOT_RATED = ("evaluation",)   # an evaluation is not itself rated


class EvaluationScreen(LegacyStepScreen):
    step = StringProperty("level")     # target | level | indicators | reasons | phone
    page = NumericProperty(0)          # indicator page (长辈模式 shows fewer rows per page)
    error = StringProperty("")

    def __init__(self, **kwargs):
        self.ev = Evaluation()
        self.keypad = Keypad(kind="phone", max_len=11, placeholder="请在下面按手机号")
        super().__init__(**kwargs)

    # -- what the citizen sees ------------------------------------------------------------
    def prepare(self, **_kwargs) -> None:
        self.ev.clear()
        self.keypad.clear()
        self.error = ""
        self.page = 0
        self.show("target" if self.rateable_receipts() else "level")

    def rateable_receipts(self) -> list[dict]:
        """This session's submissions that can be rated, newest first."""
        items = [r for r in self.session.receipts if r.get("local_id") and r.get("kind") not in NOT_RATED]
        return list(reversed(items))

    @property
    def real_name(self) -> bool:
        return self.session.identified

    @property
    def rectify_days(self) -> int:
        return self.app.settings.getint("evaluation", "rectify_days")

    # -- step: what is rated ----------------------------------------------------------------
    def _build_target(self, body) -> None:
        self._title(body, "您想给什么打分？", "点一下要评价的那一项。")
        app = self.app
        shown = self.rateable_receipts()[: 2 if app.elderly else 4]
        body.add_widget(self._button("这台机器和大厅的服务", lambda: self.choose_target(None),
                                     primary=False, picto="evaluation"))
        for receipt in shown:
            words = f"刚才办的{KIND_NAMES.get(receipt['kind'], '事')}（{receipt['local_id']}）"
            body.add_widget(self._button(words, lambda r=receipt: self.choose_target(r), primary=False,
                                         picto="apply"))
        body.add_widget(Widget())

    def choose_target(self, receipt: dict | None) -> None:
        if receipt is None:
            self.ev.target, self.ev.target_local_id, self.ev.target_kind = ev_rules.HALL, "", ""
        else:
            self.ev.target = ev_rules.MATTER
            self.ev.target_local_id, self.ev.target_kind = receipt["local_id"], receipt["kind"]
        self.show("level")

    def _what(self) -> str:
        if self.ev.target == ev_rules.MATTER:
            return f"您评价的是：刚才办的{KIND_NAMES.get(self.ev.target_kind, '事')}（{self.ev.target_local_id}）。"
        return "您评价的是：这台机器和大厅的服务。"

    # -- step: five faces --------------------------------------------------------------------
    def _build_level(self, body) -> None:
        app = self.app
        self._title(body, "您对这次服务满意吗？", self._what() + "点一下最像您心情的那张脸。")
        grid = GridLayout(cols=1 if app.portrait else 5, spacing=app.pad, size_hint_y=None,
                          height=app.target_h * (5 * 1.2 + 4 * 0.2) if app.portrait else app.target_h * 3.4)
        for level, words in LEVELS:
            face = FaceChoice(level=level, text=words, picto=f"face{level}", font_size=app.fs_button,
                              selected=self.ev.level == level, wide=app.portrait)
            face.bind(on_release=lambda f: self.choose_level(f.level))
            grid.add_widget(face)
        body.add_widget(grid)
        body.add_widget(Widget())
        if self.session.receipts and self.rateable_receipts():
            actions = Factory.FlowActions()
            actions.add_widget(self._button("上一步", lambda: self.show("target"), primary=False, picto="back"))
            actions.add_widget(Widget())
            body.add_widget(actions)

    def choose_level(self, level: int) -> None:
        self.ev.choose_level(level)
        self.page = 0
        self.show("indicators")

    # -- step: the four indicators -------------------------------------------------------------
    @property
    def rows_per_page(self) -> int:
        return 2 if self.app.elderly else len(INDICATORS)

    @property
    def pages(self) -> int:
        return -(-len(INDICATORS) // self.rows_per_page)

    def _build_indicators(self, body) -> None:
        app = self.app
        hint = "已经按您刚才选的填好了。哪一项感觉不一样，就点那一项的脸。"
        if self.pages > 1:
            hint += f"（第{self.page + 1}页，共{self.pages}页）"
        self._title(body, "再细说说：这几方面怎么样？", hint)
        per = self.rows_per_page
        rows = BoxLayout(orientation="vertical", spacing=app.pad)
        for key, words in INDICATORS[self.page * per:(self.page + 1) * per]:
            rows.add_widget(self._indicator_row(key, words))
        body.add_widget(rows)
        actions = Factory.FlowActions()
        actions.add_widget(self._button("上一步", self.indicators_back, primary=False, picto="back"))
        if self.page + 1 < self.pages:
            actions.add_widget(self._button("下一页", self.indicators_next))
        elif is_bad(self.ev.level):
            actions.add_widget(self._button("下一步", self.indicators_next))
        else:
            actions.add_widget(self._button("提交评价", self.submit, picto="check"))
        body.add_widget(actions)

    def _indicator_row(self, key: str, words: str):
        app = self.app
        row = Factory.IndicatorRow()
        row.text = words
        small = app.fs_small if app.portrait else app.fs_body
        for level, level_words in LEVELS:
            face = FaceChoice(level=level, key=key, text=level_words, picto=f"face{level}", font_size=small,
                              selected=self.ev.indicators.get(key) == level, role="choice")
            face.bind(on_release=lambda f: self.choose_indicator(f.key, f.level))
            row.ids.faces.add_widget(face)
        return row

    def choose_indicator(self, key: str, level: int) -> None:
        self.ev.set_indicator(key, level)
        self.show("indicators")

    def indicators_back(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.show("indicators")
        else:
            self.show("level")

    def indicators_next(self) -> None:
        if self.page + 1 < self.pages:
            self.page += 1
            self.show("indicators")
        elif is_bad(self.ev.level):
            self.show("reasons")
        else:
            self.submit()

    # -- step: 差评 reasons ---------------------------------------------------------------------
    def _build_reasons(self, body) -> None:
        app = self.app
        self._title(body, "哪里让您不满意？", "可以点好几个，点过的会打上勾；再点一下就取消。不选也可以。")
        if app.portrait:
            cols = 1 if app.elderly else 2
        else:
            cols = 2 if app.elderly else 3
        grid = GridLayout(cols=cols, spacing=app.pad, size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for key, words in BAD_REASONS:
            chosen = key in self.ev.reasons
            button = Factory.BigButton(text=("已选：" if chosen else "") + words, primary=chosen,
                                       picto="check" if chosen else "")
            button.key = key
            button.bind(on_release=lambda b: self.toggle_reason(b.key))
            grid.add_widget(button)
        body.add_widget(grid)
        body.add_widget(Widget())
        actions = Factory.FlowActions()
        actions.add_widget(self._button("上一步", lambda: self.show("indicators"), primary=False, picto="back"))
        actions.add_widget(self._button("下一步", lambda: self.show("phone")))
        body.add_widget(actions)

    def toggle_reason(self, key: str) -> None:
        self.ev.toggle_reason(key)
        self.show("reasons")

    # -- step: call-back phone ----------------------------------------------------------------
    @property
    def phone_required(self) -> bool:
        return self.real_name and is_bad(self.ev.level)

    def _build_phone(self, body) -> None:
        days = self.rectify_days
        if self.phone_required:
            title = "请留一个手机号"
            words = f"您是实名评价：{days}个工作日内（周六、周日不算），工作人员一定会打电话告诉您怎么改。"
        else:
            title = "要我们给您回电话吗？"
            words = f"留下手机号，{days}个工作日内（周六、周日不算）工作人员打电话告诉您怎么改。不留也可以。"
        self._title(body, title, words)
        self._add_keypad(body)
        actions = Factory.FlowActions()
        actions.add_widget(self._button("上一步", lambda: self.show("reasons"), primary=False, picto="back"))
        if not self.phone_required:
            actions.add_widget(self._button("不留电话，提交", self.submit_without_phone, primary=False))
        actions.add_widget(self._button("提交评价", self.submit, picto="check"))
        body.add_widget(actions)
        self._stack_in_portrait(actions)

    def submit_without_phone(self) -> None:
        self.keypad.clear()
        self.submit()

    # -- submit --------------------------------------------------------------------------------
    def submit(self) -> None:
        app = self.app
        self.ev.phone = self.keypad.value if is_bad(self.ev.level) else ""
        if self.ev.phone:
            self.session.remember_personal(self.ev.phone)
        settings = app.settings
        try:
            payload = ev_rules.build_payload(
                self.ev, real_name=self.real_name, rectify_days=self.rectify_days,
                terminal_id=settings.get("terminal", "id"), terminal_name=settings.get("terminal", "name"),
                elderly_mode=app.elderly)
        except ValueError as exc:
            self.error = str(exc)
            self.show("phone")
            return
        note = ev_rules.receipt_note(self.ev.level, real_name=self.real_name, phone=self.ev.phone,
                                     rectify_days=self.rectify_days)
        if app.submit("evaluation", payload, note=note):
            self.ev.clear()
            self.keypad.clear()

    def clear_personal(self) -> None:
        self.ev.clear()
        self.keypad.clear()
        self.error = ""
        self.page = 0
        if "body" in self.ids:
            self.ids.body.clear_widgets()

    # -- tour ---------------------------------------------------------------------------------
    @classmethod
    def tour_states(cls, app):
        def target(app):
            app.session.receipts.append({"local_id": "HZ0001-20261127-0007", "kind": "application"})
            app.go("evaluation")

        def indicators(app):
            app.go("evaluation")
            app.screen("evaluation").choose_level(4)

        def reasons(app):
            app.go("evaluation")
            screen = app.screen("evaluation")
            screen.choose_level(2)
            screen.toggle_reason("slow")
            screen.toggle_reason("many_trips")

        def phone(app):
            app.identified(demo_identity())
            app.go("evaluation")
            screen = app.screen("evaluation")
            screen.choose_level(1)
            for digit in "1390530":
                screen.keypad.press(digit)
            screen.show("phone")

        return [("", {}), ("-target", target), ("-indicators", indicators), ("-reasons", reasons),
                ("-phone", phone)]
