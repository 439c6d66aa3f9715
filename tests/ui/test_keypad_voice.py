"""无障碍: a blind citizen with headphones and a numeric keypad, driven through Window key events;
the tests assert what the Terminal's Voice is asked to say (kiosk/voice.py listeners), in order."""
from __future__ import annotations

import time

import pytest

from kiosk import keynav as K

pytestmark = pytest.mark.ui

ENTER, KP2, KP8, KP0, BACKSPACE, STAR, DOT = 271, 258, 264, 256, 8, 268, 266
KP_PLUS, KP_SLASH, KP_DIGIT = 270, 267, [256 + d for d in range(10)]


class Keys:
    """Presses keypad keys the way a person does (slower than a scanner) and collects what is said."""

    def __init__(self, app, ui):
        self.app, self.ui = app, ui
        self.heard: list[str] = []
        self._stop = app.voice.listen(self.heard.append)

    def press(self, key: int, codepoint: str | None = None) -> str:
        """One key; returns what was said because of it (joined)."""
        from kivy.core.window import Window
        before = len(self.heard)
        time.sleep(0.06)                  # a person, not a keyboard-wedge scanner
        Window.dispatch("on_key_down", key, 0, codepoint, [])
        Window.dispatch("on_key_up", key, 0)
        ring = self.app.focus_ring
        self.ui.wait_until(lambda: not ring.busy, timeout=5)
        self.ui.frames(2)
        return " ".join(self.heard[before:])

    def step_to(self, words: str, limit: int = 80) -> str:
        """Press 2 until the control with `words` is read; returns what was read for it."""
        for _ in range(limit):
            said = self.press(KP2)
            if said.startswith(words):
                return said
        raise AssertionError(f"never reached {words!r}; last heard {self.heard[-3:]}")

    def close(self):
        self._stop()


@pytest.fixture
def keys(kiosk_app):
    app, ui = kiosk_app
    k = Keys(app, ui)
    yield k
    k.close()
    app.focus_ring.deactivate()


def test_from_the_attract_screen_to_a_service_by_keypad(kiosk_app, keys):
    app, ui = kiosk_app
    assert app.sm.current == "attract" and not app.focus_ring.active
    said = keys.press(ENTER)                       # any key: the terminal says how to start
    assert "请按回车键开始" in said and said.endswith("点这里开始，按钮。")
    assert app.sm.current == "attract", "the first key only wakes the voice"
    frame = app.focus_ring.frame
    assert frame.parent is not None and frame.opacity == 1, "the focus frame is visible"
    said = keys.press(ENTER)
    assert app.sm.current == "home" and said.startswith("请选择您要办的事。")
    # every control of the home screen in reading order: the top bar, then the tiles
    first = app.focus_ring._describe(app.focus_ring.focused)
    assert first == "首页，按钮。"
    order = [keys.press(KP2) for _ in range(3)]
    assert order == ["长辈模式：关，按钮。", "呼叫帮办，按钮。", order[2]]
    assert order[2].startswith("办事指南") and order[2].endswith("按钮。")
    assert keys.press(KP8) == "呼叫帮办，按钮。"
    assert keys.press(KP0).startswith("请选择您要办的事。") and keys.heard[-1].endswith("呼叫帮办，按钮。")
    assert "按8或减号" in keys.press(STAR)
    # the controls are all reachable: one round returns to the first
    controls = app.focus_ring.controls()
    assert len(controls) >= 8
    seen = [keys.press(KP2) for _ in range(len(controls))]
    assert seen[-1] == "呼叫帮办，按钮。" and len(set(seen)) == len(controls)


def test_a_phone_number_is_typed_on_the_keypad_like_a_terminal(kiosk_app, keys):
    app, ui = kiosk_app
    app.start_service("appointment")
    ui.frames()
    screen = app.sm.current_screen
    flow = screen.flow
    flow.state.department = flow.departments()[0][0]
    flow.state.day = flow.days()[0][0]
    flow.state.half = "am"
    for _ in range(3):
        flow.next()
    screen.refresh()
    ui.frames(2)
    assert screen.step_key == "phone"
    said = keys.press(KP2)                          # wakes: the step, then straight into its number field
    assert said.startswith("预约取号。第4步，共5步：留个手机号。预约好了会发短信提醒您。")
    assert said.endswith("请用数字键输入手机号，按回车确认。")
    ring = app.focus_ring
    assert ring.entry_pad() is not None and ring.frame.opacity == 1
    # the digit keys TYPE (keypad and main row alike), each read back with the count
    assert keys.press(KP_DIGIT[1]) == "1。已输入1位，还差10位。"
    assert keys.press(KP_DIGIT[3]) == "3。已输入2位，还差9位。"
    assert keys.press(ord("8"), "8") == "8。已输入3位，还差8位。"
    assert flow.state.phone == "138"
    said = keys.press(ENTER)                        # not yet: why, and the focus stays in the field
    assert said == "下一步，按钮，不可用，手机号是11位，还差8位。" and screen.step_key == "phone"
    assert screen.error == "手机号是11位，还差8位。", "the same red line a tap shows"
    assert ring.entry_pad() is not None
    assert keys.press(BACKSPACE) == "删掉了8。已输入2位，还差9位。" and flow.state.phone == "13"
    for digit in "800138000":
        said = keys.press(KP_DIGIT[int(digit)])
    assert said == "0。已输入11位，输完了，按回车确认。" and flow.state.phone == "13800138000"
    assert keys.press(KP_DIGIT[5]).startswith("已经输满了。") and flow.state.phone == "13800138000"
    # + leaves the field (normal navigation again), - comes back into it
    said = keys.press(KP_PLUS)
    assert ring.entry_pad() is None and said.endswith("按钮。") and not said[0].isdigit()
    assert keys.press(KP8) == "请用数字键输入手机号，按回车确认。已输入11位，输完了，按回车确认。"
    said = keys.press(ENTER)                        # Enter confirms: on to the next step
    assert screen.step_key != "phone" and said.startswith("预约取号。第5步")
    said = keys.press(KP_SLASH)                     # the fixed back key: 上一步, into the field again
    assert screen.step_key == "phone" and "请用数字键输入手机号" in said


def test_the_pinyin_keyboard_by_keypad(kiosk_app, keys):
    app, ui = kiosk_app
    app.go("guide_search")
    ui.frames(3)
    keys.press(KP2)                                  # wakes: title and first control
    for letter in "SFZ":
        assert keys.step_to(letter) == f"{letter}，键。"
        said = keys.press(ENTER)
    assert said == "已输入：sfz。"
    said = keys.step_to("身份证")
    keys.press(ENTER)
    keyboard = app.sm.current_screen.ids.keyboard
    assert keyboard.text.startswith("身份证") and keys.heard[-1].startswith("已输入：身份证")


def test_the_timeout_warning_is_read_and_a_wipe_says_so(kiosk_app, keys):
    app, ui = kiosk_app
    app.go("home")
    keys.press(KP2)
    app.idle.clock.t += app.idle.timeout - app.idle.warning + 1     # nobody touched anything for a while
    deadline = time.monotonic() + 3
    while not any("您还在吗" in h for h in keys.heard) and time.monotonic() < deadline:
        ui.frames(1)
        time.sleep(0.05)
    said = [h for h in keys.heard if "您还在吗" in h][-1]
    assert said.endswith("我还需要时间，按钮。")
    keys.press(ENTER)
    ui.frames(3)
    assert app._warning.parent is None and app.sm.current == "home", "still here: the visit goes on"
    app.end_session()
    ui.frames(3)
    assert keys.heard[-1] == K.WIPED_TEXT + K.ATTRACT_TEXT
    assert not app.focus_ring.active and app.focus_ring.frame.parent is None


def test_a_scanner_burst_moves_nothing(kiosk_app, keys):
    from kivy.core.window import Window
    app, ui = kiosk_app
    app.go("home")
    keys.press(KP2)
    focused = app.focus_ring.focused
    before = len(keys.heard)
    for ch in "2525252\r":                          # a keyboard-wedge scanner: all within a few ms
        Window.dispatch("on_key_down", 13 if ch == "\r" else ord(ch), 0, ch, [])
    time.sleep(0.1)
    ui.frames(3)
    assert app.sm.current == "home" and app.focus_ring.focused is focused and len(keys.heard) == before


@pytest.mark.timeout(900)   # every tour state of every screen
def test_every_screen_state_can_be_used_by_keypad(kiosk_app):
    """Each tour state of each screen (the same list the accessibility audit walks): the ring finds the
    controls a finger could press, each is read with words (never an empty 'button'), and the screen has
    a heading to read when it appears (a screen with nothing to press, such as 暂停服务, is read whole)."""
    from screens import SCREENS
    from screens.tour import all_tour_states, show_state
    from screens.widgets.focus_ring import _words
    app, ui = kiosk_app
    ring = app.focus_ring
    unread, visited = [], 0
    for name, suffix, state in all_tour_states():
        app.end_session()
        show_state(app, name, state)
        ui.frames(4)
        visited += 1
        controls = ring.controls()
        if not ring.heading():
            unread.append(f"{name}{suffix}: no heading")
        unread += [f"{name}{suffix}: a control without words ({type(w).__name__})"
                   for w in controls if not _words(w)]
    app.end_session()
    assert visited >= len(SCREENS)
    assert not unread, "\n".join(unread)
