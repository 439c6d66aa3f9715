"""Subtitles of a 真人讲解 video (.srt, read with the `srt` library): the line to show at a time, and the
lint of a guide's video (the file is there, inside the pack, not empty; the subtitles parse, in order).

The app draws the subtitles itself, always on, large (bigger still in 长辈模式): a cue is looked up by the
player's position, so pausing or replaying shows the right line.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import srt

from kiosk.guides.folders import inside_pack
from kiosk.guides.loader import Problem


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


class Subtitles:
    """The cues of one video, found by time."""

    def __init__(self, cues: list[Cue]):
        self.cues = sorted(cues, key=lambda c: c.start)
        self._starts = [c.start for c in self.cues]

    @classmethod
    def parse(cls, text: str) -> "Subtitles":
        """From .srt text; ValueError with the reason when it is not valid."""
        try:
            items = list(srt.parse(text, ignore_errors=False))
        except (srt.SRTParseError, ValueError) as exc:
            raise ValueError(f"subtitles do not parse: {exc}") from None
        cues = []
        for item in items:
            start, end = item.start.total_seconds(), item.end.total_seconds()
            if end <= start:
                raise ValueError(f"subtitle {item.index} ends before it starts")
            cues.append(Cue(start, end, item.content.strip()))
        if not cues:
            raise ValueError("subtitles are empty")
        return cls(cues)

    @classmethod
    def load(cls, path: str | Path) -> "Subtitles":
        return cls.parse(Path(path).read_text(encoding="utf-8-sig"))

    def at(self, seconds: float) -> str:
        """The line shown at `seconds` ("" between lines)."""
        i = bisect.bisect_right(self._starts, seconds) - 1
        if i >= 0 and self.cues[i].start <= seconds < self.cues[i].end:
            return self.cues[i].text
        return ""

    @property
    def duration(self) -> float:
        return max(c.end for c in self.cues)


def to_srt(cues: list[Cue]) -> str:
    """Cues as .srt text (the video generator writes the demo pack's subtitles with it)."""
    from datetime import timedelta
    return srt.compose([srt.Subtitle(i, timedelta(seconds=c.start), timedelta(seconds=c.end), c.text)
                        for i, c in enumerate(cues, start=1)])


def check_video(root: Path, video, file: str, line: int) -> list[Problem]:
    """Lint of a matter's `video`: both files inside the pack and readable, the subtitles valid."""
    problems = []
    for rel, what in ((video.file, "video"), (video.subtitles, "subtitles")):
        path = root / rel
        if not inside_pack(root, path):
            problems.append(Problem(file, line, f"{what} {rel} is outside the pack"))
        elif not path.is_file() or path.stat().st_size == 0:
            problems.append(Problem(file, line, f"{what} {rel} is missing"))
        elif what == "subtitles":
            try:
                Subtitles.load(path)
            except (ValueError, UnicodeDecodeError) as exc:
                problems.append(Problem(file, line, f"{what} {rel}: {exc}"))
    return problems
