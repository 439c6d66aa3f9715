"""Kivy draws Chinese with the Simplified Chinese face of Debian's Noto CJK collection, not its first
(Japanese) face (screens/kivy_env.find_font / sc_face)."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from screens.kivy_env import FONT_CANDIDATES, find_font, sc_face

COLLECTION = next((p for p in FONT_CANDIDATES if p.endswith(".ttc") and Path(p).is_file()), None)
pytestmark = pytest.mark.skipif(COLLECTION is None, reason="no Noto CJK collection installed")
GATE = 0x95E8    # 门: its Japanese and Chinese forms differ


def _outline(font, char: int) -> bytes:
    glyph_set = font.getGlyphSet()
    name = font.getBestCmap()[char]
    from fontTools.pens.recordingPen import RecordingPen
    pen = RecordingPen()
    glyph_set[name].draw(pen)
    return repr(pen.value).encode()


def test_the_chinese_face_is_taken_out_once_and_used(tmp_path):
    regular, bold = find_font("", tmp_path)
    assert Path(regular).parent == tmp_path and Path(bold).parent == tmp_path
    chosen = TTFont(regular)
    assert chosen["name"].getDebugName(1) == "Noto Sans CJK SC"
    faces = TTCollection(COLLECTION).fonts
    japanese = next(f for f in faces if f["name"].getDebugName(1).endswith(" JP"))
    chinese = next(f for f in faces if f["name"].getDebugName(1).endswith(" SC"))
    assert _outline(chosen, GATE) == _outline(chinese, GATE) != _outline(japanese, GATE)
    made = os.stat(regular).st_mtime_ns
    assert find_font("", tmp_path)[0] == regular and os.stat(regular).st_mtime_ns == made   # not made again
    assert not list(tmp_path.glob("*.part"))


def test_a_new_collection_replaces_the_old_face_file(tmp_path):
    old = tmp_path / "NotoSansCJK-Regular-SC-1-1.otf"
    old.write_bytes(b"left by an older fonts-noto-cjk")
    regular = sc_face(COLLECTION, tmp_path)
    assert not old.exists() and Path(regular).is_file()


def test_a_damaged_collection_falls_back_to_the_file_itself(tmp_path, caplog):
    broken = tmp_path / "Broken-Regular.ttc"
    broken.write_bytes(b"ttcf" + b"\0" * 64)
    with caplog.at_level(logging.WARNING):
        assert sc_face(str(broken), tmp_path / "cache") == str(broken)
    assert "first face is used" in caplog.text
    assert sc_face(__file__, tmp_path) == __file__          # not a collection: used as it is
