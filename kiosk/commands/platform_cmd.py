"""`platform [--host H] [--port P] [--content DIR] [--db FILE] [--tokens FILE]`: run the reference platform.

Every token is tied to one terminal. The mapping comes from `--tokens FILE` ({"token": "terminal id"}),
the environment HEZE_PLATFORM_TOKENS or `--token TOKEN=TERMINAL`; without any of them this terminal's own
pair is used: `[platform] token` belongs to `[terminal] id` (both from the config, --config or
KIOSK_PLATFORM_TOKEN / KIOSK_TERMINAL_ID), and no other terminal id is accepted with it.
By default the port of `[platform] url` and `platform.db` in `[storage] data_dir`.
"""
from __future__ import annotations

import logging
from urllib.parse import urlparse


def add_arguments(name, parser) -> None:
    from platform_server.__main__ import add_server_arguments, add_token_arguments
    add_server_arguments(parser, default_port=None)
    add_token_arguments(parser)
    parser.add_argument("--db", metavar="FILE|URL",
                        help="platform database: SQLite file or postgresql:// URL (default: platform.db in data_dir)")


def run(name, args, settings) -> int:
    import os

    from platform_server.app import serve
    from platform_server.auth import ENV_TOKENS, TokenMapError, load_mapping

    port = args.port if args.port is not None else urlparse(settings.get("platform", "url")).port or 8710
    db_path = args.db or os.environ.get("HEZE_PLATFORM_DB") or str(settings.data_dir / "platform.db")
    logging.basicConfig(level=logging.WARNING)
    try:
        if args.tokens or args.token or os.environ.get(ENV_TOKENS):
            tokens = load_mapping(args.tokens, args.token, args.terminal_id)
        else:   # this terminal's own token, good for this terminal only
            tokens = load_mapping(None, [settings.get("platform", "token")], settings.get("terminal", "id"), env={})
    except TokenMapError as exc:
        print(f"平台无法启动：终端令牌配置不正确（platform_tokens_invalid）/ {exc}")
        return 2

    from platform_server.dialect import describe

    def ready(url: str) -> None:
        print(f"参考平台已启动 / platform listening on {url}  (database {describe(db_path)}; "
              f"ops console {url}/ops/, staff: python -m platform_server add-staff --db ... NAME)", flush=True)

    try:
        serve(args.host, port, db_path, tokens, ready=ready, region=args.region,
              pack_dir=args.content, processing_delay=args.processing_delay, busy_first=args.busy_first,
              in_flight_lease=args.in_flight_lease, silent_after=args.silent_after,
              secure_cookies=args.secure_cookies)
    except (OSError, SystemExit) as exc:
        # werkzeug exits on "address in use" after printing its own hint; say it in our words too
        reason = exc.strerror if isinstance(exc, OSError) else "the port is in use"
        print(f"平台无法启动，端口可能被占用（platform_start_failed）/ platform could not start on "
              f"{args.host}:{port}: {reason}")
        return 2
    except KeyboardInterrupt:
        pass
    return 0
