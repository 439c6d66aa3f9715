"""Idle timeout of a citizen's session, as pure logic (the app drives it from a Kivy Clock).

Active -> (timeout - warning seconds without a touch) -> Warning with a countdown -> Expired.
A touch or key press anywhere restarts it; device operations and submissions pause it, because a
citizen waiting for a card read or an upload is not idle.
"""
from __future__ import annotations

import enum
import time
from typing import Callable


class IdlePhase(str, enum.Enum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


class IdleTimer:
    """Tracks inactivity. `check()` returns the phase and the seconds left before expiry."""

    def __init__(self, timeout: float, warning: float, clock: Callable[[], float] = time.monotonic):
        if timeout <= 0 or warning < 0 or warning >= timeout:
            raise ValueError("need timeout > warning >= 0")
        self.timeout = float(timeout)
        self.warning = float(warning)
        self.clock = clock
        self._last = clock()
        self._pauses = 0
        self._paused_at: float | None = None

    def set_limits(self, timeout: float, warning: float) -> None:
        """New limits (长辈模式 has longer ones); the time already idle still counts."""
        if timeout <= 0 or warning < 0 or warning >= timeout:
            raise ValueError("need timeout > warning >= 0")
        self.timeout = float(timeout)
        self.warning = float(warning)

    def touch(self) -> None:
        """Someone used the screen: start counting again."""
        self._last = self.clock()

    def pause(self) -> None:
        """Stop counting (nested: each pause needs its resume)."""
        if self._pauses == 0:
            self._paused_at = self.clock()
        self._pauses += 1

    def resume(self) -> None:
        if self._pauses == 0:
            return
        self._pauses -= 1
        if self._pauses == 0:
            # the paused time does not count as idle: restart from now
            self._paused_at = None
            self._last = self.clock()

    def reset(self) -> None:
        """A new session starts: no pause carried over (a screen that forgot its resume must not keep
        the next citizen's session from ever timing out), and the count starts now."""
        self._pauses = 0
        self._paused_at = None
        self._last = self.clock()

    @property
    def paused(self) -> bool:
        return self._pauses > 0

    def remaining(self) -> float:
        if self.paused:
            return self.timeout
        return max(0.0, self.timeout - (self.clock() - self._last))

    def check(self) -> tuple[IdlePhase, float]:
        left = self.remaining()
        if left <= 0:
            return IdlePhase.EXPIRED, 0.0
        if left <= self.warning:
            return IdlePhase.WARNING, left
        return IdlePhase.ACTIVE, left
