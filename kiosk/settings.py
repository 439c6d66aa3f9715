"""Terminal configuration: config/default.ini <- `--config FILE` <- environment KIOSK_<SECTION>_<KEY>.

default.ini documents every key; a key that is not there is a programming error, not a setting,
so `get` on an unknown key raises KeyError instead of quietly returning a default.
"""
from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import Mapping

from common.private_files import tighten
from config import CONFIG_DIR, DEFAULT_INI

ENV_PREFIX = "KIOSK_"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A configuration value cannot be used; the message names the key and the file."""


class Settings:
    """Read-only view over the merged configuration."""

    def __init__(self, parser: configparser.ConfigParser, sources: list[str], explicit: set[tuple[str, str]]):
        self._p = parser
        self.sources = sources
        # keys set by a config file or the environment rather than default.ini
        self.explicit = explicit

    # -- typed getters ------------------------------------------------------------------
    def get(self, section: str, key: str) -> str:
        if not self._p.has_option(section, key):
            raise KeyError(f"[{section}] {key} is not a documented setting (config/default.ini)")
        return self._p.get(section, key).strip()

    def getint(self, section: str, key: str) -> int:
        raw = self.get(section, key)
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"[{section}] {key} must be a whole number, not {raw!r}") from None

    def getfloat(self, section: str, key: str) -> float:
        raw = self.get(section, key)
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"[{section}] {key} must be a number, not {raw!r}") from None

    def getbool(self, section: str, key: str) -> bool:
        raw = self.get(section, key).lower()
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise SettingsError(f"[{section}] {key} must be on/off, not {raw!r}")

    def getlist(self, section: str, key: str) -> list[str]:
        """Comma-separated values, blanks dropped."""
        return [part.strip() for part in self.get(section, key).split(",") if part.strip()]

    def getmap(self, section: str, key: str) -> dict[str, str]:
        """`a=1, b=2` -> {'a': '1', 'b': '2'}."""
        out: dict[str, str] = {}
        for item in self.getlist(section, key):
            name, sep, value = item.partition("=")
            if not sep:
                raise SettingsError(f"[{section}] {key}: {item!r} should look like name=value")
            out[name.strip()] = value.strip()
        return out

    def is_explicit(self, section: str, key: str) -> bool:
        return (section, key) in self.explicit

    def sections(self) -> dict[str, dict[str, str]]:
        return {s: dict(self._p.items(s)) for s in self._p.sections()}

    # -- derived values -----------------------------------------------------------------
    @property
    def demo(self) -> bool:
        return self.getbool("terminal", "demo")

    @property
    def data_dir(self) -> Path:
        """The one folder the terminal writes to; created (or tightened to) 0700 on first use."""
        path = Path(self.get("storage", "data_dir")).expanduser()
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        tighten(path)  # an existing folder made with 755 is not left readable by others
        return path.resolve()

    @property
    def kiosk_lock(self) -> bool:
        # Demo mode is for development and show-and-tell: unlocked unless someone asked for the lock.
        if self.demo and not self.is_explicit("ui", "kiosk_lock"):
            return False
        return self.getbool("ui", "kiosk_lock")

    @property
    def content_dir(self) -> Path:
        raw = self.get("content", "bundled")
        return Path(raw).expanduser() if raw else CONFIG_DIR / "content"

    @property
    def window_size(self) -> tuple[int, int]:
        raw = self.get("ui", "size")
        if raw:
            try:
                w, h = (int(v) for v in raw.lower().split("x"))
                return w, h
            except ValueError:
                raise SettingsError(f"[ui] size must look like 1920x1080, not {raw!r}") from None
        orientation = self.get("ui", "orientation")
        if orientation == "portrait":
            return 1080, 1920
        if orientation == "landscape":
            return 1920, 1080
        raise SettingsError(f"[ui] orientation must be landscape or portrait, not {orientation!r}")


def load_settings(config_file: str | os.PathLike | None = None,
                  env: Mapping[str, str] | None = None,
                  overrides: Mapping[tuple[str, str], str] | None = None) -> Settings:
    """Merge default.ini, an optional config file, the environment and explicit overrides."""
    env = os.environ if env is None else env
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str.lower  # keys are case-insensitive, as in Kivy's config
    with open(DEFAULT_INI, encoding="utf-8") as fh:
        parser.read_file(fh)
    sources = [str(DEFAULT_INI)]
    explicit: set[tuple[str, str]] = set()

    if config_file:
        extra = configparser.ConfigParser(interpolation=None)
        extra.optionxform = str.lower
        path = Path(config_file)
        if not path.is_file():
            raise SettingsError(f"config file {path} does not exist")
        with open(path, encoding="utf-8") as fh:
            extra.read_file(fh)
        for section in extra.sections():
            for key, value in extra.items(section):
                _set(parser, section, key, value, origin=str(path))
                explicit.add((section, key))
        sources.append(str(path))

    known = {(s, k) for s in parser.sections() for k in parser.options(s)}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX):
            continue
        rest = name[len(ENV_PREFIX):].lower()
        # section names have no underscore, keys may: KIOSK_UI_IDLE_TIMEOUT -> [ui] idle_timeout
        section, _, key = rest.partition("_")
        if (section, key) in known:
            parser.set(section, key, value)
            explicit.add((section, key))
            sources.append(name)

    for (section, key), value in (overrides or {}).items():
        _set(parser, section, key, str(value), origin="command line")
        explicit.add((section, key))
    return Settings(parser, sources, explicit)


def _set(parser: configparser.ConfigParser, section: str, key: str, value: str, origin: str) -> None:
    if not parser.has_option(section, key):
        raise SettingsError(f"{origin}: [{section}] {key} is not a known setting (see config/default.ini)")
    parser.set(section, key, value)
