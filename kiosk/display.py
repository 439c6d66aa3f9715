"""A virtual display for machines without a screen (development boxes, CI, the tour)."""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_virtual_display(width: int, height: int) -> subprocess.Popen:
    """Start Xvfb on a free display number, export DISPLAY, and stop it when the process exits."""
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        raise RuntimeError("no display and no Xvfb: install xvfb (./dev.sh does) or run on the terminal's screen")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise RuntimeError("Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    atexit.register(proc.terminate)
    return proc
