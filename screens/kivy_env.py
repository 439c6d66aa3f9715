"""Environment for Kivy, set before the first `import kivy` (Kivy reads it at import time).

No Kivy import on purpose: the run and tour commands call it first, then import screens.app.
"""
from __future__ import annotations

import os
from pathlib import Path

from common.private_files import tighten

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
)


def prepare_environment(settings) -> None:
    """Keep Kivy's own files (config, logs) inside data_dir and its log in our redacted handlers."""
    kivy_home = Path(settings.data_dir) / "kivy"
    kivy_home.mkdir(mode=0o700, parents=True, exist_ok=True)
    tighten(kivy_home)
    os.environ.setdefault("KIVY_HOME", str(kivy_home))
    os.environ["KIVY_NO_ARGS"] = "1"          # our CLI owns sys.argv
    # Kivy neither reads nor writes data_dir/kivy/config.ini, nor takes KCFG_* variables: every key the
    # terminal relies on is set by screens.lockdown.force_config at start (a planted file changes nothing)
    os.environ["KIVY_NO_CONFIG"] = "1"
    os.environ["KIVY_NO_ENV_CONFIG"] = "1"
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")  # Kivy's records go through the root logger's filter
    os.environ.setdefault("KIVY_NO_FILELOG", "1")    # our rotating file is the one log
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_VIDEO", "ffpyplayer")  # 真人讲解 videos (screens/video.py)
    if not Path("/dev/snd").exists():               # no sound card (CI, Xvfb): SDL's silent audio, no error
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


def find_font(configured: str = "") -> tuple[str, str]:
    """(regular, bold) font files covering CJK; raises with a plain message when none is installed."""
    if configured:
        if not Path(configured).is_file():
            raise FileNotFoundError(f"[ui] font {configured} does not exist")
        return configured, configured
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            bold = candidate.replace("Regular", "Bold")
            return candidate, bold if Path(bold).is_file() else candidate
    raise FileNotFoundError("no CJK font found: install fonts-noto-cjk or set [ui] font")
