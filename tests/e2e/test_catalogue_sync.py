"""Catalogue download against the reference platform running as its own process.

The terminal must always have guides: a new pack replaces the old one only when every file came
through with the right hash and the pack lints clean; otherwise the old pack (or the bundled
one) stays.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests

from config import CONFIG_DIR
from kiosk.guides.loader import load_pack
from kiosk.guides.store import validate_pack_dir
from offline_cache.catalogue import CatalogueSync, current_pack_dir, read_state
from offline_cache.platform_client import PlatformClient
from platform_server.process import PlatformProcess

pytestmark = pytest.mark.e2e
BUNDLED = CONFIG_DIR / "content"
TERMINAL = "HZ-TEST-0001"


@pytest.fixture
def server_pack(tmp_path) -> Path:
    """The pack the platform serves: a copy the test may change."""
    dest = tmp_path / "server_pack"
    shutil.copytree(BUNDLED, dest)
    return dest


@pytest.fixture
def platform(tmp_path, server_pack):
    with PlatformProcess(tmp_path / "platform" / "platform.db", content=server_pack) as server:
        yield server


def _sync(platform, data_dir, progress=None):
    client = PlatformClient(platform.url, platform.token, TERMINAL, connect_timeout=2, read_timeout=5)
    try:
        return CatalogueSync(client, data_dir, validate_pack_dir).sync(progress)
    finally:
        client.close()


def _rename_matter(pack_dir: Path, new_name: str) -> Path:
    path = pack_dir / "matters" / "01_id_card_renewal.yaml"
    text = path.read_text(encoding="utf-8").replace("name: 居民身份证换领", f"name: {new_name}", 1)
    path.write_text(text, encoding="utf-8")
    return path


def _shown_name(data_dir: Path) -> str:
    return load_pack(current_pack_dir(data_dir, BUNDLED)).matter("HZ-GA-001").name


def test_first_sync_takes_the_pack_and_the_second_gets_304(platform, data_dir):
    first = _sync(platform, data_dir)
    assert first.status == "updated", first.reason
    assert first.downloaded > 40 and first.reused == 0
    current = current_pack_dir(data_dir, BUNDLED)
    assert current != BUNDLED and current.is_relative_to(data_dir)
    assert len(load_pack(current).matters) == len(load_pack(BUNDLED).matters)

    second = _sync(platform, data_dir)
    assert second.status == "unchanged" and second.downloaded == 0
    # the 304 really came from the server: a request without If-None-Match gets the full manifest
    plain = requests.get(platform.url + "/api/v1/catalogue", headers=platform.headers(TERMINAL), timeout=5)
    assert plain.status_code == 200 and plain.headers["ETag"].strip('"') == read_state(data_dir)["etag"]
    again = requests.get(platform.url + "/api/v1/catalogue", timeout=5,
                         headers=platform.headers(TERMINAL, **{"If-None-Match": plain.headers["ETag"]}))
    assert again.status_code == 304


def test_changed_pack_fetches_only_the_changed_file(platform, data_dir, server_pack):
    assert _sync(platform, data_dir).status == "updated"
    old_dir = current_pack_dir(data_dir, BUNDLED)
    _rename_matter(server_pack, "居民身份证换领（新版）")
    result = _sync(platform, data_dir)
    assert result.status == "updated" and result.downloaded == 1 and result.reused > 40
    assert _shown_name(data_dir) == "居民身份证换领（新版）"
    assert old_dir.exists()      # the previous pack stays while a screen may still show it …
    blobs = {p.name for p in (data_dir / "catalogue" / "blobs").iterdir()}
    assert len(blobs) == result.downloaded + result.reused  # unreferenced blobs are gone
    _rename_matter(server_pack, "居民身份证换领（第三版）")
    assert _sync(platform, data_dir).status == "updated"
    assert not old_dir.exists()  # … and goes with the next update
    assert len(list((data_dir / "catalogue" / "packs").iterdir())) == 2


def test_truncated_blob_keeps_the_old_pack(platform, data_dir, server_pack):
    assert _sync(platform, data_dir).status == "updated"
    changed = _rename_matter(server_pack, "改名后的事项")

    def truncate_on_server(done, total):
        if done == 0:  # the catalogue is read; now the file on the platform gets cut short
            changed.write_bytes(changed.read_bytes()[:200])

    result = _sync(platform, data_dir, truncate_on_server)
    assert result.status == "failed" and "truncated" in result.reason
    assert _shown_name(data_dir) == "居民身份证换领"
    assert not list((data_dir / "catalogue").glob("tmp/*"))


def test_wrong_hash_keeps_the_old_pack(platform, data_dir, server_pack):
    assert _sync(platform, data_dir).status == "updated"
    changed = _rename_matter(server_pack, "改名后的事项")

    def corrupt_on_server(done, total):
        if done == 0:
            data = bytearray(changed.read_bytes())
            data[10] ^= 0x01   # same length, one bit different
            changed.write_bytes(bytes(data))

    result = _sync(platform, data_dir, corrupt_on_server)
    assert result.status == "failed" and "SHA-256" in result.reason
    assert _shown_name(data_dir) == "居民身份证换领"


def test_server_vanishing_mid_download_then_coming_back(platform, data_dir, server_pack):
    assert _sync(platform, data_dir).status == "updated"
    for i, path in enumerate(sorted((server_pack / "matters").glob("*.yaml"))[:4]):
        path.write_text(path.read_text(encoding="utf-8") + f"\n# revision {i}\n", encoding="utf-8")

    blob_dir = data_dir / "catalogue" / "blobs"
    before = len(list(blob_dir.iterdir()))

    def kill_after_first_blob(done, total):
        if len(list(blob_dir.iterdir())) == before + 1:  # one new file arrived: pull the plug
            platform.kill()

    result = _sync(platform, data_dir, kill_after_first_blob)
    assert result.status == "failed"
    assert _shown_name(data_dir) == "居民身份证换领"
    load_pack(current_pack_dir(data_dir, BUNDLED))  # still complete and loadable

    platform.restart()
    back = _sync(platform, data_dir)
    assert back.status == "updated", back.reason
    assert back.downloaded < 4   # what arrived before the cut was kept and reused
    assert "# revision 3" in (current_pack_dir(data_dir, BUNDLED) / "matters" /
                              sorted(p.name for p in (server_pack / "matters").glob("*.yaml"))[3]).read_text("utf-8")


def test_invalid_pack_is_refused(platform, data_dir, server_pack):
    assert _sync(platform, data_dir).status == "updated"
    (server_pack / "assets" / "steps" / "photo.png").unlink()   # a step picture goes missing
    result = _sync(platform, data_dir)
    assert result.status == "failed"
    assert any("photo.png is missing" in e for e in result.errors)
    assert (current_pack_dir(data_dir, BUNDLED) / "assets" / "steps" / "photo.png").is_file()


def test_no_platform_at_all_falls_back_to_the_bundled_pack(platform, data_dir):
    platform.kill()
    result = _sync(platform, data_dir)
    assert result.status == "failed"
    assert current_pack_dir(data_dir, BUNDLED) == BUNDLED
    assert len(load_pack(current_pack_dir(data_dir, BUNDLED)).matters) >= 12


def test_background_refresher_and_library_pick_up_a_new_pack(platform, data_dir, server_pack):
    import time as _time

    from kiosk.guides.store import CatalogueRefresher, GuideLibrary
    from kiosk.settings import load_settings
    settings = load_settings(env={}, overrides={
        ("storage", "data_dir"): str(data_dir), ("terminal", "id"): TERMINAL, ("terminal", "level"): "city",
        ("platform", "url"): platform.url, ("platform", "token"): platform.token,
        ("platform", "connect_timeout"): "2", ("platform", "read_timeout"): "5"})
    library = GuideLibrary(settings)
    assert library.pack.root == BUNDLED
    _rename_matter(server_pack, "居民身份证换领（后台更新）")
    refresher = CatalogueRefresher(settings, interval=0.2).start()
    try:
        deadline = _time.monotonic() + 30
        while not (refresher.last and refresher.last.status in ("updated", "unchanged")
                   and read_state(data_dir).get("etag")):
            assert _time.monotonic() < deadline, refresher.last
            _time.sleep(0.1)
    finally:
        refresher.stop()
    assert library.refresh_if_changed()
    assert library.pack.matter("HZ-GA-001").name == "居民身份证换领（后台更新）"
    assert [h.code for h in library.index.search("后台更新")] == ["HZ-GA-001"]


def test_content_sync_and_info_commands(platform, tmp_path):
    import json
    import os
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, KIOSK_PLATFORM_URL=platform.url, KIOSK_PLATFORM_TOKEN=platform.token,
               KIOSK_TERMINAL_ID=TERMINAL)
    data = tmp_path / "kiosk-data"
    run = lambda *args: subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data), *args],  # noqa: E731
                                       cwd=root, env=env, capture_output=True, text=True, timeout=120)
    first = run("content", "sync")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["status"] == "updated"
    assert json.loads(run("content", "sync").stdout)["status"] == "unchanged"
    info = json.loads(run("content", "info").stdout)
    assert Path(info["dir"]).is_relative_to(data.resolve()) and info["matters"] >= 12


def test_blob_endpoint_refuses_bad_and_unknown_hashes(platform):
    url = platform.url + "/api/v1/blobs/"
    headers = platform.headers(TERMINAL)
    assert requests.get(url + "../../etc/passwd", headers=headers, timeout=5).status_code in (400, 404)
    assert requests.get(url + "ABC", headers=headers, timeout=5).status_code == 400
    assert requests.get(url + "0" * 64, headers=headers, timeout=5).status_code == 404
    assert requests.get(platform.url + "/api/v1/catalogue", timeout=5).status_code == 401   # the app's auth
    manifest = requests.get(platform.url + "/api/v1/catalogue", headers=headers, timeout=5).json()
    entry = next(f for f in manifest["files"] if f["path"] == "pack.yaml")
    body = requests.get(url + entry["sha256"], headers=headers, timeout=5).content
    assert len(body) == entry["size"] and b"heze-demo" in body
