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


def test_in_a_number_field_the_digits_type():
    assert K.action_for(258) == K.NEXT and K.action_for(258, entry=True) == K.TYPE + "2"
    assert [K.action_for(k, entry=True) for k in (256, 261, 48, 55)] == ["type:0", "type:5", "type:0", "type:7"]
    assert K.action_for(8, entry=True) == K.DELETE and K.action_for(267, entry=True) == K.BACK
    assert K.action_for(270, entry=True) == K.NEXT and K.action_for(45, "-", entry=True) == K.PREV
    assert K.action_for(274, entry=True) == K.NEXT and K.action_for(271, entry=True) == K.ACTIVATE
    assert K.action_for(266, entry=True) == K.READ_ALL and K.action_for(268, entry=True) == K.HELP
    assert K.action_for(50, "2", ["ctrl"], entry=True) is None


def test_a_number_field_is_read_back_digit_by_digit_with_the_count():
    assert K.entry_mode_words(K.field_name("phone")) == "请用数字键输入手机号，按回车确认。"
    assert K.field_name("plain") == "号码" and K.field_name("phone", "回执上的办件号") == "回执上的办件号"
    assert K.entry_words("1380013", 11, "3") == "3。已输入7位，还差4位。"
    assert K.entry_words("13800138000", 11, "0") == "0。已输入11位，输完了，按回车确认。"
    assert K.entry_words("25", 6, "5", secret=True, exact=False) == "已输入2位。"
    assert K.deleted_words("13", 11, "8") == "删掉了8。已输入2位，还差9位。"
    assert K.deleted_words("", 11, "1") == "删掉了1。已清空。" and K.deleted_words("", 11, "") == "没有可以删的了。"
