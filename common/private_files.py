"""Everything the terminal writes is private to its user: files 0600, folders 0700.

New files get that from the process umask (`PRIVATE_UMASK`, set by the command line before anything is
written); files and folders that already exist with looser modes (an old install, a copied data_dir, a
folder made by hand with 755) are tightened by `tighten` / `tighten_tree`. Symbolic links are never
followed: a link under data_dir (the simulated reader's pty) must not loosen or tighten its target.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
FILE_MODE, DIR_MODE = 0o600, 0o700


def tighten(path: str | os.PathLike) -> None:
    """Make one existing file 0600 or folder 0700 if it is looser; missing paths and links are left alone."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        wanted = DIR_MODE
    elif stat.S_ISREG(st.st_mode):
        wanted = FILE_MODE
    else:
        return  # links, sockets, fifos, devices
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            os.chmod(path, stat.S_IMODE(st.st_mode) & wanted)
        except PermissionError:
            pass  # not ours: nothing this process can do about it


def tighten_tree(root: str | os.PathLike) -> None:
    """`tighten` the folder and everything under it (links are not followed)."""
    root = Path(root)
    tighten(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            tighten(os.path.join(dirpath, name))


def private_umask() -> int:
    """From now on every file this process creates is 0600 and every folder 0700; returns the old umask."""
    return os.umask(PRIVATE_UMASK)
