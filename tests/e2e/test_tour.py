"""`run_kiosk.py tour --portrait --audit`: every screen state photographed in portrait, in both modes,
and the accessibility audit clean there too (tests/ui audits landscape)."""
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.ui
@pytest.mark.timeout(900)   # one process photographs every state twice; the suite's 300 s is for single tests
def test_portrait_tour_photographs_every_screen_and_audits_clean(tmp_path):
    out = tmp_path / "png"
    run = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(tmp_path / "data"), "tour", str(out),
                          "--portrait", "--audit"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "0 findings" in run.stdout
    assert (out / "receipt-paper.png").is_file(), "the printed slip (what the simulator printer drew) is beside the photos"
    shots = sorted(p for p in out.glob("*.png") if p.name != "receipt-paper.png")   # screen photos only
    from screens import SCREENS
    for name in SCREENS:
        assert (out / f"{name}.png").is_file() or any(p.name.startswith(name + "-") for p in shots), name
    assert sum(p.name.endswith("-elderly.png") for p in shots) * 2 == len(shots), "every state in both modes"
    width, height = struct.unpack(">II", (out / "home.png").read_bytes()[16:24])
    assert (width, height) == (1080, 1920)
