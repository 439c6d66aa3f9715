"""The screens that identify a citizen (ID card, social security card, 居民码) greet, then continue.

Not a step screen (those show a flow, screens/widgets/step_screen.py): identifying is one moment, after
which the citizen goes on to the screen they came for.
"""
from __future__ import annotations

from kivy.properties import StringProperty

from screens.widgets.base import KioskScreen


class IdentifyStep(KioskScreen):
    """A screen that identifies the citizen (card or code), greets, then continues to `_next`.

    Subclasses set `_next` / `_next_kwargs` in prepare() and call `greet_and_continue(identity)`.
    """

    GREET_SECONDS = 2.5  # long enough to see the tick and read the greeting, short enough not to feel like waiting
    greeting = StringProperty("")

    def __init__(self, **kwargs):
        self._next = "home"
        self._next_kwargs: dict = {}
        self._continue_event = None
        super().__init__(**kwargs)

    def greet_and_continue(self, identity) -> None:
        """Identify the citizen in the core, greet with the masked name, continue shortly after."""
        self.app.identified(identity)
        self.greeting = identity.greeting
        # the success moment has a sound too, in every mode: a person looking at the reader hears it worked
        self.app.say("证件读好了，请稍等。")
        self._cancel_continue()
        from kivy.clock import Clock
        self._continue_event = Clock.schedule_once(self._continue, self.GREET_SECONDS)

    def _continue(self, _dt=None) -> None:
        self._continue_event = None
        self.app.go(self._next, remember=False, **self._next_kwargs)

    def _cancel_continue(self) -> None:
        if self._continue_event is not None:
            self._continue_event.cancel()
            self._continue_event = None
