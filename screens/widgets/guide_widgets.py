"""Widgets of the guide screens: list items, step and sample pictures, tappable callouts, and the
one GuideLibrary (pack + search index for this terminal's level) the guide screens share."""
from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from screens.widgets.base import load_kv

load_kv(__file__)
log = logging.getLogger(__name__)

_library = None
_lexicon = None
_lexicon_waiters: list = []
_lexicon_lock = threading.Lock()


def guide_library():
    """The pack as this terminal shows it (reloaded when a catalogue sync replaced it)."""
    global _library
    from kiosk.guides.store import GuideLibrary
    app = App.get_running_app()
    if _library is None or _library.settings is not app.settings:
        _library = GuideLibrary(app.settings)
    else:
        _library.refresh_if_changed()
    return _library


def when_lexicon_ready(callback) -> None:
    """Call `callback(lexicon)` on the UI thread once the pinyin lexicon is built; building takes
    a few seconds, so it happens on a background thread the first time anyone asks."""
    with _lexicon_lock:
        if _lexicon is not None:
            Clock.schedule_once(lambda _dt: callback(_lexicon), 0)
            return
        _lexicon_waiters.append(callback)
        if len(_lexicon_waiters) > 1:
            return
    words = []
    try:
        from kiosk.pinyin_ime import guide_words
        words = guide_words(guide_library().full_pack)
    except Exception:  # noqa: BLE001 - no guide words only makes the ranking plainer
        log.exception("guide words unavailable for the pinyin lexicon")

    def build():
        global _lexicon
        from kiosk.pinyin_ime import shared_lexicon
        lex = shared_lexicon(words)
        with _lexicon_lock:
            _lexicon = lex
            waiters = list(_lexicon_waiters)
            _lexicon_waiters.clear()
        for cb in waiters:
            Clock.schedule_once(lambda _dt, cb=cb: cb(lex), 0)

    threading.Thread(target=build, name="pinyin-lexicon", daemon=True).start()


class GuideItem(ButtonBehavior, BoxLayout):
    """One line of a guide list: title, one plain line under it, and a badge."""
    text = StringProperty("")
    hint = StringProperty("")
    badge = StringProperty("")
    key = StringProperty("")
    kind = StringProperty("matter")    # matter | theme | department
    bg_color = ColorProperty((1, 1, 1, 1))
    selected = BooleanProperty(False)


class CalloutButton(ButtonBehavior, Widget):
    """A tap target over a numbered review point of a sample picture (the number is in the picture)."""
    n = NumericProperty(0)
    selected = BooleanProperty(False)
