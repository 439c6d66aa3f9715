"""The keymap of the keypad-and-voice navigation (kiosk/keynav.py), without Kivy."""
from kiosk import keynav as K


def test_keypad_keys_with_and_without_numlock():
    # keypad 2/8 with NumLock, the arrows it sends without; + and - of the keypad and the main row
    assert [K.action_for(k) for k in (258, 274, 270, 43)] == [K.NEXT] * 4
    assert [K.action_for(k) for k in (264, 273, 269, 45)] == [K.PREV] * 4
    assert K.action_for(13) == K.action_for(271) == K.action_for(261) == K.ACTIVATE
    assert K.action_for(8) == K.action_for(267) == K.BACK
    assert K.action_for(256) == K.action_for(277) == K.REPEAT
    assert K.action_for(268) == K.HELP and K.action_for(61, "+") == K.NEXT   # Shift+= on a laptop row
    assert K.action_for(97, "a") is None                                      # letters are not ours
    assert K.action_for(258, modifiers=["ctrl"]) is None                      # chords go to the kiosk lock


def test_a_control_is_read_with_its_role_and_state():
    assert K.describe("首页") == "首页，按钮。"
    assert K.describe("下一步", disabled=True, reason="手机号是11位，还差4位。") == \
        "下一步，按钮，不可用，手机号是11位，还差4位。"
    assert K.typed_words("1380") == "已输入4位：1 3 8 0。"
    assert K.typed_words("2580", secret=True) == "已输入4位。" and K.typed_words("") == "已清空。"


def test_a_scanner_burst_is_not_a_person():
    f = K.KeyFilter(0.035)
    assert f.person(10.0) and f.person(10.5)             # a person: half a second apart
    assert not f.person(10.51) and not f.person(10.52)   # a wedge scanner: 10 ms apart
    assert f.person(11.0)
