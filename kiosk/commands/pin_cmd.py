"""`set-pin`: set this terminal's maintenance PIN.

    python run_kiosk.py set-pin            asks twice (hidden) and writes data_dir/staff-pin (0600)
    python run_kiosk.py set-pin --stdin    reads the PIN from the first line of stdin (provisioning scripts)
    python run_kiosk.py set-pin --print    only prints the hash line, for [staff] pin_hash in a config file

The PIN is stored as a salted scrypt hash; setting it clears any lockout from wrong tries.
"""
from __future__ import annotations

import getpass
import sys

from kiosk.staff_pin import PinError, check_new_pin, hash_pin, set_pin


def add_arguments(name, parser) -> None:
    parser.add_argument("--stdin", action="store_true", help="read the PIN from stdin instead of asking")
    parser.add_argument("--print", dest="print_only", action="store_true",
                        help="print the hash for [staff] pin_hash instead of writing data_dir/staff-pin")


def run(name, args, settings) -> int:
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("新的维护密码 / new maintenance PIN (6-8 digits): ").strip()
        if getpass.getpass("再输入一次 / again: ").strip() != pin:
            print("两次输入不一致 / the two entries differ", file=sys.stderr)
            return 1
    try:
        check_new_pin(pin)
    except PinError as exc:
        print(f"{exc} / PIN not accepted", file=sys.stderr)
        return 1
    if args.print_only:
        print(hash_pin(pin))
        return 0
    path = set_pin(settings.data_dir, pin)
    print(f"维护密码已设置 / maintenance PIN set: {path} (0600)")
    return 0
