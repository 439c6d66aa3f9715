"""`print-test receipt|a4 [--json]`: print a test page on the configured printer and wait for it.

Exit 0 when it printed; 1 with a plain reason otherwise. --json prints one line:
{"printer": "receipt"|"a4", "ok": bool, "state": "<device state>",
 "reason": null|"paper_out"|"cover_open"|"offline"|"no_printer"|"job_failed"|"timeout"}
"""
from __future__ import annotations

import json
import sys
import threading
import time

from devices.states import DeviceError

SECTION = {"receipt": "receipt", "a4": "printer"}
REASONS = ("paper_out", "cover_open", "offline", "no_printer", "job_failed", "timeout")
WORDS = {"paper_out": "没有纸了", "cover_open": "盖子没有关好", "offline": "打印机不在线或没有反应",
         "no_printer": "本终端没有配置这台打印机", "job_failed": "打印任务失败", "timeout": "等待打印超时"}


def add_arguments(name, parser) -> None:
    parser.add_argument("which", choices=("receipt", "a4"), help="the receipt printer or the A4 printer")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S",
                        help="seconds to wait for the page to come out (default 60)")


def _build(settings, section: str):
    from kiosk.devices_hub import DRIVERS, FAMILIES, load
    target = DRIVERS.get((section, settings.get(section, "driver")))
    if target is None:
        return None
    device = load(target)(settings)
    return device if isinstance(device, load(FAMILIES[section])) else None


def _print_receipt(device, settings, timeout: float) -> None:
    from devices.receipt.layout import check_receipt
    device.print_receipt(check_receipt(settings.get("terminal", "name"), time.strftime("%Y-%m-%d %H:%M:%S")))


def _print_a4(device, settings, timeout: float) -> None:
    from pathlib import Path

    from devices.printer.testpage import print_check_page
    print_check_page(device, settings.get("terminal", "name"), Path(settings.data_dir) / "print", timeout)


def run(name, args, settings) -> int:
    section = SECTION[args.which]
    outcome: dict = {"reason": "no_printer", "detail": "not configured"}
    device = None
    try:
        device = _build(settings, section)
    except Exception as exc:  # a driver that cannot be built: the terminal has no usable printer
        outcome["detail"] = f"driver failed to load: {type(exc).__name__}"
    if device is not None:
        outcome = {"reason": "timeout", "detail": "no answer in time"}
        work = _print_receipt if section == "receipt" else _print_a4

        def job() -> None:
            try:
                work(device, settings, args.timeout)
                outcome.update(reason=None, detail="")
            except DeviceError as exc:
                outcome.update(reason=exc.code if exc.code in REASONS else "job_failed", detail=exc.detail)
            except Exception as exc:  # never a traceback for staff
                outcome.update(reason="job_failed", detail=f"driver error: {type(exc).__name__}")

        worker = threading.Thread(target=job, name="print-test", daemon=True)
        worker.start()
        worker.join(args.timeout)
    state = device.status().state.value if device is not None else "noDevice"
    if device is not None:
        device.stop()
    ok = outcome["reason"] is None
    if args.json:
        print(json.dumps({"printer": args.which, "ok": ok, "state": state, "reason": outcome["reason"]}))
    elif ok:
        print(f"测试页已打印 ({args.which}, {state})")
    else:
        print(f"没有打印出来：{WORDS[outcome['reason']]} ({args.which}: {outcome['reason']}, {state}; "
              f"{outcome['detail']})", file=sys.stderr)
    return 0 if ok else 1
