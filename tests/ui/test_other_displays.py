"""暂停服务 on the terminal's other displays: a second Xvfb stands for the customer-facing monitor; the
real app enters and leaves staff mode, and a grab of that display from outside (Pillow over XCB) shows
whether the 暂停服务 picture is really there. The child process must be gone afterwards, also when the
process that started it is killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.theme import COLOURS

pytestmark = pytest.mark.ui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def second_display():
    """An 800x600 X server on a free display number, as a second monitor would be."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    proc.terminate()
    proc.wait(10)


def _near(pixel, colour, tolerance=12):
    return all(abs(p - round(c * 255)) <= tolerance for p, c in zip(pixel, colour[:3]))


def _grab(display: str):
    """A picture of the whole X screen; a connection the busy server refused once is tried again."""
    from PIL import ImageGrab
    for attempt in range(20):
        try:
            return ImageGrab.grab(xdisplay=display).convert("RGB")
        except OSError:
            if attempt == 19:
                raise
            time.sleep(0.1)


def shows_out_of_service(display: str) -> bool:
    """The grab of `display` has the 暂停服务 picture's colours: mostly the page colour, the blue
    pictogram and dark title text — an empty X screen is black."""
    image = _grab(display)
    total = image.width * image.height
    counts = {"bg": 0, "blue": 0, "text": 0}
    for count, pixel in image.getcolors(total):
        for key, name in (("bg", "col_bg"), ("blue", "col_primary"), ("text", "col_fg")):
            if _near(pixel, COLOURS[name][0]):
                counts[key] += count
    return counts["bg"] > total * 0.6 and counts["blue"] > total * 0.002 and counts["text"] > total * 0.002


def alive(pid: int) -> bool:
    """A process that still runs (a zombie nobody reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.fixture
def other_displays(kiosk_app):
    app, _ui = kiosk_app
    before = app.settings.get("ui", "other_displays")

    def configure(value: str):
        app.settings._p.set("ui", "other_displays", value)
    yield configure
    configure(before)
    follower = getattr(app, "other_displays", None)
    if follower is not None:
        follower.manager.hide()
        assert follower.manager.wait_gone(10)


def _unlock(ui, screen):
    ui.type_digits("2580", root=screen.ids.pin_pad)   # the demo PIN
    ui.tap(ui.button("确定"))
    ui.wait_until(lambda: not screen.checking)
    ui.frames(2)
    assert screen.unlocked


def test_staff_mode_shows_out_of_service_on_the_other_display(kiosk_app, second_display, other_displays):
    app, ui = kiosk_app
    assert not shows_out_of_service(second_display), "an empty screen before"
    other_displays(second_display)
    app.go("maintenance")
    ui.frames(3)
    manager = app.other_displays.manager
    assert app.sm.current == "maintenance", "staff mode never waits for the other displays"
    ui.wait_until(lambda: manager.children and all(c.ready.is_set() for c in manager.children.values()),
                  timeout=60)
    (child,) = manager.children.values()
    pid = child.proc.pid
    ui.wait_until(lambda: shows_out_of_service(second_display), timeout=10)
    screen = app.sm.current_screen
    _unlock(ui, screen)
    assert shows_out_of_service(second_display) and alive(pid), "still shown while staff work"
    seen = []                              # still there while the self-check runs after leaving
    record = lambda _sm, name: seen.append((name, alive(pid)))   # noqa: E731
    app.sm.bind(current=record)
    try:
        ui.tap(ui.button("退出维护"))
        ui.wait_until(lambda: app.sm.current == "attract", timeout=30)
    finally:
        app.sm.unbind(current=record)
    assert seen[0] == ("out_of_service", True) and seen[-1][0] == "attract"
    assert manager.wait_gone(10), "the display process stops with the attract screen"
    assert not alive(pid)
    _wait_blank(second_display)


def _wait_blank(display: str) -> None:
    """The X server takes the window away once it has noticed its client left (a moment later)."""
    deadline = time.monotonic() + 5
    while shows_out_of_service(display):
        assert time.monotonic() < deadline, "暂停服务 stayed on the public screen"
        time.sleep(0.05)


def test_a_display_that_fails_is_an_event_log_line_and_staff_mode_goes_on(kiosk_app, other_displays):
    app, ui = kiosk_app
    for value, words in ((":59999", "连接不上这块显示屏"), ("not-a-display", "设置有误")):
        other_displays(value)
        app.go("maintenance")
        ui.frames(3)
        assert app.sm.current == "maintenance" and not app.sm.current_screen.unlocked
        ui.wait_until(lambda: any(words in e["text"] for e in app.terminal.eventlog.entries(limit=5)),
                      timeout=30)
        app.end_session()
        ui.frames(3)
        assert not app.other_displays.manager.children


ORPHAN_PARENT = """
import sys, time
from kiosk.maintenance.other_displays import OtherDisplays, parse
from kiosk.settings import load_settings
from screens.other_displays import child_argv
settings = load_settings(env={}, overrides={("storage", "data_dir"): sys.argv[2]})
manager = OtherDisplays(parse(sys.argv[1]), lambda d: child_argv(settings, d))
manager.show({"status": "工作人员正在维护", "help_phone": ""})
assert manager.wait_ready(60), "the display did not come up"
print(next(iter(manager.children.values())).proc.pid, flush=True)
time.sleep(300)
"""


def test_no_orphan_when_the_terminal_process_is_killed(second_display, tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_PARENT, second_display, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        pid = int(parent.stdout.readline())
        deadline = time.monotonic() + 10
        while not shows_out_of_service(second_display):
            assert time.monotonic() < deadline, "暂停服务 never showed"
            time.sleep(0.1)
        os.kill(parent.pid, signal.SIGKILL)          # a crash: nobody says goodbye
        parent.wait(10)
        deadline = time.monotonic() + 10
        while alive(pid):
            assert time.monotonic() < deadline, "the display process outlived the terminal"
            time.sleep(0.05)
        _wait_blank(second_display)
    finally:
        if parent.poll() is None:
            parent.kill()
