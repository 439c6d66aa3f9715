"""Data shipped with the terminal: default.ini, terminal profiles and the bundled content pack.

This folder is a package only so that `pip install .` carries it along; it holds no code.
"""
from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_INI = CONFIG_DIR / "default.ini"
