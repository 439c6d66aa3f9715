"""What a self-test finds (Result) and what it may use on the terminal (Context).

A Result carries no personal data: a card's fields appear masked (张*三, 3729**********1234) and only
on the staff screen; the event log and the bundle keep the test's name, level and figures only.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable

OK, WARN, FAIL = "ok", "warn", "fail"
LEVEL_WORDS = {OK: "正常", WARN: "注意", FAIL: "故障"}


@dataclasses.dataclass
class Result:
    """One self-test's outcome: a plain sentence for staff, the standard state and the figures."""
    test: str                       # the test's key (idcard, camera, network ...)
    level: str                      # ok | warn | fail
    summary: str                    # plain Chinese sentence
    state: str = ""                 # the device's standard state (online, noDevice ...) in small print
    figures: dict[str, Any] = dataclasses.field(default_factory=dict)    # read_ms, sharpness, latency_ms ...
    lines: list[str] = dataclasses.field(default_factory=list)            # masked fields, details
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.level == OK

    def as_dict(self, with_lines: bool = True) -> dict[str, Any]:
        """JSON-ready; `with_lines=False` leaves out the masked card fields (event log, bundle)."""
        data = dataclasses.asdict(self)
        if not with_lines:
            data.pop("lines")
        return data


@dataclasses.dataclass
class Context:
    """Everything a self-test may touch. The terminal core builds one (`for_terminal`), the CLI another.

    `device(section)` gives the device of that config section (a NoDevice when there is none);
    `frame(image)` is called with live camera frames (the screen shows them); `person` says whether
    someone stands at the terminal to lay a card, scan a code or tap targets."""
    settings: Any
    device: Callable[[str], Any]
    outbox: Any = None
    voice: Any = None
    client: Any = None              # the platform client (offline_cache.platform_client.PlatformClient)
    lock: Any = None                # the lock that goes with `client`
    person: bool = True
    frame: Callable[[Any], None] | None = None
    cancel: Any = None              # a threading.Event: the screen was left, stop waiting

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()


def for_terminal(terminal, **kwargs) -> Context:
    """The context of a running kiosk.terminal.Terminal."""
    return Context(settings=terminal.settings, device=terminal.hub.get, outbox=terminal.outbox,
                   voice=terminal.voice, client=terminal.platform, lock=terminal.platform_lock, **kwargs)


def timed(test: str, func: Callable[[], Result]) -> Result:
    """Run `func`, fill in how long it took; an unexpected error is a failed test, never a crash."""
    started = time.monotonic()
    try:
        result = func()
    except Exception as exc:  # a driver bug is a finding for staff
        import logging
        logging.getLogger(__name__).exception("self-test %s failed unexpectedly", test)
        result = Result(test, FAIL, "自检出错，请联系技术支持", state=type(exc).__name__)
    result.seconds = round(time.monotonic() - started, 2)
    return result
