"""The entry point: the terminal core's command line plus the commands that start the Kivy front end.

`kiosk.cli` knows only the Kivy-free staff tools; this module, the top layer, adds `run`, `demo` and
`tour` (each imported only when its command runs, so `--help` and the staff tools never load Kivy).
"""
from __future__ import annotations

import sys

from kiosk import cli

FRONT_END_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "screens.commands.run": [("run", "start the kiosk (the default)"),
                             ("demo", "start the kiosk in demo mode: simulated devices, bundled content, local platform")],
    "screens.commands.out_of_service_display": [
        ("out-of-service-display", "show 暂停服务 full screen on another display (started by the terminal itself)")],
    "screens.commands.tour": [("tour", "drive every screen with simulated devices and write one PNG per screen")],
}


def main(argv: list[str] | None = None) -> int:
    """`run_kiosk.py [--config FILE] [subcommand]`; without a subcommand the kiosk starts."""
    for module, commands in FRONT_END_COMMANDS.items():
        cli.register_module(module, commands, first=True)
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
