"""`python -m platform_server --db FILE|URL --tokens FILE [--host H] [--port P]`: the reference platform alone.
`python -m platform_server add-staff --db FILE|URL USERNAME`: add (or reset) a staff account of the
operations console /ops/ (password from the terminal, or one line on stdin with --stdin).

--db is a SQLite file or a PostgreSQL URL (postgresql://user@host/dbname); HEZE_PLATFORM_DB gives it too.

Every token is tied to one terminal (platform_server.auth): `--tokens FILE` ({"token": "terminal id"}),
the environment HEZE_PLATFORM_TOKENS, or `--token TOKEN=TERMINAL` / `--token T --terminal-id ID`.
Without any mapping the server does not start (exit 2) rather than accept one token for every terminal.

Prints `PLATFORM_READY <url>` on stdout once it listens (port 0 = a free port), which is what
platform_server.process waits for.
"""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import time
from pathlib import Path

from platform_server.app import serve
from platform_server.auth import TokenMapError, load_mapping

ENV_DB = "HEZE_PLATFORM_DB"


def build_parser() -> argparse.ArgumentParser:
    """Options shared with `run_kiosk.py platform`."""
    p = argparse.ArgumentParser(prog="python -m platform_server", description="reference platform server")
    add_server_arguments(p)
    p.add_argument("--db", default=os.environ.get(ENV_DB), required=not os.environ.get(ENV_DB),
                   help=f"SQLite file or PostgreSQL URL of the platform (or {ENV_DB})")
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
    p.add_argument("--silent-after", type=float, default=300.0,
                   help="ops console: a terminal without a heartbeat for this many seconds is red (default 300)")
    p.add_argument("--secure-cookies", action="store_true",
                   help="ops console: session cookie only over HTTPS (set it behind a TLS proxy)")
    # tests only: the platform's clock runs this many seconds ahead (a float read from the file on every use)
    p.add_argument("--clock-offset-file", default=None, help=argparse.SUPPRESS)


def file_clock(path: str):
    """time.time() plus the offset written in `path` (missing or unreadable: no offset)."""
    def now() -> float:
        try:
            return time.time() + float(Path(path).read_text().strip() or 0)
        except (OSError, ValueError):
            return time.time()
    return now


def add_staff_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m platform_server add-staff",
                                description="add or reset a staff account of the operations console")
    p.add_argument("--db", default=os.environ.get(ENV_DB), required=not os.environ.get(ENV_DB))
    p.add_argument("--stdin", action="store_true", help="read the password as one line from stdin")
    p.add_argument("username")
    args = p.parse_args(argv)
    from platform_server import db
    from platform_server.ops.staff import StaffError, add_staff
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码: ")
        if getpass.getpass("再输一次: ") != password:
            print("add-staff: the two passwords differ", file=sys.stderr)
            return 1
    db.init_db(args.db)
    try:
        add_staff(args.db, args.username, password)
    except StaffError as exc:
        print(f"add-staff: {exc}", file=sys.stderr)
        return 1
    print(f"staff account {args.username} saved")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["add-staff"]:
        return add_staff_main(argv[1:])
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
              in_flight_lease=args.in_flight_lease, silent_after=args.silent_after,
              secure_cookies=args.secure_cookies,
              clock=file_clock(args.clock_offset_file) if args.clock_offset_file else time.time)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
