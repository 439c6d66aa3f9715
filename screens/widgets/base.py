"""Base classes of every screen and of the shared widgets.

Every widget that paints a background exposes `bg_color`, so that the accessibility audit can
compute the contrast of any text against what is really behind it.
"""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.screenmanager import Screen

from kiosk import pictos


def load_kv(module_file: str) -> None:
    """Load the .kv file that sits beside a screen's .py (once)."""
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)


class KioskScreen(Screen):
    """A screen of the kiosk. Subclasses override prepare() and clear_personal()."""

    title = StringProperty("")
    bg_color = ColorProperty((1, 1, 1, 0))  # transparent: the window's clear colour shows

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
    """A project pictogram (kiosk/pictos.py) by name, tinted with `color`."""

    name = StringProperty("")

    def on_name(self, _instance, value):
        self.source = pictos.path(value) if value else ""


class BigButton(ButtonBehavior, BoxLayout):
    """The main touch target: optional pictogram and words, never colour alone."""

    text = StringProperty("")
    picto = StringProperty("")
    bg_color = ColorProperty((0, 0, 0, 1))
    fg_color = ColorProperty((1, 1, 1, 1))
    role = StringProperty("main")  # "main" buttons carry main-function text sizes
    primary = BooleanProperty(True)


class ServiceTile(ButtonBehavior, BoxLayout):
    """A home-screen tile: pictogram, title and one plain line of what it does."""

    key = StringProperty("")
    text = StringProperty("")
    hint = StringProperty("")
    picto = StringProperty("")
    ready = BooleanProperty(True)
    wide = BooleanProperty(False)  # wide tiles put the pictogram beside the words
    bg_color = ColorProperty((1, 1, 1, 1))
    role = StringProperty("main")


class Panel(BoxLayout):
    """A card with a background, for grouping content."""

    bg_color = ColorProperty((1, 1, 1, 1))


class TopBar(BoxLayout):
    """Back, home, the screen title, 长辈模式 and 呼叫帮办 — the same on every screen but the attract one."""

    title = StringProperty("")
    show_back = BooleanProperty(True)
    bg_color = ColorProperty((0, 0, 0, 1))


class ElderSwitch(ButtonBehavior, BoxLayout):
    """长辈模式 on/off. Shows the state in words (开/关), not only by colour."""

    bg_color = ColorProperty((0, 0, 0, 1))
    role = StringProperty("main")
