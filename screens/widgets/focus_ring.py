"""无障碍: the focus ring that lets a blind citizen use every screen with a numeric keypad and headphones.

The keymap and the words are Kivy-free (kiosk/keynav.py); this module finds the controls of what is on
the display, in reading order, draws a thick frame around the one in focus and has the Terminal's
Voice read it: "下一步，按钮，不可用，手机号是11位，还差4位。". The first navigation key switches the
ring on (the attract screen then says how to start); it stays on for the visit and goes off with
the session wipe. Keys are acted on a moment after they arrive, so that a keyboard-wedge scanner's
burst (much faster than a person) never moves the focus or presses anything.
"""
from __future__ import annotations

import threading
import time

from kivy.clock import Clock
from kivy.metrics import dp
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk import keynav as K
from kiosk import wording as W
from screens.widgets.focus_parts import FocusFrame, _ancestor, _in_order, _pad_of, _plain, _visible, _words  # noqa: F401


class FocusRing:
    """Keypad navigation of whatever is on the display, read aloud by the Terminal's Voice."""

    def __init__(self, app):
        self.app = app
        self.active = False
        self.focused: Widget | None = None
        self.frame = FocusFrame()
        self._filter = K.KeyFilter()
        self._pending = None
        self._settling = False
        self._place: tuple = ()
        self._window = None
        self._tick = None

    def install(self, window) -> None:
        """Listen to the keyboard and follow screen changes and session wipes (call in build())."""
        self._window = window
        window.bind(on_key_down=self._on_key_down)
        self.app.terminal.events.subscribe(self._core_event)

    # -- keys -------------------------------------------------------------------------------------
    def _on_key_down(self, _window, key, _scancode=None, codepoint=None, modifiers=None, *_args) -> bool:
        mods = tuple(modifiers or ())
        action = K.action_for(key, codepoint, mods) or K.action_for(key, codepoint, mods, entry=True)
        if not self._filter.person(time.monotonic()):
            if self._pending is not None:   # a scanner's burst: not a person's key after all
                self._pending.cancel()
                self._pending = None
            return False
        if action is None:
            return False
        self.app.idle.touch()
        # a moment later: a keyboard-wedge scanner's next key comes within 35 ms and cancels it
        self._pending = Clock.schedule_once(lambda _dt: self._run(key, codepoint, mods),
                                           self._filter.max_interval * 1.5)
        return True

    @property
    def busy(self) -> bool:
        """A key waits to be acted on, or a new screen to be laid out before it is read."""
        return self._pending is not None or self._settling

    def _run(self, key: int, codepoint, mods) -> None:
        self._pending = None
        # what a key means is decided now: a digit types in a number field and moves elsewhere
        action = K.action_for(key, codepoint, mods, entry=self.active and self.entry_pad() is not None)
        if action is not None:
            self.perform(action)

    def perform(self, action: str) -> None:
        """Do one navigation action (kiosk/keynav.py) on what is on the display now."""
        if not self.active:
            self.activate()              # the first key only wakes the ring: it says where we are
            if action == K.HELP:
                self.say(K.HELP_TEXT)
            return
        if action.startswith(K.TYPE) or action == K.DELETE:
            self.type_digit(action.removeprefix(K.TYPE) if action != K.DELETE else "")
        elif action == K.ACTIVATE and self.entry_pad() is not None:
            self.confirm()
        elif action == K.NEXT:
            self.move(1)
        elif action == K.PREV:
            self.move(-1)
        elif action == K.ACTIVATE:
            self.press()
        elif action == K.BACK:
            self.back()
        elif action == K.REPEAT:
            self.say(self.heading() + (self._describe(self.focused) if self.focused is not None else ""))
        elif action == K.HELP:
            self.say(K.ENTRY_HELP_TEXT if self.entry_pad() is not None else K.HELP_TEXT)
        elif action == K.READ_ALL:
            self.say(self.read_all())

    # -- the controls on the display ------------------------------------------------------------------
    def root(self) -> Widget | None:
        """What the citizen sees on top: an open dialog, else the current screen."""
        window = self._window
        for child in (window.children if window is not None else []):
            if isinstance(child, ModalView):
                return child
        sm = self.app.sm
        return sm.current_screen if sm is not None else None

    def controls(self) -> list[Widget]:
        """Every control a finger could press, in reading order."""
        root = self.root()
        if root is None:
            return []
        out, skip = [], None
        win_w, win_h = (self._window.width, self._window.height) if self._window is not None else (1e9, 1e9)
        for w in _in_order(root):
            if skip is not None and _ancestor(w, type(skip).__name__) is skip:
                continue
            if not isinstance(w, ButtonBehavior):
                continue
            skip = w                     # a control's own parts are not controls
            if w.width < 2 or w.height < 2 or not _visible(w):
                continue
            if _ancestor(w, "ScrollView") is None:
                x, y = w.to_window(w.x, w.y)
                if x >= win_w or y >= win_h or x + w.width <= 0 or y + w.height <= 0:
                    continue
            out.append(w)
        return out

    def _place_now(self) -> tuple:
        """Where the citizen is: the dialog or screen, and the step of a flow."""
        root = self.root()
        return (id(root), getattr(root, "name", ""), getattr(root, "step_key", ""), getattr(root, "title", ""))

    def heading(self) -> str:
        """What this screen or step is, read when it appears."""
        root = self.root()
        if root is None:
            return ""
        if getattr(root, "name", "") == "attract":
            return K.ATTRACT_TEXT
        if isinstance(root, ModalView):
            return "，".join(_plain(c.text) for c in _in_order(root) if isinstance(c, Label)
                            and not isinstance(c, ButtonBehavior) and _plain(c.text)
                            and _ancestor(c, "BigButton") is None) + "。"
        parts = []
        bar = next((w for w in _in_order(root) if type(w).__name__ == "TopBar"), None)
        title = getattr(bar, "title", "") or getattr(root, "title", "")
        if title:
            parts.append(title)
        if getattr(root, "step_title", ""):
            counter = f"第{root.step_number}步，共{root.steps_total}步：" if getattr(root, "show_counter", False) else ""
            parts.append(counter + root.step_title)
        for attr in ("hint", "error"):
            if getattr(root, attr, ""):
                parts.append(_plain(getattr(root, attr)))
        if not parts:                      # a screen without a title bar (暂停服务): its words
            return self.read_all() if self.controls() or self._has_text(root) else ""
        return "。".join(p.rstrip("。") for p in parts) + "。"

    @staticmethod
    def _has_text(root) -> bool:
        return any(isinstance(w, Label) and _visible(w) and _plain(w.text) for w in _in_order(root))

    def read_all(self) -> str:
        """Every text on the display, in reading order (the receipt number, a tracking answer …)."""
        root = self.root()
        if root is None:
            return ""
        texts = []
        for w in _in_order(root):
            if isinstance(w, Label) and _visible(w) and _plain(w.text) and _plain(w.text) not in texts:
                texts.append(_plain(w.text))
        return "。".join(t.rstrip("。") for t in texts) + "。" if texts else K.NOTHING_TEXT

    def _describe(self, w: Widget) -> str:
        role = K.ROLE_KEY if (_ancestor(w, "Keypad") or _ancestor(w, "PinyinKeyboard")) else K.ROLE_BUTTON
        root = self.root()
        reason = ""
        if w.disabled:
            reason = getattr(w, "reason", "") or (getattr(root, "reason", "")
                                                   if getattr(root, "_next_button", None) is w else "")
        return K.describe(_words(w), role, w.disabled, reason)

    # -- actions --------------------------------------------------------------------------------------
    def activate(self) -> None:
        """Switch the ring on: show the frame, say where the citizen is and how to go on."""
        self.active = True
        if self.frame.parent is None and self._window is not None:
            self._window.add_widget(self.frame)
        self._tick = self._tick or Clock.schedule_interval(lambda _dt: self._follow(), 0.2)
        self.focused = None
        self._arrived()

    def show_control(self, words: str) -> None:
        """On, with the focus on the control that says `words`, read aloud (the tour's photograph of
        the focus frame; staff showing the feature)."""
        if not self.active:
            self.activate()
        self._place = self._place_now()
        self.focused = next((w for w in self.controls() if _words(w) == words), self.focused)
        self._show()
        if self.focused is not None:
            self.say(self._describe(self.focused))

    def deactivate(self) -> None:
        """Off again (the session was wiped): no frame, no focus."""
        self.active = self._settling = False
        self.focused = None
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None
        if self.frame.parent is not None:
            self.frame.parent.remove_widget(self.frame)

    def _arrived(self) -> None:
        """A new screen, step or dialog: read its heading and the first control."""
        self._place = self._place_now()
        controls = self.controls()
        start = [w for w in controls if _words(w) == W.START]     # the attract screen: Enter starts
        pads = [w for w in controls if _pad_of(w) is not None]   # a number step: straight into its field
        self.focused = (start or pads or controls or [None])[0]
        self._show()
        if pads and not start:
            self.say(self.heading() + self._entry_words(_pad_of(self.focused)))
            return
        first = self._describe(self.focused) if self.focused is not None else K.NOTHING_TEXT
        self.say(self.heading() + first)

    def _follow(self) -> None:
        """Every moment while on: notice a new screen or step (also one that came from a background
        answer or a timeout warning), and keep the frame on the focused control."""
        if not self.active:
            return
        if self._place_now() != self._place:
            if not self._settling:        # read it once it is laid out (sizes come a frame later)
                self._settling = True
                Clock.schedule_once(lambda _dt: self._settle(), 0.15)
            return
        if self.focused is not None and self.focused not in self.controls():
            self.focused = self._same_as(self.focused)
        self._show()

    def _settle(self) -> None:
        self._settling = False
        if self.active and self._place_now() != self._place:
            self._arrived()

    def _same_as(self, old: Widget) -> Widget | None:
        """After a step was rebuilt: the control with the same words, else the first."""
        controls = self.controls()
        words = _words(old).removeprefix("已选：")
        for w in controls:
            if _words(w).removeprefix("已选：") == words:
                return w
        return controls[0] if controls else None

    def _show(self) -> None:
        w = self.focused
        if w is not None:
            scroll = _ancestor(w, "ScrollView")
            if isinstance(scroll, ScrollView):
                scroll.scroll_to(w, padding=dp(20), animate=False)
        self.frame.follow(_pad_of(w) or w)      # in a number field the frame goes round the whole field
        if self.frame.parent is not None and self.frame.parent.children[0] is not self.frame:
            parent = self.frame.parent      # a dialog opened above it: the frame goes on top again
            parent.remove_widget(self.frame)
            parent.add_widget(self.frame)

    def move(self, delta: int) -> None:
        """To the next (1) or previous (-1) control, round the end; read it."""
        controls = self.controls()
        if not controls:
            self.focused = None
            self._show()
            self.say(K.NOTHING_TEXT)
            return
        pad = self.entry_pad()
        if pad is not None and self.focused in controls:     # leave the field: past all its keys
            keys = [i for i, w in enumerate(controls) if _pad_of(w) is pad]
            index = (keys[-1] + 1 if delta > 0 else keys[0] - 1) % len(controls)
        elif self.focused in controls:
            index = (controls.index(self.focused) + delta) % len(controls)
        else:
            index = 0 if delta > 0 else len(controls) - 1
        self.focused = controls[index]
        entered = _pad_of(self.focused)
        if entered is not None:                               # into a field: its first key holds the focus
            self.focused = next(w for w in controls if _pad_of(w) is entered)
        self._show()
        self.say(self._entry_words(entered) if entered is not None else self._describe(self.focused))

    # -- a number field: the keypad types ----------------------------------------------------------------
    def entry_pad(self):
        """The number field the focus is in (the on-screen keypad), else None."""
        return _pad_of(self.focused) if self.focused is not None else None

    @staticmethod
    def _entry_words(pad) -> str:
        name = K.field_name(pad.kind, getattr(pad, "field_name", ""))
        status = K.entry_words(pad.value, pad.max_len, secret=pad.secret, exact=not pad.secret) if pad.value else ""
        return K.entry_mode_words(name) + status

    def type_digit(self, digit: str) -> None:
        """A digit key typed into the field (digit ""): Backspace, the last digit deleted; read back."""
        pad = self.entry_pad()
        if pad is None:
            return
        before, exact = pad.value, not pad.secret
        pad.press(digit or "del")
        if not digit:
            self.say(K.deleted_words(pad.value, pad.max_len, before[-1:], pad.secret, exact))
        elif pad.value == before:
            self.say("已经输满了。" + K.entry_words(pad.value, pad.max_len, secret=pad.secret, exact=exact))
        else:
            self.say(K.entry_words(pad.value, pad.max_len, digit, pad.secret, exact))

    def confirm(self) -> None:
        """Enter in a number field: the step's 下一步 (or why not yet); the focus stays in the field."""
        root, keep = self.root(), self.focused
        button = getattr(root, "_next_button", None)
        if button is None or button not in self.controls():     # no 下一步 here: where the field is
            return self.say(self._entry_words(self.entry_pad()))
        self.focused = button
        self.press()
        if button.disabled:
            self.focused = keep
            self._show()

    def press(self) -> None:
        """Press the focused control, as a finger would; a greyed one says why it cannot be pressed."""
        w = self.focused
        if w is None or w not in self.controls():
            self._arrived()
            return
        root = self.root()
        if w.disabled:
            reason = self._describe(w)
            if getattr(root, "_next_button", None) is w and hasattr(root, "error"):
                root.error = getattr(root, "reason", "")     # the same red line a tap shows
            self.say(reason)
            return
        keypad, keyboard = _ancestor(w, "Keypad"), _ancestor(w, "PinyinKeyboard")
        w.trigger_action(duration=0)
        if self._place_now() != self._place:
            self._follow()
            return
        if keypad is not None:
            self.say(K.typed_words(keypad.value, keypad.secret))
        elif keyboard is not None:
            typed = keyboard.text + keyboard.composing
            self.say(f"已输入：{typed}。" if typed else "已清空。")
        else:
            if w not in self.controls():
                self.focused = self._same_as(w)
            self._show()
            self.say(self._describe(self.focused) if self.focused is not None else K.NOTHING_TEXT)

    def back(self) -> None:
        """The fixed back key: the screen's 上一步 where it has one, else the top bar's 返回."""
        controls = self.controls()
        for words in (W.BACK, W.LEAVE):
            target = next((w for w in controls if _words(w) == words and not w.disabled), None)
            if target is not None:
                self.focused = target
                self.press()
                return
        self.say(K.NO_BACK_TEXT + (self._describe(self.focused) if self.focused is not None else ""))

    def say(self, text: str) -> None:
        """Through the Terminal's Voice (headphones); quietly nothing where there is no audio."""
        if text:
            self.app.say(text)

    def _core_event(self, event: str, _data: dict) -> None:
        if event != "session_wiped":
            return
        if threading.current_thread() is threading.main_thread():
            self._wiped()
        else:                            # another thread: the rest happens on the UI thread
            Clock.schedule_once(lambda _dt: self._wiped(), 0)

    def _wiped(self) -> None:
        if self.active:
            self.deactivate()
            self.say(K.WIPED_TEXT + K.ATTRACT_TEXT)


def install(app, window) -> FocusRing:
    """Give the app its focus ring, listening to `window`'s keys (call in build())."""
    app.focus_ring = FocusRing(app)
    app.focus_ring.install(window)
    return app.focus_ring
