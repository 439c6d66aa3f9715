"""`read-card`: read one resident ID card or social security card with the configured driver and print it.

    python run_kiosk.py read-card [--source idcard|sscard] [--timeout S] [--json] [--sim-card NAME]

For staff checking a reader. With a simulator driver a demo card is placed first (`--sim-card`,
`none` for an empty reader). On failure it prints {"error": {"code", "message"}} (or the message)
and exits 1; it never waits longer than --timeout.
"""
from __future__ import annotations

import json
import sys
import threading

from devices.states import Completion, DeviceError

LABELS = {
    "type": "证件类型", "name": "姓名", "name_en": "英文姓名", "sex": "性别", "nation": "民族", "birth": "出生",
    "address": "住址", "id_number": "证件号码", "authority": "签发机关", "valid_from": "有效期起",
    "valid_to": "有效期止", "pass_number": "通行证号码", "issue_count": "签发次数", "nationality": "国籍",
    "sam_id": "SAM 编号", "card_id": "卡识别码", "card_type": "卡类别", "version": "规范版本",
    "issuer_org": "初始化机构编号", "issue_date": "发卡日期", "expiry_date": "有效期", "card_number": "卡号",
    "ssn": "社会保障号码", "birthplace": "出生地", "birth_date": "出生日期",
}
SIM_DEFAULT = {"idcard": "resident", "sscard": "default"}
EXIT_FAILED = 1
EXIT_NOT_CONFIGURED = 2


def add_arguments(name, parser) -> None:
    parser.add_argument("--source", choices=("idcard", "sscard"), default="idcard",
                        help="which reader: resident ID card (idcard) or social security card (sscard)")
    parser.add_argument("--timeout", type=float, default=15.0, metavar="S",
                        help="seconds to wait for a card (default 15)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--sim-card", metavar="NAME",
                        help="simulator only: demo card to place (idcard: resident, resident_elder, hmt, foreign, "
                             "foreign2023; sscard: default, elder; none = empty reader)")


def build_device(settings, section: str):
    """The configured driver of `section` (None when the terminal has none)."""
    from kiosk.devices_hub import DRIVERS, load
    driver = settings.get(section, "driver")
    target = DRIVERS.get((section, driver))
    if driver == "none" or target is None:
        return None
    return load(target)(settings)


def _fail(args, error: DeviceError | dict, exit_code: int = EXIT_FAILED) -> int:
    info = error if isinstance(error, dict) else {"code": error.code, "message": error.message}
    if args.json:
        print(json.dumps({"error": info}, ensure_ascii=False))
    else:
        print(f"读卡失败 [{info['code']}]: {info['message']}", file=sys.stderr)
    return exit_code


def run(name, args, settings) -> int:
    if args.timeout <= 0:
        return _fail(args, {"code": "cli.bad_timeout", "message": "--timeout 必须大于 0"}, EXIT_NOT_CONFIGURED)
    try:
        device = build_device(settings, args.source)
    except Exception as exc:  # a driver that cannot even be built is a terminal fault, not a crash
        return _fail(args, {"code": f"{args.source}.driver_failed", "message": f"驱动无法加载: {type(exc).__name__}"},
                     EXIT_NOT_CONFIGURED)
    if device is None:
        return _fail(args, {"code": f"{args.source}.not_configured",
                            "message": f"本终端未配置该读卡器 ([{args.source}] driver)"}, EXIT_NOT_CONFIGURED)
    if device.can("present"):
        card = args.sim_card or SIM_DEFAULT[args.source]
        if card != "none":
            try:
                device.present(card)
            except KeyError:
                return _fail(args, {"code": "cli.unknown_sim_card", "message": f"没有名为 {card} 的演示卡"},
                             EXIT_NOT_CONFIGURED)

    outcome: dict = {}

    def work() -> None:
        try:
            # leave a little of the budget for printing and shutting the port
            outcome["record"] = device.read_one(max(0.1, args.timeout - 0.2))
        except DeviceError as exc:
            outcome["error"] = exc
        except Exception as exc:  # never a traceback for staff: a stable code instead
            outcome["error"] = DeviceError(Completion.HARDWARE_ERROR, f"{args.source}.driver_bug",
                                           "读卡器驱动出错，请联系技术支持", type(exc).__name__)

    worker = threading.Thread(target=work, name="read-card", daemon=True)
    worker.start()
    worker.join(args.timeout)
    if not worker.is_alive():
        device.stop()   # a simulator takes its simulated reader down with it
    if "record" not in outcome:
        error = outcome.get("error") or DeviceError(Completion.TIME_OUT, f"{args.source}.timeout",
                                                    "等待读卡超时", "read did not finish in time")
        return _fail(args, error)
    data = outcome["record"].as_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{LABELS.get(key, key)} ({key}): {'' if value is None else value}")
    return 0
