"""The one base of every multi-step citizen flow: a screen that shows the step a flow (kiosk/flows) is at.

What the citizen sees, top to bottom: the top bar, "第 2 步，共 4 步：留个手机号", one line of what to
do, the step's own content (built by the subclass in `build_<step key>(body)`), then the row of
上一步 / 下一步 (the last step's button says what it does: 确认提交, 提交评价 …) with the reason beside it
when 下一步 cannot be pressed yet ("手机号是11位，还差4位。").

The flow holds every field (in the Session); the screen holds none. Steps are rebuilt, never hidden:
when 长辈模式 changes, sizes and the number of items per page follow, and no widget keeps what the
flow does not.
"""
from __future__ import annotations

from typing import Callable

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from screens.widgets.base import KioskScreen, load_kv
from screens.widgets.step_rows import StepRows
from kiosk import wording as W

load_kv(__file__)


class StepScreen(StepRows, KioskScreen):
    """Subclasses set `flow_name` and define `build_<step>(body)` for each step of their flow."""

    flow_name = ""
    step_key = StringProperty("")        # the step shown now
    step_number = NumericProperty(0)     # 1-based, for "第 n 步"
    steps_total = NumericProperty(1)
    step_title = StringProperty("")
    hint = StringProperty("")
    error = StringProperty("")           # what went wrong on the last tap (red)
    reason = StringProperty("")          # why 下一步 cannot be pressed yet (beside the button)
    can_next = BooleanProperty(True)
    show_counter = BooleanProperty(True)
    _entered = False                      # on the display (a step change is then read aloud)
    total_known = BooleanProperty(True)   # "共n步" only once the flow's branch is chosen (it never changes)
    heading = StringProperty("")          # "第2步，共5步：留个手机号"

    _rows_cap = 99                        # fewer rows of choices a page when the screen has no room for more

    def on_kv_post(self, base_widget):
        fit = Clock.create_trigger(self._fit_pages, 0)
        self.ids.body.bind(height=lambda *_: fit())
        self.ids.scroll.bind(height=lambda *_: fit())
        self.fbind("on_enter", lambda *_: setattr(self, "_entered", True))
        self.fbind("on_leave", lambda *_: setattr(self, "_entered", False))
        self.app.bind(elderly=lambda *_: self.refresh() if self.flow is not None else None)

    # -- the flow ---------------------------------------------------------------------------------
    @property
    def flow(self):
        """The flow this screen shows (None once the session was wiped)."""
        return self.app.terminal.current_flow(self.flow_name)

    def prepare(self, **kwargs) -> None:
        """Open the flow afresh with the arguments of app.go() and show its first step."""
        self.app.terminal.open_flow(self.flow_name, **kwargs)
        self.title = self.flow.title
        self.error = ""
        self._page = 0
        self.refresh()

    def clear_personal(self) -> None:
        """Empty the step's widgets and its header (it may name what the citizen chose or asked about)."""
        self.error = self.reason = self.hint = self.step_title = self.step_key = self.heading = ""
        self._next_button = None
        self.forget_rows()
        if "body" in self.ids:
            self.ids.body.clear_widgets()
            self.ids.actions.clear_widgets()

    # -- showing a step ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Build the flow's current step afresh."""
        flow = self.flow
        if flow is None:
            return
        step = flow.step
        if step.key != self.step_key:
            self._page = 0
            self.error = ""
            self._rows_cap = 99
            self.forget_rows()
            # a new step starts at its top, not where another step (the keypad focus scrolls to the field it
            # reads) left the scroll (the list that jumped in after keypad use was Kivy's elastic overscroll,
            # switched off for every ScrollView in widgets.kv)
            self.ids.scroll.scroll_y = 1
        self.step_title, self.hint = step.title, step.hint
        self.step_number, self.steps_total, self.total_known = flow.index + 1, flow.total, flow.total_known
        self._update_heading()
        self.step_key = step.key     # last: reading the step aloud takes the words above
        body = self.ids.body
        body.clear_widgets()
        self._rows_shown = 0
        self._paged = None      # (add_rows gives the step its rows again)
        getattr(self, f"build_{step.key}")(body)
        self._next_button = None
        self.ids.actions.clear_widgets()
        for button in self.actions(step.key):
            self.ids.actions.add_widget(button)
        self._stack_in_portrait(self.ids.actions)
        self.update_next()

    def on_step_title(self, *_args) -> None:
        self._update_heading()     # a screen may retitle its step (办件查询: 现在：办好了)

    def _update_heading(self) -> None:
        counter = ("第{0}步，共{1}步：" if self.total_known else "第{0}步：").format(self.step_number, self.steps_total)
        self.heading = (counter if self.show_counter else "") + self.step_title

    def spoken_text(self) -> str:
        """长辈模式 reads each step aloud: the question, what to do, and why 下一步 waits."""
        if self.flow is None:
            return ""
        title = self.step_title if self.step_title[-1:] in "。？！" else self.step_title + "。"   # no "？。"
        head = f"第{self.step_number}步，{title}" if self.show_counter else title
        return head + self.hint

    def say_step(self) -> None:
        """Read the step aloud (长辈模式) once it is on the screen."""
        if self._entered:
            self.read_aloud()     # (a step shown with the screen is read when the screen is entered)

    def on_step_key(self, *_args) -> None:
        self.say_step()

    def update_next(self) -> None:
        """下一步 follows the flow: pressable, or greyed with the reason beside it (a step whose
        choices move on by themselves has no 下一步, and so no reason line)."""
        flow = self.flow
        problem = flow.problem() if flow is not None else ""
        self.can_next = not problem
        button = getattr(self, "_next_button", None)
        self.reason = problem if button is not None else ""
        if button is not None:
            button.disabled = not self.can_next

    def actions(self, key: str) -> list:
        """The buttons at the foot of step `key`: 上一步 and 下一步 (or the flow's finish words)."""
        flow = self.flow
        last = flow.is_last
        return [self.back_button(), self.next_button(flow.finish_words if last else W.NEXT, picto="check" if last else "")]

    def back_button(self):
        """上一步 (one step back, or out of the flow from its first step), as every step shows it."""
        return self.button(W.BACK, self.previous_step, primary=False, picto="back")

    def next_button(self, text: str, picto: str = "", on_tap: Callable[[], None] | None = None):
        """The forward button: disabled (at ≥ 3:1 contrast) with the reason beside it while the step is incomplete."""
        button = self.button(text, on_tap or self.next_step, picto=picto)
        button.disabled = not self.can_next
        button.bind(on_touch_down=self._tapped_while_greyed)
        self._next_button = button
        return button

    def _tapped_while_greyed(self, button, touch) -> bool:
        """A greyed 下一步 still answers a tap: it says why, in red (a tap that does nothing looks broken)."""
        if button.disabled and button.collide_point(*touch.pos):
            self.error = self.reason
            return True
        return False

    # -- moving ---------------------------------------------------------------------------------------
    def next_step(self) -> None:
        """下一步: on to the next step, or the reason why not; on the last step, finish."""
        flow = self.flow
        if flow is None:
            return
        problem = flow.problem()
        if problem:
            self.error = problem
            self.refresh()
            return
        if flow.is_last:
            self.finish()
            return
        flow.next()
        self.refresh()

    def previous_step(self) -> None:
        """上一步: one step back, or out of the flow from its first step."""
        flow = self.flow
        if flow is None or not flow.back():
            self.app.back()
            return
        self.refresh()

    def finish(self) -> None:
        """The last step's button: submit the flow (the receipt follows through the core's events)."""
        flow = self.flow
        if self.app.submit_flow(flow) is None and self.flow is not None:
            self.error = flow.problem()
        self.refresh()   # also after sending: a flow that starts afresh leaves nothing in the widgets

    # -- building blocks for steps ------------------------------------------------------------------
    def button(self, text: str, on_tap: Callable[[], None], primary: bool = True, picto: str = ""):
        """A big button with words (and a picture) that calls `on_tap()`."""
        button = Factory.BigButton(text=text, primary=primary, picto=picto)
        button.bind(on_release=lambda _b: on_tap())
        return button

    def add_title(self, body, title: str, hint: str = "") -> None:
        """A big question inside the body (steps that have their own title row)."""
        body.add_widget(Factory.FlowTitle(text=title))
        if hint:
            body.add_widget(Factory.FlowHint(text=hint))

    def add_text(self, body, text: str, big: bool = False, muted: bool = False):
        """A paragraph (big: a main line; muted: a side note)."""
        label = Factory.KLabel(text=text)
        if big:
            label.font_size = self.app.fs_button
            label.bold = True
        if muted:
            label.color = self.app.col_muted
        body.add_widget(label)
        return label

    def add_spacer(self, body) -> None:
        """Space that pushes what follows down."""
        body.add_widget(Widget())

    def add_choices(self, body, choices: list[tuple[str, str]], chosen: str | None,
                    on_choose: Callable[[str], None], cols: int | None = None):
        """Big buttons, the chosen one filled; words on every button, never colour alone ("已选：").

        Long lists are paged, not scrolled: a person who has never used a touchscreen does not know to
        swipe, but reads "下一页"."""
        app = self.app
        cols = cols or (1 if app.portrait else 2)
        rows = min((8 if app.elderly else 10) if app.portrait else (3 if app.elderly else 5), self._rows_cap)
        self._rows_shown = min(rows, -(-len(choices) // cols))
        per_page = rows * cols
        pages = max(1, -(-len(choices) // per_page))
        keys = [k for k, _ in choices]
        if chosen in keys and not getattr(self, "_page_turned", False):
            self._page = keys.index(chosen) // per_page
        self._page_turned = False
        page = min(getattr(self, "_page", 0), pages - 1)
        grid = Factory.GridLayout(cols=cols, spacing=app.pad * 0.6, size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for key, words in choices[page * per_page:(page + 1) * per_page]:
            button = Factory.BigButton(text=("已选：" + words) if key == chosen else words, primary=key == chosen,
                                       picto="check" if key == chosen else "", wrap=True)
            button.choice = key         # (a name with its plain line under it, "简单说：…", gets room for both)
            button.bind(on_release=lambda b: on_choose(b.choice))
            grid.add_widget(button)
        if pages > 1:     # above the list, never right above 上一步 / 下一步
            body.add_widget(self._page_bar(page, pages))
        body.add_widget(grid)
        return grid

    def fill_room(self, widget, smallest: float) -> None:
        """`widget` (a picture in the body) takes the height the rest of the step leaves in view, at least
        `smallest`: the words under a page preview are never pushed below the buttons."""
        widget.fills_room = smallest
        widget.height = smallest

    def _fill_room(self) -> None:
        body, room = self.ids.body, self.ids.scroll.height
        for w in body.children:
            smallest = getattr(w, "fills_room", None)
            if smallest is not None:
                w.height = max(smallest, room - (body.height - w.height) - 1)

    def _fit_pages(self, *_args) -> None:
        """Nothing hides below a scroll: when a page of choices is taller than the screen has room for,
        the page gets a row fewer (a person who never used a touchscreen does not know to swipe)."""
        self._fit_rows()
        self._fill_room()
        rows = getattr(self, "_rows_shown", 0)
        if rows > 1 and self.ids.body.height > self.ids.scroll.height + 1 and self.flow is not None:
            self._rows_cap = rows - 1
            self._page_turned = True     # keep the page (its first item stays on it)
            self.refresh()

    def _page_bar(self, page: int, pages: int, turn: Callable[[int], None] | None = None):
        app = self.app
        turn = turn or self.turn_page
        bar = Factory.BoxLayout(size_hint_y=None, height=app.target_h, spacing=app.pad)
        for words, target, enabled in ((W.PAGE_PREV, page - 1, page > 0), (None, None, False),
                                       (W.PAGE_NEXT, page + 1, page < pages - 1)):
            if words is None:
                bar.add_widget(Factory.Label(text=f"第{page + 1}页，共{pages}页", color=app.col_fg,
                                             font_size=app.fs_button))
                continue
            button = Factory.BigButton(text=words, primary=False, disabled=not enabled,
                                       opacity=1 if enabled else 0)
            button.bind(on_release=lambda _b, t=target: turn(t))
            bar.add_widget(button)
        return bar

    def turn_page(self, page: int) -> None:
        """Show page `page` of a long list of choices."""
        self._page = page
        self._page_turned = True
        self.refresh()

    def chose(self, setter: Callable[[str], None]) -> Callable[[str], None]:
        """A choice handler: give the flow the choice, then show the step again (the chosen one filled)."""
        def choose(value: str) -> None:
            setter(value)
            self.error = ""
            self.refresh()
        return choose

    def add_keypad(self, body, value: str, on_change: Callable[[str], None], kind: str = "phone",
                   max_len: int = 11, placeholder: str = "", keypad=None):
        """The big keypad (or a `keypad` subclass); every key goes straight to the flow (`on_change(value)`),
        so the screen keeps no digits of its own, and 下一步 follows at once."""
        from screens.widgets.keypad import Keypad
        pad = (keypad or Keypad)(kind=kind, max_len=max_len)
        if placeholder:
            pad.placeholder = placeholder
        pad.value = value

        def changed(_w, v: str) -> None:
            on_change(v)
            self.error = ""
            self.update_next()
        pad.bind(value=changed)
        body.add_widget(pad)
        return pad

    def _stack_in_portrait(self, actions) -> None:
        """More than two wide buttons do not fit side by side on a portrait screen: stack them."""
        app = self.app
        count = len(actions.children)
        stacked = app.portrait and count > 2
        actions.orientation = "vertical" if stacked else "horizontal"
        actions.height = (app.target_h * count + actions.spacing * (count - 1)) if stacked else app.target_h
