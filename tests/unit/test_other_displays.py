"""[ui] other_displays and the process manager, without a display (the windows: tests/ui/test_other_displays.py)."""
from __future__ import annotations

import sys
import time

import pytest

from kiosk.maintenance.other_displays import OtherDisplay, OtherDisplays, parse


def test_parse_names_and_rectangles():
    assert parse("") == []
    assert parse(":0.1, :0 1920x1080+1920+0 ,host:2") == [
        OtherDisplay(":0.1"), OtherDisplay(":0", (1920, 1080, 1920, 0)), OtherDisplay("host:2")]
    assert parse(":0 1920x1080+1920+0")[0].label == ":0 1920x1080+1920+0"
    for bad in ("0.1", ":0 1920x1080", ":0 0x1080+0+0", "a b:1"):
        with pytest.raises(ValueError, match="other_displays"):
            parse(bad)


def test_a_child_that_cannot_start_or_dies_is_noted_in_plain_words():
    notes = []
    manager = OtherDisplays(parse(":5"), lambda d: ["/nonexistent/python"],
                            note=lambda text, level: notes.append((text, level)))
    manager.show({"status": "工作人员正在维护"})      # returns at once, never raises
    assert notes == [("另一块显示屏 :5 没能显示“暂停服务”：显示程序没能启动", "warn")]
    notes.clear()
    manager = OtherDisplays(parse(":5"), lambda d: [sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)"],
                            note=lambda text, level: notes.append((text, level)))
    manager.show({"status": "x"})
    assert manager.wait_gone(10)
    assert notes == [("另一块显示屏 :5 没能显示“暂停服务”：连接不上这块显示屏", "warn")]


def test_hide_stops_a_child_and_notes_nothing():
    notes = []
    echo = "import sys\nfor line in sys.stdin: print(line.strip(), flush=True)\n"
    manager = OtherDisplays(parse(":5"), lambda d: [sys.executable, "-c", echo],
                            note=lambda text, level: notes.append(text))
    manager.show({"status": "一"})
    manager.show({"status": "二"})          # the running child gets the new words, no second child
    assert len(manager.children) == 1
    (child,) = manager.children.values()
    deadline = time.monotonic() + 10
    while '{"status": "二"}' not in child.output:
        assert time.monotonic() < deadline, "the child never got the new words"
        time.sleep(0.02)
    manager.hide()
    assert manager.wait_gone(10) and child.proc.returncode is not None
    assert notes == []
