"""One self-test per device family, through the family's `operations` (`can()`), never its class.

Each test takes a Context (kiosk/maintenance/results.py) and returns a Result with a plain sentence.
With `ctx.person` false (the `diagnose --selftest` command, nobody at the terminal) a test does only
what needs no one: ask the device's state, take a few camera frames, print a test page on a simulated
printer. In demo mode a simulator twin plays the person: it lays its demo card or scans a test code.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from devices.states import DeviceError
from kiosk.maintenance.results import FAIL, OK, WARN, Context, Result
from kiosk.redact import mask_id_number, mask_name

PRINT_WORDS = {"paper_out": "没有纸了", "paper_near_end": "纸快用完了", "cover_open": "盖子没有关好",
               "offline": "打印机不在线或没有反应", "no_printer": "本终端没有配置这台打印机",
               "job_failed": "打印任务失败", "timeout": "等待打印超时", "canceled": "打印被取消"}
TEST_CODE = "HEZE-SELFTEST-SCAN"
CARD_TYPES = {"resident": "居民身份证", "hmt": "港澳台居民居住证", "foreign": "外国人永久居留身份证",
              "foreign2023": "外国人永久居留身份证（2023 版）"}


def _state(device) -> str:
    return device.status().state.value


def _not_configured(test: str, what: str) -> Result:
    return Result(test, WARN, f"本终端没有配置{what}", state="noDevice")


def _state_result(test: str, device, what: str) -> Result:
    """The status query: online is good, anything else says what it is."""
    status = device.status()
    state = status.state.value
    if state == "online":
        return Result(test, OK, f"{what}在线，状态正常", state=state, lines=[status.detail] if status.detail else [])
    level = WARN if state in ("offline", "deviceBusy", "powerOff") else FAIL
    return Result(test, level, f"{what}不在线（{state}），请检查电源和连接线", state=state,
                  lines=[status.detail] if status.detail else [])


class _Waiter:
    """Collects one device event (or an "error") while a test waits for a person."""

    def __init__(self, device, names: tuple[str, ...]) -> None:
        self.names = names
        self.got: tuple[str, Any] | None = None
        self._event = threading.Event()
        self._unsubscribe = device.events.subscribe(self._on)

    def _on(self, name: str, payload: Any) -> None:
        if self.got is None and (name in self.names or name == "error"):
            self.got = (name, payload)
            self._event.set()

    def wait(self, ctx: Context, timeout: float) -> tuple[str, Any] | None:
        deadline = time.monotonic() + timeout
        while not self._event.wait(0.1):
            if ctx.cancelled() or time.monotonic() >= deadline:
                break
        self._unsubscribe()
        return self.got


def _demo_person(ctx: Context, device, operation: str) -> bool:
    """In demo mode a simulator twin plays the staff member at the terminal."""
    return bool(ctx.settings.demo) and device.can(operation)


# -- card readers --------------------------------------------------------------------------------
def _read_card(ctx: Context, device, timeout: float, demo_card: str, then=None):
    """(record, then()) for a card read the way the terminal reads it now: from the running reader's
    thread ("card_presented"), or with read_one when nothing runs it; `then` runs while the card is
    still in the reader. (None, None) when no card came. Raises DeviceError."""
    played = _demo_person(ctx, device, "present")
    try:
        if device.running:
            waiter = _Waiter(device, ("card_presented",))
            if played:
                device.present(demo_card)
            got = waiter.wait(ctx, timeout)
            if got is None:
                return None, None
            if got[0] == "error":
                raise got[1]
            record = got[1]
        else:
            if played:
                device.present(demo_card)
            record = device.read_one(timeout)
        return record, (then() if then is not None else None)
    finally:
        if played:
            device.remove()


def _read_ms(device) -> dict[str, Any]:
    ms = device.last_read_ms       # both card reader families keep it
    return {"read_ms": round(ms, 2)} if ms is not None else {}   # a simulator reads in well under 1 ms


def _took(figures: dict[str, Any]) -> str:
    if not figures:
        return ""
    ms = figures["read_ms"]
    return f"，读卡用时 {ms:.0f} 毫秒" if ms >= 1 else "，读卡用时不到 1 毫秒"


def idcard(ctx: Context, timeout: float = 30.0) -> Result:
    """身份证读卡器: with a person, lay a card and see its masked fields and the read time."""
    device = ctx.device("idcard")
    if not device.configured:
        return _not_configured("idcard", "身份证读卡器")
    if not ctx.person:
        result = _state_result("idcard", device, "身份证读卡器")
        sam = device.sam_id
        if sam and result.ok:
            result.lines = [f"SAM 编号 {sam}"]
        return result
    try:
        record, _ = _read_card(ctx, device, timeout, "resident")
    except DeviceError as exc:
        return Result("idcard", FAIL if exc.completion.value == "hardwareError" else WARN,
                      f"没有读出来：{exc.message}", state=_state(device), lines=[exc.code])
    if record is None:
        return Result("idcard", WARN, "没有等到身份证，请把身份证平放在读卡区后再试", state=_state(device))
    figures = _read_ms(device)
    lines = [f"证件类型 {CARD_TYPES.get(record.type, record.type)}", f"姓名 {mask_name(record.name or record.name_en)}",
             f"证件号码 {mask_id_number(record.id_number or record.pass_number)}"]
    if record.sam_id:
        lines.append(f"SAM 编号 {record.sam_id}")
    return Result("idcard", OK, f"读卡成功{_took(figures)}", state=_state(device), figures=figures, lines=lines)


def sscard(ctx: Context, timeout: float = 30.0) -> Result:
    """社保卡读卡器: the card's ATR, then a read with its masked fields."""
    device = ctx.device("sscard")
    if not device.configured:
        return _not_configured("sscard", "社保卡读卡器")
    if not ctx.person:
        return _state_result("sscard", device, "社保卡读卡器")

    def atr() -> bytes:
        try:
            return device.read_atr(min(5.0, timeout)) if device.can("read_atr") else b""
        except DeviceError:
            return b""     # pulled out right after the read: the read itself was good
    try:
        record, atr_bytes = _read_card(ctx, device, timeout, "default", then=atr)
    except DeviceError as exc:
        return Result("sscard", WARN, f"没有读出来：{exc.message}", state=_state(device), lines=[exc.code])
    if record is None:
        return Result("sscard", WARN, "没有等到社保卡，请把社保卡芯片朝上插入读卡口后再试", state=_state(device))
    atr = atr_bytes or b""
    figures = _read_ms(device)
    lines = [f"ATR {atr.hex(' ').upper()}" if atr else "ATR 未取到（卡已拔出）",
             f"姓名 {mask_name(record.name)}", f"社会保障号码 {mask_id_number(record.ssn)}",
             f"规范版本 {record.version or ''}"]
    return Result("sscard", OK, f"读卡成功{_took(figures)}", state=_state(device),
                  figures={**figures, "atr_bytes": len(atr)}, lines=lines)


# -- cameras -------------------------------------------------------------------------------------
def picture_figures(frame) -> dict[str, float]:
    """Sharpness (about 1 for crisp edges, 0 for a flat picture) and brightness (mean grey, 0–255)."""
    import cv2

    from devices.doccam.quality import sharpness
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    small = cv2.resize(gray, (640, int(640 * gray.shape[0] / gray.shape[1]))) if gray.shape[1] > 640 else gray
    return {"sharpness": round(sharpness(small), 2), "brightness": round(float(gray.mean()), 1)}


def camera(ctx: Context, section: str = "camera", seconds: float = 2.0) -> Result:
    """摄像头 / 高拍仪: a live picture for `seconds`, with its sharpness and brightness; the 扫码摄像头 also says
    whether it read a code held up to it meanwhile (only its length: a 居民码 is personal)."""
    what = "扫码摄像头" if section == "camera" else "高拍仪"
    device = ctx.device(section)
    if not device.configured:
        return _not_configured(section, what)
    frames: list = []
    codes: list = []
    demo_code = section == "camera" and ctx.person and _demo_person(ctx, device, "show_code")

    def on_event(name: str, payload: Any) -> None:
        if name == "code":
            codes.append(len(str(payload)))
        elif name == "frame":
            frames.append(payload)
            del frames[:-1]
            frames_seen[0] += 1
            if ctx.frame is not None:
                ctx.frame(payload)
    frames_seen = [0]
    unsubscribe = device.events.subscribe(on_event)
    opened_here = not device.running
    started = time.monotonic()
    try:
        if opened_here:
            device.capture()
        if demo_code:
            device.show_code(TEST_CODE)        # the simulator twin plays the technician's phone
        deadline = started + max(seconds, 0.5)
        while not ctx.cancelled() and (time.monotonic() < deadline or
                                       (demo_code and not codes and time.monotonic() < deadline + 5)):
            time.sleep(0.05)
    finally:
        unsubscribe()
        if demo_code:
            device.show_code(None)
        if opened_here:
            device.release()
    elapsed = max(0.01, time.monotonic() - started)
    if not frames:
        return Result(section, FAIL, f"{what}没有画面，请检查连接线", state=_state(device))
    figures = picture_figures(frames[-1])
    figures["fps"] = round(frames_seen[0] / elapsed, 1)
    words = f"清晰度 {figures['sharpness']}，亮度 {figures['brightness']:.0f}，每秒 {figures['fps']} 帧"
    level, problem = OK, ""
    if figures["brightness"] < 40:
        level, problem = WARN, "画面太暗，请检查补光灯"
    elif figures["brightness"] > 235:
        level, problem = WARN, "画面太亮（过曝），请检查补光灯"
    elif figures["sharpness"] < 0.1:
        level, problem = WARN, "画面模糊，请擦净镜头或调焦"
    summary = f"{what}有画面：{words}" + (f"。{problem}" if problem else "")
    lines = []
    if section == "camera":
        if codes:
            figures["code_length"] = codes[0]
            lines.append(f"读到了二维码（{codes[0]} 个字符），扫码正常")
        else:
            lines.append("这次没看到二维码：要试扫码，请把手机上的任意二维码对着摄像头再点一次")
    return Result(section, level, summary, state=_state(device), figures=figures, lines=lines)


# -- scanner -------------------------------------------------------------------------------------
def scanner(ctx: Context, timeout: float = 30.0) -> Result:
    """扫码器: scan any code; the screen shows only its length (a 居民码 is personal)."""
    device = ctx.device("scanner")
    if not device.configured:
        if ctx.device("camera").configured:      # codes are read by the camera: its test reads one
            return Result("scanner", OK, "本终端用扫码摄像头读码：请做「扫码摄像头」自检，它会试读二维码",
                          state="noDevice")
        return _not_configured("scanner", "扫码器")
    if not ctx.person:
        return _state_result("scanner", device, "扫码器")
    waiter = _Waiter(device, ("code",))
    started = time.monotonic()
    if _demo_person(ctx, device, "scan"):
        threading.Timer(0.3, device.scan, args=(TEST_CODE,)).start()
    got = waiter.wait(ctx, timeout)
    if got is None:
        return Result("scanner", WARN, "没有等到扫码，请把任意二维码对准扫码窗口后再试", state=_state(device))
    if got[0] == "error":
        return Result("scanner", FAIL, f"扫码出错：{got[1].message}", state=_state(device), lines=[got[1].code])
    waited = round(time.monotonic() - started, 1)
    return Result("scanner", OK, f"扫码成功：读到 {len(got[1])} 个字符", state=_state(device),
                  figures={"code_length": len(got[1]), "waited_s": waited})


# -- printers ------------------------------------------------------------------------------------
def _print_receipt(ctx: Context, device) -> None:
    from devices.receipt.layout import check_receipt
    device.print_receipt(check_receipt(ctx.settings.get("terminal", "name"), time.strftime("%Y-%m-%d %H:%M:%S")))


def _print_a4(ctx: Context, device, timeout: float) -> None:
    from devices.printer.testpage import print_check_page
    print_check_page(device, ctx.settings.get("terminal", "name"), Path(ctx.settings.data_dir) / "print", timeout)


def printer(ctx: Context, which: str = "receipt", timeout: float = 60.0) -> Result:
    """凭条 / A4 打印机: the printer's status, then a test page (without a person: simulators only)."""
    section = "receipt" if which == "receipt" else "printer"
    what = "凭条打印机" if which == "receipt" else "A4 打印机"
    device = ctx.device(section)
    if not device.configured:
        return _not_configured(which, what)
    try:
        status = device.refresh_status()
    except DeviceError as exc:
        return Result(which, FAIL, f"{what}没有应答：{PRINT_WORDS.get(exc.code, exc.message)}",
                      state=_state(device), lines=[exc.code])
    state = status.state.value if status is not None else _state(device)
    if not ctx.person and not device.can("simulate"):
        result = _state_result(which, device, what)
        result.lines.append("（没人在场，只查状态，不打测试页）")
        return result
    try:
        if which == "receipt":
            _print_receipt(ctx, device)
        else:
            _print_a4(ctx, device, timeout)
    except DeviceError as exc:
        return Result(which, FAIL, f"测试页没有打出来：{PRINT_WORDS.get(exc.code, exc.message)}",
                      state=_state(device), lines=[exc.code])
    detail = device.status().detail
    near_end = bool(device.paper_near_end)   # what the printer said, not its words (declared by both printer families)
    return Result(which, WARN if near_end else OK,
                  "测试页已打印，请看纸上字迹和二维码是否清楚" + ("。纸快用完了，请备纸" if near_end else ""),
                  state=_state(device) or state,
                  lines=([detail] if detail else []) + (["paper_near_end"] if near_end else []))
