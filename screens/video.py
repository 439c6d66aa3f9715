"""真人讲解: a guide's short video with its subtitles always on (drawn by the app from the pack's .srt),
a big 播放/暂停, 从头再看, louder in 长辈模式; it stops, and its player is released, when the citizen leaves
the screen or the session is wiped. Kivy's Video widget with the ffpyplayer provider plays the file.
"""
from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.video import Video

from kiosk.guides.subtitles import Subtitles
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class VideoScreen(KioskScreen):
    """One guide's video: the picture, the subtitle line under it, the buttons (长辈模式 in landscape: the
    subtitles and the buttons beside the picture, which keeps the screen's height and is never smaller there)."""
    subtitle = StringProperty("")
    playing = BooleanProperty(False)
    ended = BooleanProperty(False)
    position = NumericProperty(0)
    duration = NumericProperty(0)
    code = StringProperty("")
    beside = BooleanProperty(False)     # the subtitles and buttons beside the picture, not under it

    def on_kv_post(self, base_widget):
        self.player: Video | None = None
        self.subtitles: Subtitles | None = None
        self.app.bind(elderly=lambda *_: self._set_volume())
        self.app.bind(elderly=self._arrange, portrait=self._arrange)
        self._arrange()

    def _arrange(self, *_args) -> None:
        self.beside = self.app.elderly and not self.app.portrait

    def prepare(self, code: str = "", autoplay: bool = True, **_kwargs) -> None:
        self.release()
        pack = self.app.library.pack
        matter = pack.by_code.get(code)
        self.code = code
        if matter is None or matter.video is None:
            self.title = "真人讲解"
            self.subtitle = "这件事还没有视频讲解，请看图文说明。"
            return
        self.title = f"真人讲解：{matter.name}"
        try:
            self.subtitles = Subtitles.load(pack.asset(matter.video.subtitles))
        except (OSError, ValueError):
            self.subtitles = None            # the video still plays; the words are in the guide
        self.subtitle = self.subtitles.at(0) if self.subtitles else ""
        first = matter.steps[0].picture if matter.steps else ""
        # the preview (the first step's picture) first: Kivy's Image would try to read the .mp4 as a picture
        player = Video(preview=str(pack.asset(first)) if first else None, fit_mode="contain")
        player.source = str(pack.asset(matter.video.file))
        player.texture_update()                  # shows the preview until it plays
        player.bind(position=self._on_position, duration=self._on_duration, eos=self._on_eos)
        self.player = player
        self._set_volume()
        self.ids.stage.add_widget(player)
        if autoplay:
            self.play()

    # -- what the buttons do -----------------------------------------------------------------------
    def play(self) -> None:
        """Play (again from the start once it has ended)."""
        if self.player is None:
            return
        self.ended = False                      # Kivy's Video starts again from 0 after the end itself
        self.player.state = "play"
        self.playing = True

    def pause(self) -> None:
        """Pause where it is; the subtitle line stays."""
        if self.player is not None:
            self.player.state = "pause"
        self.playing = False

    def toggle(self) -> None:
        """The big 播放/暂停 button."""
        self.pause() if self.playing else self.play()

    def replay(self) -> None:
        """从头再看."""
        if self.player is None:
            return
        if self.player._video is not None:      # loaded: seek; not yet: it starts at 0 anyway
            self.player.seek(0, precise=True)
        self.ended = False
        self.play()

    def release(self) -> None:
        """Stop and free the player (leaving the screen, a wipe, another video)."""
        player, self.player = getattr(self, "player", None), None
        if player is not None:
            player.unbind(position=self._on_position, duration=self._on_duration, eos=self._on_eos)
            player.state = "stop"
            player.unload()
            if player.parent is not None:
                player.parent.remove_widget(player)
        self.playing = self.ended = False
        self.position = self.duration = 0
        self.subtitle = ""

    # -- following the player ----------------------------------------------------------------------
    def _set_volume(self) -> None:
        if self.player is not None:
            key = "video_volume_elderly" if self.app.elderly else "video_volume"
            self.player.volume = self.app.settings.getfloat("ui", key)

    def _on_position(self, _player, value) -> None:
        self.position = value
        if self.subtitles is not None:
            self.subtitle = self.subtitles.at(value)

    def _on_duration(self, _player, value) -> None:
        self.duration = value if self.position > 0 or value > 1 else 0   # Kivy says 1 before it knows

    def _on_eos(self, _player, value) -> None:
        if value:
            self.playing = False
            self.ended = True

    def on_leave(self, *_args) -> None:
        self.release()

    def clear_personal(self) -> None:
        # nothing personal, but the video stops with the session
        self.release()

    @classmethod
    def tour_states(cls, app):
        return [("", {"code": "HZ-MZ-001", "autoplay": False})]
