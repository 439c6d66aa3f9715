"""The parts of 维护模式 beside the self-check: the self-test results with the live picture, the event
log, the export of the diagnostics bundle and the touch grid. All logic is in kiosk/maintenance; these
are views. MaintenanceScreen (screens/maintenance.py) mixes in SelfTestPanes."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.graphics import Color, Ellipse, Line
from kivy.graphics.texture import Texture
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout

from kiosk.maintenance import bundle
from kiosk.maintenance.eventlog import EventLog
from kiosk.maintenance.results import LEVEL_WORDS, Result, for_terminal
from kiosk.maintenance.selftests import BY_KEY, TESTS, run_test
from kiosk.maintenance.system_tests import TouchGrid

log = logging.getLogger(__name__)
PREVIEW_WIDTH = 480


class TouchGridView(FloatLayout):
    """Targets to tap over the whole screen, corners included; each turns green when hit."""
    opaque_overlay = True   # it paints its whole box: the audit (screens/widgets/audit.py) skips what is under it
    message = StringProperty("请依次点每一个圆点，四个角都要点到")
    grid = ObjectProperty(None, allownone=True)
    on_done = ObjectProperty(None, allownone=True)
    hits = NumericProperty(0)

    def start(self, width: float, height: float) -> None:
        """A fresh grid for a screen of this size (pixels)."""
        from kivy.metrics import dp
        self.grid = TouchGrid(width, height, margin=dp(60), radius=dp(55))
        self.hits = 0
        self.redraw()

    def redraw(self, *_args) -> None:
        """Draw the targets: open rings, filled green once hit."""
        from kivy.app import App
        app = App.get_running_app()
        self.canvas.after.clear()
        if self.grid is None:
            return
        r = self.grid.radius
        with self.canvas.after:
            for i, (x, y) in enumerate(self.grid.targets):
                hit = i in self.grid.hit
                Color(*(app.col_ok if hit else app.col_primary))
                if hit:
                    Ellipse(pos=(x - r * 0.6, y - r * 0.6), size=(r * 1.2, r * 1.2))
                Line(circle=(x, y, r * 0.6), width=4)
                Line(circle=(x, y, 6), width=3)

    def on_touch_down(self, touch):
        """A tap on a target counts; the 结束 button in the middle still works."""
        if self.ids.stop.collide_point(*touch.pos):
            return super().on_touch_down(touch)
        if self.grid is not None:
            self.grid.tap(*touch.pos)
            self.hits = len(self.grid.hit)
            self.redraw()
            if self.grid.done:
                Clock.schedule_once(lambda _dt: self.finish(), 0.2)
        return True

    def finish(self) -> None:
        """Hand the grid's result to whoever opened it."""
        if self.on_done is not None and self.grid is not None:
            done, self.on_done = self.on_done, None
            done(self.grid.result())


class SelfTestPanes:
    """Mixed into MaintenanceScreen: the self-test buttons, results, event log and export."""

    result_title = StringProperty("")
    result_words = StringProperty("")
    result_level = StringProperty("ok")
    result_summary = StringProperty("请点上面的一项开始测试")
    result_lines = StringProperty("")
    result_state = StringProperty("")
    running = StringProperty("")          # key of the test running now
    event_lines = ListProperty([])
    export_message = StringProperty("")
    export_targets = ListProperty([])
    pane = StringProperty("checks")       # checks | tests | events | export

    def build_test_buttons(self) -> None:
        """One button per self-test (kiosk/maintenance/selftests.TESTS)."""
        box = self.ids.test_buttons
        box.clear_widgets()
        for test in TESTS:
            button = Factory.BigButton(text=test.title, primary=False, size_hint_y=1)   # the grid's row height
            button.bind(on_release=lambda _b, key=test.key: self.start_test(key))
            box.add_widget(button)

    def show_pane(self, pane: str) -> None:
        """自检结果 / 逐项测试 / 事件记录 / 导出诊断包: one pane in the tree at a time."""
        self.pane = pane
        side = self.ids.side
        for name, widget in self._side_panes.items():
            if name != pane and widget.parent is not None:
                side.remove_widget(widget)
        if self._side_panes[pane].parent is None:
            side.add_widget(self._side_panes[pane])
        if pane == "events":
            self.show_events()
        elif pane == "export":
            self.find_targets()

    # -- self-tests ------------------------------------------------------------------------------
    def start_test(self, key: str, background: bool = True) -> None:
        """Run one self-test off the UI thread; the touch test opens the grid instead. A press while a
        test waits (for a card, a code) stops that test; the next press starts the new one."""
        if self.running:
            cancel = getattr(self, "_cancel", None)
            if cancel is not None:
                cancel.set()
            return
        test = BY_KEY[key]
        self.show_pane("tests")      # its result shows there
        self.running = key
        self.result_title, self.result_words, self.result_level = test.title, "测试中", "ok"
        self.result_summary, self.result_lines, self.result_state = test.prompt, "", ""
        self._clear_picture()
        if key == "touch":
            self.open_touch_grid()
            return
        self._cancel = threading.Event()
        ctx = for_terminal(self.app.terminal, frame=self._frame_arrived, cancel=self._cancel)

        def work():
            result = run_test(key, ctx)
            Clock.schedule_once(lambda _dt: self.show_result(result), 0)
        if background:
            threading.Thread(target=work, name=f"selftest-{key}", daemon=True).start()
        else:
            self.show_result(run_test(key, ctx))

    def show_result(self, result: Result) -> None:
        """A finished test: plain words big, the standard state small, logged without card fields."""
        self.running = ""
        test = BY_KEY[result.test]
        self.result_title, self.result_words, self.result_level = test.title, LEVEL_WORDS[result.level], result.level
        self.result_summary = result.summary
        self.result_lines = "    ".join(result.lines)
        self.result_state = f"{result.test} · {result.state or '-'} · {result.seconds} s"
        self.app.terminal.eventlog.add("selftest", f"{test.title}：{LEVEL_WORDS[result.level]}（{result.summary}）"
                                       if result.test not in ("idcard", "sscard") else
                                       f"{test.title}：{LEVEL_WORDS[result.level]}", result.test, result.level)
        self.last_results = {**getattr(self, "last_results", {}), result.test: result.as_dict(with_lines=False)}

    def stop_test(self) -> None:
        """Leaving the screen: a test waiting for a card stops waiting."""
        cancel = getattr(self, "_cancel", None)
        if cancel is not None:
            cancel.set()
        if getattr(self, "_touch_view", None) is not None and self._touch_view.parent is not None:
            self.remove_widget(self._touch_view)
        self.running = ""

    def _frame_arrived(self, frame) -> None:
        # a device thread: make the preview small here, hand it to the UI thread
        import cv2
        h, w = frame.shape[:2]
        small = cv2.resize(frame, (PREVIEW_WIDTH, max(1, int(PREVIEW_WIDTH * h / w))))
        first = getattr(self, "_preview", None) is None
        self._preview = small
        if first:
            Clock.schedule_once(lambda _dt: self._show_picture(), 0)

    def _show_picture(self) -> None:
        frame, self._preview = getattr(self, "_preview", None), None
        if frame is None:
            return
        h, w = frame.shape[:2]
        texture = Texture.create(size=(w, h), colorfmt="bgr")
        texture.blit_buffer(frame[::-1].tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self.ids.picture.texture = texture
        self.ids.picture.opacity = 1
        if self.running in ("camera", "doccam"):
            Clock.schedule_once(lambda _dt: self._show_picture(), 0.1)

    def _clear_picture(self) -> None:
        self._preview = None
        self.ids.picture.texture = None
        self.ids.picture.opacity = 0

    # -- touch -----------------------------------------------------------------------------------
    def open_touch_grid(self) -> None:
        """The grid over the whole screen; its result comes back to the result panel."""
        view = getattr(self, "_touch_view", None)
        if view is None:
            view = self._touch_view = Factory.TouchGridView()
        view.on_done = self._touch_done
        view.start(self.width, self.height)
        if view.parent is None:
            self.add_widget(view)

    def _touch_done(self, result: Result) -> None:
        if self._touch_view.parent is not None:
            self.remove_widget(self._touch_view)
        self.show_result(result)

    # -- event log -------------------------------------------------------------------------------
    def show_events(self) -> None:
        """The newest 60 entries, newest first, as staff read them."""
        entries = self.app.terminal.eventlog.entries(60)
        self.event_lines = [EventLog.line(e) for e in entries] or ["还没有记录"]
        self.ids.event_list.set_rows([Factory.EventRow(text=line) for line in self.event_lines])

    # -- export ----------------------------------------------------------------------------------
    def find_targets(self) -> None:
        """USB sticks mounted now, and the configured folder."""
        targets = [(f"U 盘 {p.name}", str(p)) for p in bundle.removable_targets()]
        folder = self.app.settings.get("staff", "export_dir") or str(Path(self.app.settings.data_dir) / "export")
        targets.append(("本机文件夹", folder))
        self.export_targets = targets
        box = self.ids.export_buttons
        box.clear_widgets()
        for words, path in targets:
            button = Factory.BigButton(text=f"导出到{words}", primary=False)
            button.bind(on_release=lambda _b, p=path: self.export_to(p))
            box.add_widget(button)
        if not self.export_message:
            self.export_message = "没有找到 U 盘。插上 U 盘后点「导出诊断包」再看一次。" if len(targets) == 1 else \
                "请选择导出到哪里。诊断包不含群众信息和密码。"

    def export_to(self, path: str, background: bool = True) -> None:
        """Write the redacted zip there (off the UI thread) and say where it went."""
        self.export_message = "正在导出……"
        terminal = self.app.terminal
        results = list(getattr(self, "last_results", {}).values())

        def work():
            try:
                folder = Path(path)
                if not folder.exists() and not str(folder).startswith(bundle.REMOVABLE_ROOTS):
                    folder.mkdir(parents=True, mode=0o700)
                check = terminal.diagnose()
                check["selftests"] = results
                zipped = bundle.export(folder, terminal.settings, check, terminal.eventlog.entries())
                words = f"已导出 {zipped.name}（{max(1, zipped.stat().st_size // 1024)} KB）到 {folder}"
                terminal.eventlog.add("staff", f"诊断包已导出到 {folder}", "export")
            except OSError as exc:
                log.warning("diagnostics export to %s failed: %s", path, type(exc).__name__)
                words = "导出失败：U 盘或文件夹不能写入（已满、只读或已拔出），请换一个再试"
            Clock.schedule_once(lambda _dt: setattr(self, "export_message", words), 0)
        threading.Thread(target=work, name="diag-export", daemon=True).start() if background else work()
