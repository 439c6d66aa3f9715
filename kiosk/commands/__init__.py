"""Subcommands of run_kiosk.py; each module defines add_arguments(name, parser) and run(name, args, settings)."""
