"""`outbox submit|flush|status|retry-dead|export`: the staff tools of the submission outbox.

Exit codes: 0 done (flush: nothing pending, no dead letters); 1 items still pending (time up, offline);
2 bad command-line input; 3 outbox storage problem or dead letters need staff; 4 the platform refused
this terminal's token (401).
"""
from __future__ import annotations

import json
import mimetypes
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_PENDING, EXIT_USAGE, EXIT_STAFF, EXIT_UNAUTHORIZED = 0, 1, 2, 3, 4


def add_arguments(name, parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = sub.add_parser("submit", help="queue one submission exactly as the kiosk does; prints the local id last")
    p.add_argument("--kind", required=True, help="application | evaluation | complaint | postal_order | "
                                                 "appointment | help_request")
    p.add_argument("--payload-file", required=True, metavar="F", help="JSON object: the kind-specific payload")
    p.add_argument("--attach", action="append", default=[], metavar="FILE", help="attachment file (repeatable)")
    p = sub.add_parser("flush", help="deliver until the queue is empty or time is up (exit 0 only when empty)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds (default 60)")
    p = sub.add_parser("status", help="pending / delivered / dead counts and the oldest pending age")
    p.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser("retry-dead", help="put every dead letter back in the queue")
    p = sub.add_parser("export", help="write undelivered items to an encrypted file in DIR (USB stick)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--passphrase-env", metavar="VAR",
                   help="take the passphrase from this environment variable (default: make one and print it)")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(name, args, settings) -> int:
    from kiosk.logs import setup_from_settings
    from offline_cache.outbox import Outbox, OutboxError

    setup_from_settings(settings, console=False)  # redacted, into data_dir; staff read stderr

    def on_event(event: str, data: dict) -> None:
        if event == "alert":
            _say(f"员工提醒 / staff alert [{data['code']}]: {data['message']}")
        elif event == "dead":
            _say(f"无法投递 / dead letter {data['local_id']}: {data['reason']}")

    try:
        outbox = Outbox.from_settings(settings)
    except OutboxError as exc:
        _say(f"{exc.message}（{exc.code}）")
        _say(f"detail: {exc.detail}")
        return EXIT_STAFF
    outbox.events.subscribe(on_event)
    try:
        return ACTIONS[args.action](outbox, args, settings)
    except OutboxError as exc:
        _say(f"{exc.message}（{exc.code}）")
        return EXIT_USAGE if exc.code.startswith("outbox_invalid") or exc.code == "outbox_attachment_too_large" \
            else EXIT_STAFF
    finally:
        outbox.close()


def _submit(outbox, args, settings) -> int:
    try:
        payload = json.loads(Path(args.payload_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        _say(f"找不到提交内容文件（cli_payload_missing）: {args.payload_file}")
        return EXIT_USAGE
    except (ValueError, UnicodeDecodeError):
        _say(f"提交内容文件不是有效的 JSON（cli_payload_invalid）: {args.payload_file}")
        return EXIT_USAGE
    if not isinstance(payload, dict):
        _say("提交内容必须是 JSON 对象（cli_payload_invalid）")
        return EXIT_USAGE
    files = []
    for name in args.attach:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError:
            _say(f"找不到附件文件（cli_attachment_missing）: {name}")
            return EXIT_USAGE
        files.append((path.name, mimetypes.guess_type(path.name)[0] or "application/octet-stream", data))
    local_id = outbox.enqueue(args.kind, payload, files)
    print(f"已保存，等待发送 / queued ({args.kind}, {len(files)} attachment(s))")
    print(local_id, flush=True)
    return EXIT_OK


def _flush(outbox, args, settings) -> int:
    from offline_cache.platform_client import PlatformClient
    from offline_cache.sync import SyncWorker

    client = PlatformClient.from_settings(settings)
    worker = SyncWorker(outbox, client, settings)
    try:
        empty = worker.flush(args.timeout)
    finally:
        client.close()
    status = outbox.status()
    print(json.dumps(status))
    if worker.stopped_reason == "unauthorized":
        return EXIT_UNAUTHORIZED
    if not empty:
        return EXIT_PENDING
    return EXIT_STAFF if status["dead"] else EXIT_OK


def _status(outbox, args, settings) -> int:
    status = outbox.status()
    if args.json:
        print(json.dumps(status))
        return EXIT_OK
    print(f"待发送 pending: {status['pending']}   已送达 delivered: {status['delivered']}   "
          f"无法投递 dead: {status['dead']}   最早待发送 oldest pending: {status['oldest_pending_age_s']} s")
    for row in outbox.items("dead"):
        print(f"  dead {row['local_id']} {row['kind']} attempts={row['attempts']} reason={row['dead_reason']}")
    for row in outbox.items("pending", limit=20):
        print(f"  pending {row['local_id']} {row['kind']} attempts={row['attempts']} last_error={row['last_error']}")
    for alert in outbox.alerts(5):
        print(f"  alert {alert['at']} {alert['code']}: {alert['message']}")
    return EXIT_OK


def _retry_dead(outbox, args, settings) -> int:
    count = outbox.retry_dead()
    print(f"重新排队 / re-queued {count} dead letter(s)")
    return EXIT_OK


def _export(outbox, args, settings) -> int:
    from offline_cache.export import export_outbox, make_passphrase

    if args.passphrase_env:
        passphrase = os.environ.get(args.passphrase_env, "")
        if len(passphrase) < 8:
            _say(f"口令太短或未设置（cli_passphrase_weak）: ${args.passphrase_env} needs 8+ characters")
            return EXIT_USAGE
        shown = None
    else:
        passphrase = shown = make_passphrase()
    try:
        path, count = export_outbox(outbox, args.dir, passphrase)
    except OSError as exc:
        _say(f"无法写入导出目录（cli_export_failed）: {args.dir}: {exc.strerror}")
        return EXIT_STAFF
    print(f"已导出 {count} 条 / exported {count} item(s) to {path}")
    if shown:
        print(f"导出口令（请另行告知接收人）/ passphrase: {shown}")
    return EXIT_OK


ACTIONS = {"submit": _submit, "flush": _flush, "status": _status, "retry-dead": _retry_dead, "export": _export}
