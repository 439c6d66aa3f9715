"""经典案例 panels and 真人讲解 videos in the content pack: the demo pack's stories and generated videos,
the subtitles by time, the generator, and lint errors with file and line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

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
    assert total < 1_500_000          # committed to the repository (pictures and narration)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """One run of the generator on a copy of the pack: (pack folder, .mp4, .srt)."""
    from kiosk.guides.draw_videos import write_video
    root = tmp_path_factory.mktemp("draw") / "pack"
    shutil.copytree(PACK, root)
    mp4, srt_path = write_video(root, "HZ-MZ-001", "again")
    return root, mp4, srt_path


def test_generated_videos_decode_with_ffpyplayer(generated):
    """The generator's output is what Kivy's provider reads: 640x360, as long as its subtitles."""
    import time

    from ffpyplayer.player import MediaPlayer

    root, mp4, srt_path = generated
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
    cues = Subtitles.load(srt_path).cues
    assert size == (640, 360) and meta["duration"] == pytest.approx(cues[-1].end + 0.2, abs=0.3)
    assert frames > 10
    assert len(cues) == steps and all(c.end - c.start >= 2.8 for c in cues)
    assert all(a.end < b.start for a, b in zip(cues, cues[1:]))          # in order, never overlapping


def _sound(mp4: Path) -> tuple[np.ndarray, int, float, float]:
    """The decoded sound (mono float, -1..1), its rate, and the audio and video streams' durations."""
    import av
    with av.open(str(mp4)) as box:
        audio, video = box.streams.audio[0], box.streams.video[0]
        assert audio.codec_context.name == "aac"
        durations = (float(audio.duration * audio.time_base), float(video.duration * video.time_base))
        rate = audio.codec_context.sample_rate
        chunks = [f.to_ndarray().astype(np.float64).mean(axis=0) for f in box.decode(audio)]
    return np.concatenate(chunks), rate, *durations


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples ** 2))) if len(samples) else 0.0


def _check_narration(mp4: Path, srt_path: Path) -> None:
    sound, rate, audio_s, video_s = _sound(mp4)
    assert audio_s >= video_s - 0.05 and len(sound) / rate >= video_s - 0.1      # the voice covers the video
    cues = Subtitles.load(srt_path).cues
    for cue in cues:
        window = sound[int(cue.start * rate):int(cue.end * rate)]
        first = sound[int(cue.start * rate):int((cue.start + 0.6) * rate)]
        assert _rms(window) > 0.02, (mp4.name, cue)           # someone speaks during the line …
        assert _rms(first) > 0.01, (mp4.name, cue)            # … from its start
    for a, b in zip(cues, cues[1:]):                          # and is quiet between the lines
        assert _rms(sound[int(a.end * rate):int(b.start * rate)]) < 0.005, (mp4.name, a, b)


def test_generated_video_is_narrated_line_by_line(generated):
    _root, mp4, srt_path = generated
    _check_narration(mp4, srt_path)


def test_committed_demo_videos_are_narrated(pack):
    for m in (m for m in pack.matters if m.video):
        _check_narration(pack.asset(m.video.file), pack.asset(m.video.subtitles))


def test_a_silent_copy_would_fail_the_check(tmp_path, generated):
    """The RMS check really hears: the same pictures without a voice do not pass."""
    import av

    from kiosk.guides.narration import write_mp4
    _root, mp4, srt_path = generated
    with av.open(str(mp4)) as box:
        frames = [f.to_ndarray(format="rgb24") for f in box.decode(video=0)]
    silent = tmp_path / "silent.mp4"
    write_mp4(silent, frames, 5, (640, 360), np.zeros(int(len(frames) / 5 * 22050), dtype=np.int16), 22050)
    with pytest.raises(AssertionError):
        _check_narration(silent, srt_path)


def test_content_draw_without_espeak_says_what_to_install(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(PACK, root)
    before = (root / "assets" / "videos" / "elder_card.mp4").read_bytes()
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run([sys.executable, "run_kiosk.py", "content", "draw", str(root)],
                          cwd=PACK.parents[1], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": str(empty)})
    assert done.returncode == 1, done.stderr
    assert "espeak-ng" in done.stderr and "apt-get install espeak-ng" in done.stderr
    assert "Traceback" not in done.stderr
    assert (root / "assets" / "videos" / "elder_card.mp4").read_bytes() == before     # nothing half-written


def test_draw_without_pyav_is_a_plain_error(tmp_path, monkeypatch):
    from kiosk.guides.draw_videos import write_video
    from kiosk.guides.narration import NarrationError
    monkeypatch.setitem(sys.modules, "av", None)               # `import av` fails as if not installed
    with pytest.raises(NarrationError, match="pip install av"):
        write_video(PACK, "HZ-MZ-001", "never")
    assert not (PACK / "assets" / "videos" / "never.mp4").exists()


def test_subtitles_by_time():
    subs = Subtitles([Cue(0, 2.8, "一"), Cue(3, 5.8, "二")])
    assert [subs.at(t) for t in (0, 2.79, 2.9, 3.0, 5.9)] == ["一", "一", "", "二", ""]
    assert Subtitles.parse(to_srt(subs.cues)).cues == subs.cues
    for bad in ("", "1\n00:00:05,000 --> 00:00:01,000\n倒着\n", "不是字幕"):
        with pytest.raises(ValueError):
            Subtitles.parse(bad)


@pytest.mark.parametrize("old, new, message", [
    ("  file: assets/videos/elder_card.mp4", "  file: assets/videos/nothing.mp4", "video assets/videos/nothing.mp4 is missing"),
    ("  file: assets/videos/elder_card.mp4", "  file: assets/videos/elder_card.gif", "should be one of .mp4"),
    ("  file: assets/videos/elder_card.mp4", "  file: ../../elder_card.mp4", "is outside the pack"),
    ("  subtitles: assets/videos/elder_card.srt", "  subtitle: assets/videos/elder_card.srt", "unknown key 'subtitle'"),
    ("{picture: assets/steps/photo.png,", "{picture: assets/steps/nope.png,", "picture assets/steps/nope.png is missing"),
    ("{picture: assets/steps/photo.png, text:", "{image: assets/steps/photo.png, text:", "unknown key 'image'"),
])
def test_lint_names_the_file_and_line(pack_copy, old, new, message):
    root = pack_copy
    path = root / "matters" / "07_elder_card.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    hits = [e for e in errors_only(lint_pack(root)) if message in e.message]
    assert hits and hits[0].file == "matters/07_elder_card.yaml" and hits[0].line > 1, lint_pack(root)


def test_lint_reads_the_subtitles(pack_copy):
    root = pack_copy
    (root / "assets" / "videos" / "elder_card.srt").write_text("1\n00:00:05,000 --> 00:00:01,000\n倒着\n",
                                                               encoding="utf-8")
    hits = [e for e in errors_only(lint_pack(root)) if "elder_card.srt" in e.message]
    assert hits and hits[0].file == "matters/07_elder_card.yaml"
