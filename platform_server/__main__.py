"""`python -m platform_server --db FILE [--host H] [--port P] [--token T ...]`: the reference platform alone.

Prints `PLATFORM_READY <url>` on stdout once it listens (port 0 = a free port), which is what
platform_server.process waits for.
"""
from __future__ import annotations

import argparse
import logging
import sys

from platform_server.app import serve


def build_parser() -> argparse.ArgumentParser:
    """Options shared with `run_kiosk.py platform`."""
    p = argparse.ArgumentParser(prog="python -m platform_server", description="reference platform server")
    add_server_arguments(p)
    p.add_argument("--db", required=True, help="SQLite file of the platform")
    p.add_argument("--token", action="append", default=[], help="accepted bearer token (repeatable)")
    return p


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
    tokens = args.token or ["demo-token"]

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
