"""The self-tests staff run on the maintenance screen, in screen order, and how to run them.

    result = run_test("network", ctx)            # one test (blocking: run it off the UI thread)
    results = run_unattended(ctx)                # every test that needs no person (diagnose --selftest)

The touch test is the screen's own (a grid of targets, kiosk/maintenance/system_tests.TouchGrid);
it is listed here so that the screen shows it in its place, and it is left out without a person.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable

from kiosk.maintenance import device_tests, system_tests
from kiosk.maintenance.results import FAIL, OK, WARN, Context, Result, timed


@dataclasses.dataclass(frozen=True)
class SelfTest:
    """One button of the maintenance screen."""
    key: str
    title: str                      # what staff read on the button
    prompt: str                     # what staff do while it runs
    run: Callable[[Context], Result] | None
    section: str | None = None      # the device's config section, when it is a device
    needs_person: bool = False      # a card to lay, a code to scan, targets to tap


TESTS: tuple[SelfTest, ...] = (
    SelfTest("idcard", "身份证读卡器", "请把一张身份证平放在读卡区", device_tests.idcard, "idcard", True),
    SelfTest("sscard", "社保卡读卡器", "请把一张社保卡芯片朝上插入读卡口", device_tests.sscard, "sscard", True),
    SelfTest("camera", "扫码摄像头", "请看下面的画面是否清楚", functools.partial(device_tests.camera, section="camera"),
             "camera"),
    SelfTest("doccam", "高拍仪", "请看下面的画面是否清楚", functools.partial(device_tests.camera, section="doccam"),
             "doccam"),
    SelfTest("scanner", "扫码器", "请把任意一个二维码对准扫码窗口", device_tests.scanner, "scanner", True),
    SelfTest("receipt", "凭条打印机", "正在打印一张测试凭条", functools.partial(device_tests.printer, which="receipt"),
             "receipt"),
    SelfTest("a4", "A4 打印机", "正在打印一张 A4 测试页", functools.partial(device_tests.printer, which="a4"),
             "printer"),
    SelfTest("touch", "触摸屏", "请依次点屏幕上的每一个圆点，四个角都要点到", None, None, True),
    SelfTest("sound", "声音", "请听喇叭里的一句话", system_tests.sound),
    SelfTest("network", "网络与平台", "正在连接平台", system_tests.network),
    SelfTest("storage", "存储", "正在检查剩余空间和待发数据库", system_tests.storage),
)
BY_KEY = {t.key: t for t in TESTS}


def run_test(key: str, ctx: Context) -> Result:
    """Run one self-test; never raises (an unexpected error is a failed test)."""
    test = BY_KEY[key]
    if test.run is None:
        return Result(key, WARN, "这一项要在维护屏幕上做")
    return timed(key, lambda: test.run(ctx))


def run_unattended(ctx: Context, keys: list[str] | None = None) -> list[Result]:
    """Every self-test that needs nobody at the terminal (people-tests do their status query)."""
    ctx = dataclasses.replace(ctx, person=False)
    return [run_test(t.key, ctx) for t in TESTS if t.run is not None and (keys is None or t.key in keys)]


def as_checks(results: list[Result]) -> list[dict[str, Any]]:
    """Self-test results as checks of the diagnose report ({check, level, state, detail} + figures)."""
    return [{"check": f"selftest:{r.test}", "level": r.level, "state": r.state, "detail": r.summary,
             "figures": r.figures} for r in results]


__all__ = ["TESTS", "BY_KEY", "SelfTest", "run_test", "run_unattended", "as_checks", "OK", "WARN", "FAIL"]
