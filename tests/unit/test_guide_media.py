"""经典案例 panels and 真人讲解 videos in the content pack: the demo pack's stories and generated videos,
the subtitles by time, the generator, and lint errors with file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.guides.lint import errors_only, lint_pack
from kiosk.guides.loader import load_pack
from kiosk.guides.subtitles import Cue, Subtitles, to_srt

PACK = Path(__file__).resolve().parents[2] / "config" / "content"


@pytest.fixture(scope="module")
def pack():
    return load_pack(PACK)


def test_every_case_is_a_picture_story(pack):
    for m in pack.matters:
        assert m.case and len(m.case.panels) >= 3, m.code
        for panel in m.case.panels:
            assert pack.asset(panel.picture).is_file() and panel.text


def test_demo_videos_are_small_and_their_subtitles_cover_the_steps(pack):
    with_video = [m for m in pack.matters if m.video]
    assert len(with_video) >= 3
    total = 0
    for m in with_video:
        total += pack.asset(m.video.file).stat().st_size
        subs = Subtitles.load(pack.asset(m.video.subtitles))
        assert len(subs.cues) == len(m.steps)
        assert subs.at(0.5).startswith(f"第1步，{m.steps[0].title}")
    assert total < 1_000_000          # committed to the repository


def test_generated_videos_decode_with_ffpyplayer(tmp_path):
    """The generator's output is what Kivy's provider reads: MPEG-4 at 640x360, 3 s a step."""
    import time

    from ffpyplayer.player import MediaPlayer

    from kiosk.guides.draw_videos import write_video
    root = tmp_path / "pack"
    shutil.copytree(PACK, root)
    mp4, srt_path = write_video(root, "HZ-MZ-001", "again")
    player = MediaPlayer(str(mp4), ff_opts={"an": True, "paused": False})
    try:
        deadline = time.monotonic() + 10
        frames = 0
        while time.monotonic() < deadline:
            frame, val = player.get_frame()
            if val == "eof":
                break
            if frame is not None:
                frames += 1
                size = frame[0].get_size()
            time.sleep(0.005)
        meta = player.get_metadata()
    finally:
        player.close_player()
    steps = len(load_pack(root).matter("HZ-MZ-001").steps)
    assert size == (640, 360) and meta["duration"] == pytest.approx(3.0 * steps, abs=0.3)
    assert frames > 10
    assert len(Subtitles.load(srt_path).cues) == steps


def test_subtitles_by_time():
    subs = Subtitles([Cue(0, 2.8, "一"), Cue(3, 5.8, "二")])
    assert [subs.at(t) for t in (0, 2.79, 2.9, 3.0, 5.9)] == ["一", "一", "", "二", ""]
    assert Subtitles.parse(to_srt(subs.cues)).cues == subs.cues
    for bad in ("", "1\n00:00:05,000 --> 00:00:01,000\n倒着\n", "不是字幕"):
        with pytest.raises(ValueError):
            Subtitles.parse(bad)


def _copy(tmp_path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(PACK, dest)
    return dest


@pytest.mark.parametrize("old, new, message", [
    ("  file: assets/videos/elder_card.mp4", "  file: assets/videos/nothing.mp4", "video assets/videos/nothing.mp4 is missing"),
    ("  file: assets/videos/elder_card.mp4", "  file: assets/videos/elder_card.gif", "should be one of .mp4"),
    ("  file: assets/videos/elder_card.mp4", "  file: ../../elder_card.mp4", "is outside the pack"),
    ("  subtitles: assets/videos/elder_card.srt", "  subtitle: assets/videos/elder_card.srt", "unknown key 'subtitle'"),
    ("{picture: assets/steps/photo.png,", "{picture: assets/steps/nope.png,", "picture assets/steps/nope.png is missing"),
    ("{picture: assets/steps/photo.png, text:", "{image: assets/steps/photo.png, text:", "unknown key 'image'"),
])
def test_lint_names_the_file_and_line(tmp_path, old, new, message):
    root = _copy(tmp_path)
    path = root / "matters" / "07_elder_card.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    hits = [e for e in errors_only(lint_pack(root)) if message in e.message]
    assert hits and hits[0].file == "matters/07_elder_card.yaml" and hits[0].line > 1, lint_pack(root)


def test_lint_reads_the_subtitles(tmp_path):
    root = _copy(tmp_path)
    (root / "assets" / "videos" / "elder_card.srt").write_text("1\n00:00:05,000 --> 00:00:01,000\n倒着\n",
                                                               encoding="utf-8")
    hits = [e for e in errors_only(lint_pack(root)) if "elder_card.srt" in e.message]
    assert hits and hits[0].file == "matters/07_elder_card.yaml"
