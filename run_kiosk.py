#!/usr/bin/env python3
"""Entry point of the 菏心意 self-service terminal: `python run_kiosk.py --help`."""
import sys

from screens.cli import main

if __name__ == "__main__":
    sys.exit(main())
