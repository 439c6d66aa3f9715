"""`GET /api/v1/catalogue` and `GET /api/v1/blobs/<sha256>`: the content pack, file by file.

The catalogue is a manifest of every file of the pack folder with its SHA-256 and size:
    {"format": 1, "pack": {"id": ..., "version": ...}, "files": [{"path", "sha256", "size"}, ...]}
Its ETag is the SHA-256 of the file list, so it changes exactly when a file changes; a client that
sends it back in If-None-Match gets 304. Blobs are served by hash from the files listed in the
manifest the server last handed out (a file edited since then is served as it is now, and the
client's hash check catches the difference — the same as a pack being replaced mid-download).
Authentication is the app's (platform_server/app.py); this blueprint only serves.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

from flask import Blueprint, Response, jsonify, request, send_file

FORMAT = 1
_SHA = re.compile(r"^[0-9a-f]{64}$")


class _Manifest:
    """Hashes of the pack's files, recomputed only for files whose size or mtime changed."""

    def __init__(self, pack_dir: Path):
        self.pack_dir = pack_dir
        self._hashes: dict[str, tuple[int, int, str]] = {}
        self.by_sha: dict[str, Path] = {}
        self._lock = threading.Lock()

    def build(self) -> tuple[dict, str]:
        with self._lock:
            files = []
            by_sha: dict[str, Path] = {}
            for path in sorted(p for p in self.pack_dir.rglob("*") if p.is_file()):
                rel = path.relative_to(self.pack_dir).as_posix()
                if any(part.startswith(".") for part in rel.split("/")):
                    continue  # editor and VCS droppings are not content
                st = path.stat()
                cached = self._hashes.get(rel)
                if cached and cached[:2] == (st.st_size, st.st_mtime_ns):
                    digest = cached[2]
                else:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    self._hashes[rel] = (st.st_size, st.st_mtime_ns, digest)
                files.append({"path": rel, "sha256": digest, "size": st.st_size})
                by_sha[digest] = path
            self.by_sha = by_sha
            etag = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:32]
            return {"format": FORMAT, "pack": _pack_info(self.pack_dir), "files": files}, etag


def _pack_info(pack_dir: Path) -> dict:
    """id and version from pack.yaml, read as plain lines (the server needs no YAML parser)."""
    info = {"id": "", "version": ""}
    try:
        for line in (pack_dir / "pack.yaml").read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition(":")
            if sep and key in info and not info[key]:
                info[key] = value.strip().strip('"').strip("'")
    except OSError:
        pass
    return info


def make_catalogue_blueprint(pack_dir: str | Path) -> Blueprint:
    """Blueprint serving the pack at `pack_dir` as catalogue + blobs."""
    manifest = _Manifest(Path(pack_dir))
    bp = Blueprint("catalogue", __name__)

    @bp.get("/api/v1/catalogue")
    def catalogue():
        body, etag = manifest.build()
        sent = request.headers.get("If-None-Match", "")
        if etag in [t.strip().strip('"').removeprefix("W/").strip('"') for t in sent.split(",") if t.strip()]:
            resp = Response(status=304)
        else:
            resp = jsonify(body)
        resp.headers["ETag"] = f'"{etag}"'
        resp.headers["Cache-Control"] = "no-cache"
        return resp

    @bp.get("/api/v1/blobs/<sha256>")
    def blob(sha256: str):
        if not _SHA.match(sha256):
            return jsonify({"error": {"code": "invalid_hash", "message": "哈希值格式不对"}}), 400
        if sha256 not in manifest.by_sha:
            manifest.build()  # a server restarted since the client read the catalogue
        path = manifest.by_sha.get(sha256)
        if path is None or not path.is_file():
            return jsonify({"error": {"code": "not_found", "message": "找不到这个文件"}}), 404
        return send_file(path, mimetype="application/octet-stream", conditional=False, etag=False,
                         max_age=0)

    return bp
