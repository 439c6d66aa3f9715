"""Voice: Mandarin speech through espeak-ng, quietly unavailable without an audio device."""
from __future__ import annotations

import shutil

import pytest

from kiosk.voice import Voice

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


@needs_espeak
def test_synthesizes_mandarin_wav():
    wav = Voice().synthesize("第一步，到户籍窗口取一个号。")
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE"
    assert len(wav) > 10_000   # about a second of speech, not an empty file


def test_without_audio_device_say_is_a_quiet_no():
    voice = Voice(audio_check=lambda: False)
    assert not voice.available
    assert voice.say("取号") is False and not voice.speaking


def test_disabled_by_setting(settings):
    voice = Voice(enabled=False, audio_check=lambda: True)
    assert voice.say("取号") is False
    assert Voice.from_settings(settings).enabled is settings.getbool("ui", "voice")


def test_missing_binary_is_unavailable():
    voice = Voice(binary="no-such-espeak", audio_check=lambda: True)
    assert not voice.available and voice.say("取号") is False
    with pytest.raises(RuntimeError):
        voice.synthesize("取号")


@needs_espeak
def test_a_new_utterance_replaces_the_old(tmp_path):
    # with a pretend audio device espeak-ng runs (and fails quietly to open audio, or plays)
    voice = Voice(audio_check=lambda: True)
    assert voice.say("第一步，到户籍窗口取一个号。第二步，把旧身份证交给工作人员。")
    first = voice._proc
    assert voice.say("第三步")
    assert first.poll() is not None   # the first utterance was stopped, not left running
    voice.stop()
    assert not voice.speaking


def test_listeners_hear_what_would_be_said_without_a_speaker():
    """The keypad-and-voice navigation is tested headless: a listener gets each text, heard or not."""
    voice = Voice(audio_check=lambda: False)
    heard = []
    stop = voice.listen(heard.append)
    assert voice.say("下一步，  按钮。") is False          # no speaker here
    voice.say("   ")
    stop()
    voice.say("首页")
    assert heard == ["下一步， 按钮。"]
    muted = Voice(enabled=False, audio_check=lambda: True)
    muted.listen(heard.append)
    muted.say("取号")
    assert heard == ["下一步， 按钮。"], "voice switched off: nothing is said, so nothing is heard"
