"""The diagnostics bundle: one zip staff carry away on a USB stick (or write to a chosen folder).

Inside: manifest.json (terminal, version, when), config.json (the merged configuration, every secret
masked), selfcheck.json (the self-check and the self-tests' figures), events.jsonl (the event log),
the log files and staff-alerts.log. Every text goes through the log redaction again (ID numbers,
credit codes, phone numbers) and every secret value of the configuration is cut out of it, so a log
line that quoted the token does not carry it away. Never inside: the outbox database and its key,
the PIN files, print spool files, pictures.
"""
from __future__ import annotations

import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any, Iterable

from kiosk.logs import redact

SECRET_KEYS = {"token", "issuers", "pin_hash", "pin_sha256"}
SECRET_WORDS = ("token", "secret", "password", "passwd", "key", "pin_")
MASK = "***"
REMOVABLE_ROOTS = ("/media", "/run/media", "/mnt")
LOG_SUFFIX = re.compile(r"\.log(\.\d+)?$")


def _is_secret(key: str) -> bool:
    return key in SECRET_KEYS or any(word in key.lower() for word in SECRET_WORDS)


def masked_config(settings) -> tuple[dict[str, dict[str, str]], list[str]]:
    """(the merged configuration with secrets masked, the secret values that were masked)."""
    merged = settings.sections()
    secrets: list[str] = []
    for values in merged.values():
        for key, value in values.items():
            if _is_secret(key) and value:
                secrets += [value] + [part.split("=", 1)[-1] for part in value.split(",") if "=" in part]
                values[key] = MASK
            elif "://" in value and "@" in value:     # a URL with a user and password in it
                values[key] = re.sub(r"://[^/@]+@", "://" + MASK + "@", value)
    return merged, sorted({s.strip() for s in secrets if len(s.strip()) >= 4}, key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Redact personal data and cut out every secret value."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return redact(text)


def removable_targets(mounts: str = "/proc/mounts") -> list[Path]:
    """Mounted removable media (USB sticks) under /media, /run/media or /mnt that can be written."""
    found = []
    try:
        lines = Path(mounts).read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split()
        if len(parts) < 2:
            continue
        point = parts[1].replace("\\040", " ")
        if any(point == root or point.startswith(root + "/") for root in REMOVABLE_ROOTS) \
                and point not in REMOVABLE_ROOTS and os.access(point, os.W_OK):
            found.append(Path(point))
    return found


def _log_files(data_dir: Path, log_name: str) -> list[Path]:
    from offline_cache.outbox import ALERT_LOG
    files = sorted(p for p in data_dir.glob(log_name + "*") if LOG_SUFFIX.search(p.name))
    alerts = data_dir / ALERT_LOG
    return files + ([alerts] if alerts.exists() else [])


def export(dest: str | os.PathLike, settings, selfcheck: dict[str, Any], events: list[dict[str, Any]] | None = None,
           now: float | None = None) -> Path:
    """Write the bundle into the folder `dest`; returns the zip's path. Raises OSError (full stick,
    read-only, pulled out) for the screen to say so."""
    from kiosk import __version__
    dest = Path(dest)
    if not dest.is_dir():
        raise NotADirectoryError(str(dest))
    now = time.time() if now is None else now
    terminal = settings.get("terminal", "id")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = dest / f"heze-diag-{re.sub(r'[^A-Za-z0-9_-]', '_', terminal)}-{stamp}.zip"
    config, secrets = masked_config(settings)
    data_dir = Path(settings.data_dir)

    def dump(obj: Any) -> str:
        return scrub(json.dumps(obj, ensure_ascii=False, indent=2, default=str), secrets)

    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", dump({"terminal": terminal, "version": __version__,
                                           "made_at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)),
                                           "contents": "config (secrets masked), self-check, events, logs"}))
        zf.writestr("config.json", dump({"sources": [Path(s).name for s in settings.sources], "settings": config}))
        zf.writestr("selfcheck.json", dump(selfcheck))
        zf.writestr("events.jsonl", "".join(scrub(json.dumps(e, ensure_ascii=False), secrets) + "\n"
                                            for e in (events or [])))
        for path in _log_files(data_dir, settings.get("logging", "file")):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            zf.writestr(f"logs/{path.name}", scrub(text, secrets))
    try:
        os.chmod(tmp, 0o600)       # private like every file of the terminal (a FAT stick ignores it)
    except OSError:
        pass
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())      # on a USB stick: on the stick, not in a cache, before we say 已导出
    os.replace(tmp, target)
    return target
