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


@pytest.mark.ui
@pytest.mark.timeout(300)
def test_spoken_txt_has_words_for_every_state_in_both_modes(tmp_path):
    """spoken.txt beside the photos: 长辈模式 records what was read; normal mode, which reads nothing by
    itself, what the screen (or the warning) would read with the voice on, marked as such."""
    from screens import VOICE_OFF     # not screens.tour: importing it opens a Kivy window in this process
    out = tmp_path / "png"
    run = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(tmp_path / "data"), "tour", str(out),
                          "--only", "complaint", "--only", "timeout-warning"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    states: dict[str, list[str]] = {}
    for line in (out / "spoken.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            states[line[1:-1]] = current = []
        elif line and not line.startswith("#") and states:
            current.append(line)
    shots = {p.stem for p in out.glob("*.png")}
    assert set(states) == shots and "complaint-review" in states
    for shot, lines in states.items():
        assert lines and "（不朗读）" not in lines, shot
        if shot.endswith("-elderly"):
            assert not any(VOICE_OFF in line for line in lines), shot
        else:
            assert len(lines) == 1 and lines[0].startswith(VOICE_OFF) and len(lines[0]) > len(VOICE_OFF) + 4, shot
    assert states["complaint-review"][0] == VOICE_OFF + states["complaint-review-elderly"][-1], \
        "normal mode's words are the words 长辈模式 reads"
    assert "139****5678" in states["complaint-review"][0] and "13905305678" not in states["complaint-review"][0]
    assert states["timeout-warning"][0].startswith(VOICE_OFF + "您还在吗？")
    assert "？。" not in "".join(sum(states.values(), []))
