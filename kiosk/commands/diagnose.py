"""`diagnose [--json] [--selftest]`: the terminal's self-check for maintenance staff (exit 0 ok, 1 warn, 2 fail).

`--selftest` adds the device self-tests that need nobody at the terminal (kiosk/maintenance): status
queries, a few camera frames with their sharpness and brightness, a test page on a simulated printer,
speech synthesis, the platform's latency and clock offset, the outbox database's integrity check. Each
is one more check `selftest:<name>` in the same report shape, with its figures."""
from __future__ import annotations

import json
import time

from kiosk.diagnostics import FAIL, OK, report

MARK = {"ok": "正常", "warn": "注意", "fail": "故障"}


def add_arguments(name, parser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to let the devices report")
    parser.add_argument("--selftest", action="store_true",
                        help="also run the device self-tests that need nobody at the terminal")


def run(name, args, settings) -> int:
    from kiosk.devices_hub import DeviceHub
    from offline_cache.outbox import Outbox
    hub = DeviceHub(settings)
    hub.start_all()
    time.sleep(max(0.0, args.settle))
    outbox, problem = None, ""
    try:
        outbox = Outbox.from_settings(settings)
    except Exception as exc:  # the finding itself
        problem = getattr(exc, "message", type(exc).__name__)
    try:
        result = report(settings, hub.statuses(), outbox, problem)
        if args.selftest:
            add_selftests(result, settings, hub, outbox)
    finally:
        hub.stop_all()
        if outbox is not None:
            outbox.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"终端 {result['terminal']} ({result['level']}) 软件 {result['version']}: {MARK[result['overall']]}")
        for c in result["checks"]:
            print(f"  [{MARK[c['level']]}] {c['check']:<16} {c.get('state', '')} {c['detail']}")
    return {OK: 0, FAIL: 2}.get(result["overall"], 1)


def add_selftests(result: dict, settings, hub, outbox) -> None:
    """Run the unattended self-tests and fold them into `result` (checks and overall)."""
    from kiosk.maintenance.results import Context
    from kiosk.maintenance.selftests import as_checks, run_unattended
    from kiosk.voice import Voice
    ctx = Context(settings=settings, device=hub.get, outbox=outbox, voice=Voice.from_settings(settings), person=False)
    result["checks"] += as_checks(run_unattended(ctx))
    order = {OK: 0, "warn": 1, FAIL: 2}
    result["overall"] = max((c["level"] for c in result["checks"]), key=order.__getitem__, default=OK)
