"""`python -m platform_server --db FILE --tokens FILE [--host H] [--port P]`: the reference platform alone.

Every token is tied to one terminal (platform_server.auth): `--tokens FILE` ({"token": "terminal id"}),
the environment HEZE_PLATFORM_TOKENS, or `--token TOKEN=TERMINAL` / `--token T --terminal-id ID`.
Without any mapping the server does not start (exit 2) rather than accept one token for every terminal.

Prints `PLATFORM_READY <url>` on stdout once it listens (port 0 = a free port), which is what
platform_server.process waits for.
"""
from __future__ import annotations

import argparse
import logging
import sys

from platform_server.app import serve
from platform_server.auth import TokenMapError, load_mapping


def build_parser() -> argparse.ArgumentParser:
    """Options shared with `run_kiosk.py platform`."""
    p = argparse.ArgumentParser(prog="python -m platform_server", description="reference platform server")
    add_server_arguments(p)
    p.add_argument("--db", required=True, help="SQLite file of the platform")
    add_token_arguments(p)
    return p


def add_token_arguments(p: argparse.ArgumentParser) -> None:
    """--tokens FILE, --token, --terminal-id (shared with `run_kiosk.py platform`)."""
    p.add_argument("--tokens", metavar="FILE", help='token -> terminal mapping, JSON {"token": "terminal id"}')
    p.add_argument("--token", action="append", default=[],
                   help="TOKEN=TERMINAL_ID, or a bare TOKEN for --terminal-id (repeatable; visible in ps)")
    p.add_argument("--terminal-id", help="the terminal a bare --token belongs to")


def add_server_arguments(p: argparse.ArgumentParser, default_port: int | None = 8710) -> None:
    """--host, --port, --content and the test knobs (default_port None: the caller decides)."""
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=default_port,
                   help=f"port (default {default_port or 'from [platform] url'}; 0 = any free)")
    p.add_argument("--content", metavar="DIR", default=None, help="content pack served as the catalogue")
    p.add_argument("--region", default="371700", help="region code at the front of tracking numbers")
    p.add_argument("--processing-delay", type=float, default=0.0, help=argparse.SUPPRESS)
    p.add_argument("--busy-first", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--in-flight-lease", type=float, default=30.0, help=argparse.SUPPRESS)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        tokens = load_mapping(args.tokens, args.token, args.terminal_id)
    except TokenMapError as exc:
        print(f"platform: {exc}", file=sys.stderr)
        return 2

    def ready(url: str) -> None:
        print(f"PLATFORM_READY {url}", flush=True)

    try:
        serve(args.host, args.port, args.db, tokens, ready=ready, region=args.region, pack_dir=args.content,
              processing_delay=args.processing_delay, busy_first=args.busy_first,
              in_flight_lease=args.in_flight_lease)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
