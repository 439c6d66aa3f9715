"""Environment for Kivy, set before the first `import kivy` (Kivy reads it at import time).

No Kivy import on purpose: the run and tour commands call it first, then import screens.app.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from common.private_files import tighten

log = logging.getLogger(__name__)

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


def find_font(configured: str = "", cache_dir: Path | None = None) -> tuple[str, str]:
    """(regular, bold) font files covering CJK; raises with a plain message when none is installed.

    Debian's Noto CJK comes as collections whose first face is the Japanese one, and Kivy (SDL_ttf) opens
    only a file's first face: 门, 户, 骨, 写, 说, 直 would be drawn in their Japanese forms. With a
    `cache_dir`, the Simplified Chinese face is taken out of the collection once (sc_face) and used."""
    if configured:
        if not Path(configured).is_file():
            raise FileNotFoundError(f"[ui] font {configured} does not exist")
        return configured, configured
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            bold = candidate.replace("Regular", "Bold")
            bold = bold if Path(bold).is_file() else candidate
            if cache_dir is not None:
                return sc_face(candidate, cache_dir), sc_face(bold, cache_dir)
            return candidate, bold
    raise FileNotFoundError("no CJK font found: install fonts-noto-cjk or set [ui] font")


def sc_face(path: str, cache_dir: Path) -> str:
    """The Simplified Chinese face of the collection `path` as a font file of its own in `cache_dir`
    (made once, about a second, and again when the installed collection changes); `path` itself when it
    is not a collection or the face cannot be taken out (logged)."""
    source = Path(path)
    if source.suffix.lower() != ".ttc":
        return path
    stat = source.stat()
    target = Path(cache_dir) / f"{source.stem}-SC-{stat.st_size}-{int(stat.st_mtime)}.otf"
    if target.is_file():
        return str(target)
    try:
        from fontTools.ttLib import TTCollection
        collection = TTCollection(str(source), lazy=True)
        faces = [font for font in collection.fonts if font["name"].getDebugName(1).endswith(" SC")]
        if not faces:
            log.warning("font %s has no Simplified Chinese face; its first face is used", source.name)
            return path
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in target.parent.glob(f"{source.stem}-SC-*.otf"):
            stale.unlink(missing_ok=True)
        partial = target.with_suffix(".part")
        faces[0].save(str(partial))
        os.replace(partial, target)
    except Exception as exc:     # a full disk or a damaged file: the collection's first face still draws
        log.warning("could not take the Simplified Chinese face out of %s (%s); its first face is used",
                    source.name, type(exc).__name__)
        return path
    return str(target)
