"""A catalogue swap killed at every step leaves the terminal on a complete pack, old or new.

Each case runs one sync in a child process (tests/e2e/catalogue_child.py) that SIGKILLs itself at
one step of offline_cache/catalogue.py, then opens the pack as the terminal does at start
(kiosk.guides.store.load_active_pack) and compares every file with the old and the new pack the
platform served. A kill keeps the page cache, so it checks the order of the steps; that the data is
on disk before each rename (what a power cut needs) is checked by recording every fsync.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config import CONFIG_DIR
from kiosk.guides.store import load_active_pack, validate_pack_dir
from kiosk.settings import load_settings
from offline_cache import catalogue
from offline_cache.catalogue import CatalogueSync, current_pack_dir, read_state
from offline_cache.platform_client import PlatformClient
from platform_server.process import PlatformProcess

pytestmark = pytest.mark.e2e
BUNDLED = CONFIG_DIR / "content"
CHILD = Path(__file__).with_name("catalogue_child.py")
STEPS = ("blob_fetched", "blobs_fetched", "file_staged", "staged", "synced", "renamed", "packs_synced",
         "link_made", "link_replaced", "swapped", "collected")


def _tree(root: Path) -> dict[str, str]:
    """Every file of a pack (the state file aside) -> its SHA-256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != catalogue.STATE_FILE}


def _change_pack(pack: Path, tag: str) -> None:
    """A new version: one matter renamed, four files changed (new blobs to fetch)."""
    path = pack / "matters" / "01_id_card_renewal.yaml"
    path.write_text(path.read_text("utf-8").replace("name: 居民身份证换领", f"name: 居民身份证换领{tag}", 1), "utf-8")
    for i, other in enumerate(sorted((pack / "matters").glob("*.yaml"))[1:4]):
        other.write_text(other.read_text("utf-8") + f"\n# {tag} {i}\n", "utf-8")


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The platform with the old pack synced into a terminal's data_dir, then the new pack served."""
    base = tmp_path_factory.mktemp("catalogue-crash")
    server_pack = base / "server_pack"
    shutil.copytree(BUNDLED, server_pack)
    old = _tree(server_pack)
    with PlatformProcess(base / "platform.db", content=server_pack) as server:
        template = base / "template"
        client = PlatformClient(server.url, server.token, "HZ-TEST-0001", connect_timeout=2, read_timeout=5)
        try:
            assert CatalogueSync(client, template, validate_pack_dir).sync().status == "updated"
        finally:
            client.close()
        _change_pack(server_pack, "（新版）")
        yield server, template, old, _tree(server_pack)


def _terminal_pack(data_dir: Path):
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir)})
    pack = load_active_pack(settings)     # what the terminal shows after a restart
    return pack, _tree(Path(pack.root))


def _run_child(server, data_dir: Path, step: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHILD), str(data_dir), server.url, server.token, step],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("step", STEPS)
def test_sync_killed_at_each_step_leaves_a_complete_pack(packs, tmp_path, step):
    server, template, old, new = packs
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir, symlinks=True)
    done = _run_child(server, data_dir, step)
    assert done.returncode == -9, (done.returncode, done.stdout, done.stderr)  # it really died there

    pack, tree = _terminal_pack(data_dir)
    assert tree in (old, new), f"killed at {step}: the pack shown is neither the old nor the new one"
    name = pack.matter("HZ-GA-001").name
    assert name == ("居民身份证换领（新版）" if tree == new else "居民身份证换领")
    # the state names the pack that is shown, so the next sync asks for the right thing
    shown_etag = read_state(data_dir).get("etag")
    assert shown_etag and Path(pack.root).name.startswith(shown_etag)
    # after the swap the new pack must be the one shown
    if STEPS.index(step) >= STEPS.index("link_replaced"):
        assert tree == new

    # the next sync (the terminal restarted) finishes the job and clears what the dead one left
    again = _run_child(server, data_dir, "none")
    assert again.returncode == 0 and again.stdout.split()[0] in ("updated", "unchanged"), again.stdout
    assert _terminal_pack(data_dir)[1] == new
    root = data_dir / "catalogue"
    assert not list(root.glob(".current-*")) and not list((root / "packs").glob(".staging-*"))
    assert len(list((root / "packs").iterdir())) <= 2


def test_first_sync_killed_before_the_swap_shows_the_bundled_pack(packs, tmp_path):
    server, _, _, _ = packs
    data_dir = tmp_path / "data"
    assert _run_child(server, data_dir, "packs_synced").returncode == -9
    assert current_pack_dir(data_dir, BUNDLED) == BUNDLED
    assert _terminal_pack(data_dir)[1] == _tree(BUNDLED)


def test_every_byte_is_on_disk_before_the_renames(packs, tmp_path, monkeypatch):
    """The power-cut order: staged files, their folders and packs/ are fsynced before the pack is
    renamed and `current` is swapped; the catalogue folder after the swap."""
    server, template, _, new = packs
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir, symlinks=True)
    events: list[tuple[str, str]] = []
    real_fsync, real_rename, real_replace = os.fsync, os.rename, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def rename(src, dst):
        events.append(("rename", f"{src} -> {dst}"))
        return real_rename(src, dst)

    def replace(src, dst):
        events.append(("replace", f"{src} -> {dst}"))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", replace)
    client = PlatformClient(server.url, server.token, "HZ-TEST-0001", connect_timeout=2, read_timeout=5)
    try:
        assert CatalogueSync(client, data_dir, validate_pack_dir).sync().status == "updated"
    finally:
        client.close()

    root = (data_dir / "catalogue").resolve()
    kinds = [k for k, _ in events]
    pack_rename = next(i for i, (k, what) in enumerate(events) if k == "rename" and ".staging-" in what)
    swap = next(i for i, (k, what) in enumerate(events) if k == "replace" and what.endswith(str(root / "current")))
    staging = events[pack_rename][1].split(" -> ")[0]
    synced_before = {what for k, what in events[:pack_rename] if k == "fsync"}
    files = {str(Path(staging) / rel) for rel in new} | {str(Path(staging) / catalogue.STATE_FILE)}
    assert files <= synced_before, sorted(files - synced_before)[:5]
    folders = {str(Path(f).parent) for f in files}
    assert folders <= synced_before, sorted(folders - synced_before)[:5]
    assert str(root / "packs") in {what for k, what in events[pack_rename:swap] if k == "fsync"}
    assert ("fsync", str(root)) in events[swap:]
    assert kinds.count("rename") == 1


def test_two_syncs_at_once_do_not_break_each_other(packs, tmp_path):
    """The refresher and `content sync` may overlap: each waits for the other, both succeed."""
    import threading
    server, template, _, new = packs
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir, symlinks=True)
    results = []

    def one():
        client = PlatformClient(server.url, server.token, "HZ-TEST-0001", connect_timeout=2, read_timeout=5)
        try:
            results.append(CatalogueSync(client, data_dir, validate_pack_dir).sync())
        finally:
            client.close()
    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(r.status for r in results) == ["unchanged", "unchanged", "updated"], [r.reason for r in results]
    assert _terminal_pack(data_dir)[1] == new
