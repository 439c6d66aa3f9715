"""Bring the content pack from the platform into data_dir, replacing the old one only when the new
one is complete and valid.

    data_dir/catalogue/
        blobs/<sha256>      every file ever fetched, named by its verified hash (reused across versions)
        packs/<etag>-<rnd>/ complete pack folders built from blobs: the current one and the previous
        current -> packs/…  symlink to the pack in use, swapped with one atomic rename
        packs/…/.catalogue-state.json   etag and version of that pack, inside it: state and pack swap
                            together (an older version's root state.json is still read when a pack has none)
        tmp/                downloads in progress (cleared at the start of every sync)

Order of a sync: catalogue (If-None-Match) -> each missing blob streamed to tmp/, size and SHA-256
checked, renamed into blobs/ -> the pack assembled in a staging folder -> validated by the caller's
validator (the content lint; this layer does not know the pack format) -> renamed into packs/ ->
`current` swapped -> packs older than the previous one and unreferenced blobs removed. Any failure before
the swap leaves `current` exactly as it was; the bundled pack stays the fallback when there is
no `current` at all (see `current_pack_dir`).

Power cuts: every staged file, its state file and every folder of the staged pack are fsynced before
the pack is renamed into packs/, packs/ is fsynced before `current` is swapped, and the catalogue
folder after it. So whatever instant the power goes, `current` names either the old pack or a new
pack whose every byte is on disk (tests/e2e/test_catalogue_crash.py kills a sync at each step).
Leftovers of an interrupted sync (staging folders, a half-made link) are removed by the next one.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

import requests

from offline_cache.platform_client import PlatformClient
from common.private_files import tighten_tree

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_FILES = 50_000
MAX_BLOB = 20 * 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")

Validator = Callable[[Path], list[str]]          # pack folder -> error messages (empty = valid)
Progress = Callable[[int, int], None]             # (files done, files total)


class CatalogueError(Exception):
    """The new pack could not be taken; the old one is still in place."""


@dataclass
class SyncResult:
    status: str                  # unchanged | updated | failed
    version: str = ""
    etag: str = ""
    downloaded: int = 0          # blobs fetched over the network this time
    reused: int = 0              # blobs already on disk
    reason: str = ""
    errors: list[str] = field(default_factory=list)


def catalogue_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "catalogue"


def current_pack_dir(data_dir: Path, bundled: Path) -> Path:
    """The pack to show: the downloaded one if there is one, else the bundled pack."""
    cur = catalogue_dir(data_dir) / "current"
    if cur.is_symlink() and cur.resolve().is_dir() and (cur / "pack.yaml").is_file():
        return cur.resolve()
    return Path(bundled)


STATE_FILE = ".catalogue-state.json"

# Test hook: called with the name of each step of a sync (tests/e2e/test_catalogue_crash.py kills
# the process there). A no-op in the terminal.
crash_point: Callable[[str], None] = lambda step: None


def read_state(data_dir: Path) -> dict:
    """Etag, version and id of the pack `current` points at ({} when there is none)."""
    root = catalogue_dir(data_dir)
    for path in (root / "current" / STATE_FILE, root / "state.json"):
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return {}


def _safe_rel(path: str) -> PurePosixPath:
    """A manifest path must stay inside the pack: relative, no '..', no empty parts."""
    p = PurePosixPath(path)
    if not path or p.is_absolute() or any(part in ("", ".", "..") for part in p.parts) or "\\" in path:
        raise CatalogueError(f"unsafe path in catalogue: {path!r}")
    return p


def _parse_manifest(data: object) -> tuple[list[dict], dict]:
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise CatalogueError("catalogue is not a manifest (no files list)")
    files = data["files"]
    if not files or len(files) > MAX_FILES:
        raise CatalogueError(f"catalogue lists {len(files)} files")
    seen = set()
    for f in files:
        if not isinstance(f, dict) or not isinstance(f.get("path"), str) or not isinstance(f.get("size"), int) \
                or not isinstance(f.get("sha256"), str) or not _SHA.match(f["sha256"]):
            raise CatalogueError(f"bad catalogue entry: {f!r:.120}")
        if not 0 <= f["size"] <= MAX_BLOB:
            raise CatalogueError(f"file {f['path']} is too large ({f['size']} bytes)")
        rel = str(_safe_rel(f["path"]))
        if rel in seen:
            raise CatalogueError(f"file {rel} listed twice")
        seen.add(rel)
    pack = data.get("pack") if isinstance(data.get("pack"), dict) else {}
    return files, pack


class CatalogueSync:
    """One terminal's catalogue download. Not thread-safe: run one sync at a time (the sync worker).

    `lock`, when the client is shared (the terminal's one client and its lock), is held for each exchange
    with the platform: the catalogue, then one blob at a time, so a citizen's question waits for one
    file at most, never for the whole pack."""

    def __init__(self, client: PlatformClient, data_dir: Path, validator: Validator | None = None,
                 lock: contextlib.AbstractContextManager | None = None):
        self.client = client
        self.lock = lock if lock is not None else contextlib.nullcontext()
        self.root = catalogue_dir(data_dir)
        self.validator = validator

    def _dirs(self) -> tuple[Path, Path, Path]:
        blobs, packs, tmp = self.root / "blobs", self.root / "packs", self.root / "tmp"
        for d in (self.root, blobs, packs, tmp):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
        # what an interrupted sync left: a half-made link, an unused state file, a staging folder
        for junk in [*self.root.glob(".current-*"), *self.root.glob(".state-*")]:
            junk.unlink(missing_ok=True)
        for junk in packs.glob(".staging-*"):
            shutil.rmtree(junk, ignore_errors=True)
        return blobs, packs, tmp

    def sync(self, progress: Progress | None = None) -> SyncResult:
        """Fetch the catalogue; take the new pack if it changed and is complete and valid.
        Never raises for network or content problems: the result says what happened.

        One sync at a time per data_dir, across threads and processes (the background refresher and
        `content sync`): the others wait on a lock file, so that clearing what an interrupted sync
        left never removes the staging folder of one that is running."""
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            lock = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log.warning("catalogue sync failed: %s", exc)
            return SyncResult("failed", reason=str(exc)[:300])
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return self._sync(progress)
            except (requests.RequestException, CatalogueError, OSError, ValueError) as exc:
                log.warning("catalogue sync failed: %s", exc)
                return SyncResult("failed", reason=str(exc)[:300])
            finally:
                shutil.rmtree(self.root / "tmp", ignore_errors=True)
        finally:
            os.close(lock)   # releases the lock

    def _sync(self, progress: Progress | None) -> SyncResult:
        blobs, packs, tmp = self._dirs()
        state = read_state(self.root.parent)
        have_current = (self.root / "current").is_symlink() and (self.root / "current").exists()
        headers = {"If-None-Match": f'"{state["etag"]}"'} if have_current and state.get("etag") else {}
        with self.lock:
            resp = self.client.request("GET", "/api/v1/catalogue", headers=headers)
        if resp.status_code == 304:
            return SyncResult("unchanged", version=state.get("version", ""), etag=state.get("etag", ""))
        if resp.status_code != 200:
            raise CatalogueError(f"catalogue answered HTTP {resp.status_code}")
        etag = resp.headers.get("ETag", "").strip().removeprefix("W/").strip('"')
        files, pack = _parse_manifest(resp.json())
        if not etag:
            etag = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:32]
        if not re.match(r"^[A-Za-z0-9._-]{1,80}$", etag):
            raise CatalogueError("catalogue ETag has characters a folder name cannot have")

        result = SyncResult("updated", version=str(pack.get("version", "")), etag=etag)
        total = len(files)
        if progress:
            progress(0, total)
        for done, f in enumerate(files, start=1):
            if (blobs / f["sha256"]).is_file():
                result.reused += 1
            else:
                self._fetch_blob(f, blobs, tmp)
                result.downloaded += 1
                crash_point("blob_fetched")
            if progress:
                progress(done, total)
        crash_point("blobs_fetched")

        staging = packs / f".staging-{uuid.uuid4().hex}"
        try:
            for f in files:
                dest = staging / _safe_rel(f["path"])
                dest.parent.mkdir(parents=True, exist_ok=True)
                _copy_durable(blobs / f["sha256"], dest)
                crash_point("file_staged")
            tighten_tree(staging)  # the pack is the terminal's own: 0600/0700 whatever the umask
            tighten_tree(blobs)
            crash_point("staged")
            errors = self.validator(staging) if self.validator else []
            if errors:
                result = SyncResult("failed", version=result.version, etag=etag, downloaded=result.downloaded,
                                    reused=result.reused, reason="the new pack is not valid", errors=errors[:20])
                return result
            _write_durable(staging / STATE_FILE,
                           json.dumps({"etag": etag, "version": result.version, "id": pack.get("id", "")},
                                      ensure_ascii=False).encode("utf-8"))
            _fsync_tree_dirs(staging)
            crash_point("synced")
            # a fresh name every time: the folder `current` points at is never touched
            final = packs / f"{etag}-{uuid.uuid4().hex[:8]}"
            os.rename(staging, final)
            crash_point("renamed")
            _fsync_dir(packs)
            crash_point("packs_synced")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        link = self.root / "current"
        previous = link.resolve() if link.is_symlink() else None
        self._swap_current(final)
        crash_point("swapped")
        self._collect_garbage(keep_packs={final, previous}, keep_blobs={f["sha256"] for f in files})
        crash_point("collected")
        return result

    def _fetch_blob(self, f: dict, blobs: Path, tmp: Path) -> None:
        """Stream one blob to tmp/, check its size and hash, then move it into blobs/."""
        sha, size = f["sha256"], f["size"]
        part = tmp / f"{sha}.{uuid.uuid4().hex}.part"
        digest, got = hashlib.sha256(), 0
        with self.lock, self.client.request("GET", f"/api/v1/blobs/{sha}", stream=True) as resp:
            if resp.status_code != 200:
                raise CatalogueError(f"blob {f['path']} answered HTTP {resp.status_code}")
            with open(part, "wb") as out:
                for chunk in resp.iter_content(CHUNK):
                    got += len(chunk)
                    if got > size:
                        raise CatalogueError(f"blob {f['path']} is longer than the catalogue says")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        if got != size:
            raise CatalogueError(f"blob {f['path']} is truncated ({got} of {size} bytes)")
        if digest.hexdigest() != sha:
            raise CatalogueError(f"blob {f['path']} does not match its SHA-256")
        os.replace(part, blobs / sha)

    def _swap_current(self, target: Path) -> None:
        """Point `current` at the new pack with one rename: readers see the old or the new, never neither."""
        link = self.root / "current"
        tmp_link = self.root / f".current-{uuid.uuid4().hex}"
        os.symlink(os.path.relpath(target, self.root), tmp_link)
        crash_point("link_made")
        os.replace(tmp_link, link)
        crash_point("link_replaced")
        _fsync_dir(self.root)
        # an older version's root state.json would now describe the wrong pack
        (self.root / "state.json").unlink(missing_ok=True)

    def _collect_garbage(self, keep_packs: set[Path | None], keep_blobs: set[str]) -> None:
        """Packs older than the previous one and blobs no longer listed go. The previous pack stays
        until the next update: a screen still showing it can load its pictures until it reloads."""
        for p in (self.root / "packs").iterdir():
            if p.resolve() not in {k.resolve() for k in keep_packs if k is not None}:
                shutil.rmtree(p, ignore_errors=True)
        for b in (self.root / "blobs").iterdir():
            if b.name not in keep_blobs:
                b.unlink(missing_ok=True)


def _write_durable(dest: Path, data: bytes) -> None:
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_durable(src: Path, dest: Path) -> None:
    """Copy and fsync: after a power cut the renamed pack must not hold empty or short files."""
    with open(src, "rb") as fin, open(dest, "wb") as fout:
        shutil.copyfileobj(fin, fout, CHUNK)
        fout.flush()
        os.fsync(fout.fileno())


def _fsync_tree_dirs(root: Path) -> None:
    """fsync every folder under `root`, deepest first, then `root`: the entries become durable."""
    folders = [Path(d) for d, _, _ in os.walk(root)]
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        _fsync_dir(folder)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
