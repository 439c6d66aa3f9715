"""`python run_kiosk.py [--config FILE] [subcommand]` — the kiosk and its staff tools.

Each subcommand lives in its own module that defines `register(subparsers)`; the parser it adds sets
`func(args, settings) -> int`. Modules are imported only when their command runs, so that `--help`
and the staff tools start fast and never pull in Kivy.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# module path -> the subcommands it registers (kept here so --help needs no imports)
COMMAND_MODULES: dict[str, list[tuple[str, str]]] = {
    "kiosk.commands.config_cmd": [("config", "print the merged configuration (secrets masked)")],
    "kiosk.commands.diagnose": [("diagnose", "self-check for maintenance staff: devices, outbox, platform, storage")],
    "kiosk.commands.codes_cmd": [("decode", "decode QR codes in image files (one JSON line per image with --json)"),
                                 ("verify-code", "check a scanned 居民码/企业码 text; exit 0 only when accepted")],
    "kiosk.commands.content_cmd": [("content", "content pack tools: lint, draw pictures, sync the catalogue, info"),
                                   ("guides", "search and list the guides as the kiosk does")],
    "kiosk.commands.outbox_cmd": [("outbox", "the submission outbox: submit, flush, status, retry-dead, export")],
    "kiosk.commands.platform_cmd": [("platform", "run the reference platform server (demo and tests)")],
    "kiosk.commands.pin_cmd": [("set-pin", "set this terminal's maintenance PIN (salted hash in data_dir/staff-pin, 0600)")],
    "kiosk.commands.prereview_cmd": [("prereview", "pre-review a photo of a material as the kiosk does (OCR offline)")],
    "kiosk.commands.print_test": [("print-test", "print a test page on the receipt or A4 printer and wait for it")],
    "kiosk.commands.read_card": [("read-card", "read one ID card or social security card with the configured reader")],
}


def register_module(module: str, commands: list[tuple[str, str]], first: bool = False) -> None:
    """Add a module's commands (the front end adds run/demo/tour this way; `first` lists them on top)."""
    global COMMAND_MODULES
    if first:
        COMMAND_MODULES = {module: commands, **{k: v for k, v in COMMAND_MODULES.items() if k != module}}
    else:
        COMMAND_MODULES[module] = commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_kiosk.py",
        description="菏心意 self-service terminal. Without a subcommand it starts the kiosk.",
    )
    parser.add_argument("--config", metavar="FILE", help="config file layered over config/default.ini")
    parser.add_argument("--data-dir", metavar="DIR", help="override [storage] data_dir")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for module, commands in COMMAND_MODULES.items():
        for name, help_text in commands:
            p = sub.add_parser(name, help=help_text, description=help_text)
            p.set_defaults(_module=module)
            _add_lazy_arguments(p, module, name)
    return parser


def _add_lazy_arguments(parser: argparse.ArgumentParser, module: str, name: str) -> None:
    """Let the owning module add its own arguments; import it only when its command is used."""
    wanted = _wanted_command()
    if wanted != name:
        # accept anything: the real parse happens after import, when this command is chosen
        parser.add_argument("_rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        return
    mod = importlib.import_module(module)
    mod.add_arguments(name, parser)


def _wanted_command() -> str | None:
    names = {n for cmds in COMMAND_MODULES.values() for n, _ in cmds}
    args = sys.argv[1:] if _ARGV is None else _ARGV
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in ("--config", "--data-dir"):
            skip_next = True
            continue
        if arg in names:
            return arg
        if not arg.startswith("-"):
            return None
    return None


_ARGV: list[str] | None = None


def main(argv: list[str] | None = None) -> int:
    global _ARGV
    _ARGV = list(sys.argv[1:] if argv is None else argv)
    if _wanted_command() is None and not any(a in ("-h", "--help") for a in _ARGV) \
            and any(n == "run" for cmds in COMMAND_MODULES.values() for n, _ in cmds):
        _ARGV.append("run")  # no subcommand: start the kiosk (when a front end registered it)
    args = build_parser().parse_args(_ARGV)

    from kiosk.settings import SettingsError, load_settings
    overrides = {}
    if args.data_dir:
        overrides[("storage", "data_dir")] = args.data_dir
    if args.command == "demo":
        overrides[("terminal", "demo")] = "true"
    try:
        settings = load_settings(args.config, overrides=overrides)
    except SettingsError as exc:
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        return 2
    # whatever the command writes is the terminal's alone (0600/0700), and so is what an older version
    # or a hand-made folder left in data_dir
    from common.private_files import private_umask, tighten_tree
    private_umask()
    tighten_tree(settings.data_dir)
    mod = importlib.import_module(args._module)
    return int(mod.run(args.command, args, settings) or 0)


if __name__ == "__main__":
    sys.exit(main())
