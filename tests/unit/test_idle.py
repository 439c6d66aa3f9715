from kiosk.idle import IdlePhase, IdleTimer


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_warns_before_expiry_and_touch_restarts():
    clock = FakeClock()
    timer = IdleTimer(60, 15, clock)
    clock.t += 44
    assert timer.check()[0] is IdlePhase.ACTIVE
    clock.t += 2
    phase, left = timer.check()
    assert phase is IdlePhase.WARNING and 13.5 < left <= 14.0
    timer.touch()
    assert timer.check()[0] is IdlePhase.ACTIVE
    clock.t += 61
    assert timer.check() == (IdlePhase.EXPIRED, 0.0)


def test_pause_stops_the_count_and_is_nested():
    clock = FakeClock()
    timer = IdleTimer(60, 15, clock)
    timer.pause()
    timer.pause()
    clock.t += 500
    assert timer.check()[0] is IdlePhase.ACTIVE
    timer.resume()
    clock.t += 500
    assert timer.check()[0] is IdlePhase.ACTIVE, "still paused once"
    timer.resume()
    clock.t += 30
    assert timer.check()[0] is IdlePhase.ACTIVE
    clock.t += 31
    assert timer.check()[0] is IdlePhase.EXPIRED


def test_rejects_nonsense_configuration():
    import pytest
    with pytest.raises(ValueError):
        IdleTimer(10, 15)


def test_reset_drops_forgotten_pauses():
    clock = FakeClock()
    timer = IdleTimer(60, 15, clock)
    timer.pause()
    timer.reset()
    assert not timer.paused
    clock.t += 61
    assert timer.check()[0] is IdlePhase.EXPIRED
    timer.resume()  # a late resume after the reset changes nothing
    assert not timer.paused
