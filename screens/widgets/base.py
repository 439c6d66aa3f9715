"""Base classes of every screen and of the shared widgets.

Every widget that paints a background exposes `bg_color`, so that the accessibility audit can
compute the contrast of any text against what is really behind it.
"""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.screenmanager import Screen

from kiosk import picto_files
from screens.widgets import cjk_wrap, kv_bindings

cjk_wrap.install()   # no line of Chinese text starts with "。" or "」"
kv_bindings.install()  # a theme or mode change skips a widget freed a moment ago instead of stopping half-way


CHROME_KV = str(Path(__file__).with_name("chrome.kv"))


def load_chrome() -> None:
    """The rules of the frame every screen but the attract one has (TopBar, ServiceTile), once."""
    if CHROME_KV not in Builder.files:
        Builder.load_file(CHROME_KV)


def load_kv(module_file: str, chrome: bool = True) -> None:
    """Load the .kv file that sits beside a screen's .py (once), after the frame's rules (chrome.kv)
    unless `chrome` is False: the attract screen has no top bar and draws its first frame without them."""
    if chrome:
        load_chrome()
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)


class KioskScreen(Screen):
    """A screen of the kiosk. Subclasses override prepare() and clear_personal()."""

    title = StringProperty("")
    bg_color = ColorProperty((1, 1, 1, 0))  # transparent: the window's clear colour shows

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # 长辈模式 reads each screen aloud when it is shown, and when 长辈模式 is switched on
        self.fbind("on_enter", lambda *_: self.read_aloud())
        app = App.get_running_app()
        if app is not None:
            app.fbind("elderly", self._elderly_changed)

    def _elderly_changed(self, _app, elderly: bool) -> None:
        if elderly and self.manager is not None and self.manager.current == self.name:
            self.read_aloud("长辈模式打开了，字更大，我会读给您听。")

    def spoken_text(self) -> str:
        """What 长辈模式 reads aloud when this screen is shown (default: its title, or its top bar's)."""
        if self.title:
            return self.title
        for child in self.walk(restrict=True):
            if isinstance(child, TopBar):
                return child.title
        return ""

    def read_aloud(self, before: str = "") -> None:
        """In 长辈模式, read this screen's words aloud (where there is a speaker)."""
        app = self.app
        if app is None or not app.elderly:
            return
        text = (before + self.spoken_text()).strip()
        if text:
            app.say(text)

    @property
    def app(self):
        """The running KioskApp."""
        return App.get_running_app()

    @property
    def session(self):
        """The citizen's Session (owned by the terminal core)."""
        return self.app.session

    def prepare(self, **kwargs) -> None:
        """Called before the screen is shown, with the arguments of app.go()."""

    def clear_personal(self) -> None:
        """Called when the session is wiped: empty every widget that shows personal data."""

    @classmethod
    def tour_states(cls, app) -> list[tuple[str, dict]]:
        """(suffix, kwargs for app.go) for each state the tour photographs; default: one plain state."""
        return [("", {})]


class Pictogram(Image):
    """A project pictogram (kiosk/pictos.py draws them) by name, tinted with `color`.

    Mipmapped (see widgets.kv), with the mipmap levels made on the CPU (screens/widgets/picto_texture.py)
    instead of by the GL driver: on a software GL the driver's first glGenerateMipmap costs hundreds of ms
    before the attract screen's first frame."""

    name = StringProperty("")

    def on_name(self, _instance, value):
        self.source = picto_files.path(value) if value else ""

    def texture_update(self, *_args):
        """The pictogram's texture from the shared cache (Kivy's own loader when not mipmapped)."""
        if not self.mipmap or not self.source:
            super().texture_update()
            return
        from screens.widgets.picto_texture import mipmapped_texture
        self.texture = mipmapped_texture(self.source)


class BigButton(ButtonBehavior, BoxLayout):
    """The main touch target: optional pictogram and words, never colour alone."""

    text = StringProperty("")
    picto = StringProperty("")
    bg_color = ColorProperty((0, 0, 0, 1))
    fg_color = ColorProperty((1, 1, 1, 1))
    role = StringProperty("main")  # "main" buttons carry main-function text sizes
    primary = BooleanProperty(True)
    wrap = BooleanProperty(False)  # long words wrap and the button grows (choices), else one line

    def on_kv_post(self, base_widget):
        self.ids.words.bind(texture_size=self._grow)
        self.bind(wrap=self._grow)

    def _grow(self, *_args) -> None:
        """A choice with long words (an address, a benefit and its amount) wraps and grows, never runs past
        its edge; other buttons keep the height their row gives them."""
        if self.wrap:
            app = App.get_running_app()
            self.height = max(app.target_h, self.ids.words.texture_size[1] + app.pad)

    def on_touch_down(self, touch):
        """A hidden button (a greyed paging button shown as nothing, a folded row) takes no touch: Kivy's
        disabled widgets swallow touches on their area, and this one's parts may stick out of a folded row
        over the tiles below."""
        if self.opacity == 0 or self.width <= 0 or self.height <= 0:
            return False
        return super().on_touch_down(touch)


class ServiceTile(ButtonBehavior, BoxLayout):
    """A home-screen tile: pictogram, title and one plain line of what it does."""

    key = StringProperty("")
    text = StringProperty("")
    hint = StringProperty("")
    picto = StringProperty("")
    ready = BooleanProperty(True)
    wide = BooleanProperty(False)  # wide tiles put the pictogram beside the words
    picto_side = NumericProperty(100)
    inner_gap = NumericProperty(6)
    bg_color = ColorProperty((1, 1, 1, 1))
    role = StringProperty("main")


class Panel(BoxLayout):
    """A card with a background, for grouping content."""

    bg_color = ColorProperty((1, 1, 1, 1))


class TopBar(BoxLayout):
    """Back, home, the screen title, 长辈模式 and 呼叫帮办 — the same on every screen but the attract one."""

    title = StringProperty("")
    show_back = BooleanProperty(True)
    two_rows = BooleanProperty(False)   # the title on a row of its own (portrait, 长辈模式)
    bg_color = ColorProperty((0, 0, 0, 1))


class ElderSwitch(ButtonBehavior, BoxLayout):
    """长辈模式 on/off. Shows the state in words (开/关), not only by colour."""

    bg_color = ColorProperty((0, 0, 0, 1))
    role = StringProperty("main")
