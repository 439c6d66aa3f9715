"""Everything the terminal writes is 0600/0700, including what an older version or a hand-made folder left."""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_loose_data_dir_is_tightened_by_any_command(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    from offline_cache.outbox import Outbox
    old_umask = os.umask(0o022)
    try:
        box = Outbox(data)  # an outbox with a WAL, made by a process with the usual umask
        box.enqueue("complaint", {"text": "x"})
        box.close()
        loose = {"kiosk.log": 0o644, "kiosk.log.1": 0o644, "kiosk.log.5": 0o664, "outbox.db": 0o644,
                 "staff-alerts.log": 0o644, "kivy/config.ini": 0o644, "catalogue/packs/p1/guide.json": 0o644}
        for name, mode in loose.items():
            path = data / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text("x")
            os.chmod(path, mode)
        for folder in ("kivy", "catalogue", "catalogue/packs", "catalogue/packs/p1"):
            os.chmod(data / folder, 0o755)
        os.symlink("/dev/null", data / "run-link")
        null_mode = _mode(Path("/dev/null"))
    finally:
        os.umask(old_umask)
    run = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data), "outbox", "status"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    bad = []
    for dirpath, dirnames, filenames in os.walk(data):
        for name in dirnames:
            if _mode(Path(dirpath, name)) != 0o700:
                bad.append(f"{Path(dirpath, name)} {oct(_mode(Path(dirpath, name)))}")
        for name in filenames:
            path = Path(dirpath, name)
            if not path.is_symlink() and _mode(path) & 0o077:
                bad.append(f"{path} {oct(_mode(path))}")
    assert _mode(data) == 0o700, oct(_mode(data))
    assert not bad, bad
    assert _mode(Path("/dev/null")) == null_mode, "a link's target is never touched"


def test_new_files_are_private_whatever_the_umask(tmp_path):
    from kiosk.logs import setup_logging
    old_umask = os.umask(0o022)
    try:
        log_file = setup_logging(tmp_path, max_bytes=200, backups=2, console=False)
        for n in range(20):
            logging.getLogger("test").warning("line %d of a log that rotates", n)
        from offline_cache.outbox import Outbox
        box = Outbox(tmp_path / "fresh")
        box.enqueue("complaint", {"text": "x"})
        files = [log_file, log_file.with_name("kiosk.log.1"), log_file.with_name("kiosk.log.2")]
        files += [p for p in (tmp_path / "fresh").iterdir()]
        box.close()
    finally:
        os.umask(old_umask)
        setup_logging(tmp_path / "other", console=False)
    assert any(p.name == "outbox.db-wal" for p in files)
    loose = [f"{p.name} {oct(_mode(p))}" for p in files if p.exists() and _mode(p) & 0o077]
    assert not loose, loose
    assert _mode(tmp_path / "fresh") == 0o700
