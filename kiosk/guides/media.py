"""A guide's 经典案例 as a picture story and its 真人讲解 video (matters/*.yaml `case.panels`, `video`).

- `case.panels`: the worked case told as pictures, each with one plain sentence (screens/case_story.py).
- `video`: a short video explaining the matter, `{file, subtitles}`: an .mp4 inside the pack and its
  subtitles as an .srt file (kiosk/guides/subtitles.py reads it; the app draws them, always on).
  The demo pack's videos are made by the project from its own pictures (kiosk/guides/draw_videos.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CasePanel:
    """One picture of the story and its one sentence."""
    picture: str
    text: str


@dataclass
class Case:
    title: str
    story: str
    panels: list[CasePanel] = field(default_factory=list)


@dataclass
class Video:
    """真人讲解: the video file and its subtitles (.srt), paths inside the pack."""
    file: str
    subtitles: str
    title: str = ""


VIDEO_EXTENSIONS = (".mp4", ".mkv", ".webm", ".avi")


def parse_case(c, raw: Any) -> Case | None:
    """`case: {title, story, panels}` of a matter; problems go to the context `c` (loader._Ctx)."""
    if raw is None:
        return None
    p = ("case",)
    c.unknown(raw, p, {"title", "story", "panels"})
    panels = []
    for i, panel in enumerate(c.get(raw, p, "panels", list, False, [])):
        pp = p + ("panels", i)
        c.unknown(panel, pp, {"picture", "text"})
        panels.append(CasePanel(picture=c.get(panel, pp, "picture", str, True, ""),
                                text=c.get(panel, pp, "text", str, True, "")))
    return Case(title=c.get(raw, p, "title", str, True, ""), story=c.get(raw, p, "story", str, True, ""),
                panels=panels)


def parse_video(c, raw: Any) -> Video | None:
    """`video: {file, subtitles, title}` of a matter; problems go to the context `c`."""
    if raw is None:
        return None
    p = ("video",)
    if not isinstance(raw, dict):
        c.err(p, "video should be a mapping {file, subtitles}")
        return None
    c.unknown(raw, p, {"file", "subtitles", "title"})
    file = c.get(raw, p, "file", str, True, "")
    subtitles = c.get(raw, p, "subtitles", str, True, "")
    if file and not file.lower().endswith(VIDEO_EXTENSIONS):
        c.err(p + ("file",), f"video file {file} should be one of {', '.join(VIDEO_EXTENSIONS)}")
    if subtitles and not subtitles.lower().endswith(".srt"):
        c.err(p + ("subtitles",), f"subtitles {subtitles} should be an .srt file")
    return Video(file=file, subtitles=subtitles, title=c.get(raw, p, "title", str, False, ""))
