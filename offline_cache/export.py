"""Encrypted export of the undelivered outbox, for handing queued submissions over on a USB stick.

The file holds every pending and dead item (body, attachments and the item's Idempotency-Key, so that
whoever submits it later cannot create a duplicate), sealed with SM4-GCM under a key derived (scrypt)
from a staff passphrase. The terminal's own key never leaves the terminal.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from offline_cache import crypto
from offline_cache.outbox import CST, Outbox, now_rfc3339

FORMAT = "heze-outbox-export"
PASSPHRASE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone


def make_passphrase() -> str:
    """Four groups of four unambiguous characters, e.g. K7QM-2WXD-R9TA-HC4P."""
    return "-".join("".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(4)) for _ in range(4))


def export_outbox(outbox: Outbox, dest_dir: str | os.PathLike, passphrase: str) -> tuple[Path, int]:
    """Write the undelivered items to one encrypted file in `dest_dir`; returns (path, item count)."""
    items: list[dict[str, Any]] = []
    for local_id, state, idem_key, body, files in outbox.sealed_rows():
        items.append({"local_id": local_id, "state": state, "idempotency_key": idem_key, "submission": body,
                      "files": {str(pos): base64.b64encode(data).decode() for pos, data in files}})
    salt = os.urandom(16)
    n = 2 ** 15
    key = crypto.derive_key(passphrase, salt, n)
    plain = json.dumps(items, ensure_ascii=False).encode("utf-8")
    header = {"format": FORMAT, "version": 1, "terminal_id": outbox.terminal_id, "created_at": now_rfc3339(),
              "count": len(items), "cipher": "SM4-GCM",
              "kdf": {"name": "scrypt", "salt": base64.b64encode(salt).decode(), "n": n, "r": 8, "p": 1}}
    aad = json.dumps(header, sort_keys=True).encode()
    doc = dict(header, data=base64.b64encode(crypto.seal(key, plain, aad)).decode())
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(CST).strftime("%Y%m%dT%H%M%S")
    path = dest / f"outbox-export-{outbox.prefix}-{stamp}-{secrets.token_hex(3)}.hzx"
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path, len(items)


def read_export(path: str | os.PathLike, passphrase: str) -> dict[str, Any]:
    """Open an export: {"terminal_id", "created_at", "items": [...]} with attachments as bytes."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise crypto.CryptoError("export_format", "not an outbox export file")
    data = base64.b64decode(doc.pop("data"))
    kdf = doc["kdf"]
    key = crypto.derive_key(passphrase, base64.b64decode(kdf["salt"]), int(kdf["n"]))
    plain = crypto.open_sealed(key, data, json.dumps(doc, sort_keys=True).encode())
    items = json.loads(plain)
    for item in items:
        item["files"] = {int(k): base64.b64decode(v) for k, v in item["files"].items()}
    return {"terminal_id": doc["terminal_id"], "created_at": doc["created_at"], "items": items}
