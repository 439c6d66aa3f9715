"""A short soak: whole citizen sessions on the real app leave no widgets behind (bench/soak_sessions.py
runs 500 and a 30-minute monkey; this is the regression check, with no timing in it)."""
from __future__ import annotations

import pytest

from bench.soak_sessions import live_counts, one_session

pytestmark = pytest.mark.ui

SESSIONS = 5


def test_whole_sessions_leave_the_widget_count_flat(kiosk_app):
    app, ui = kiosk_app
    receipts = [one_session(app, ui) for _ in range(2)]      # screens built lazily, caches warm
    warm_widgets, warm_textures = live_counts()
    receipts += [one_session(app, ui) for _ in range(SESSIONS - 2)]
    widgets, textures = live_counts()
    assert len(set(receipts)) == SESSIONS and all(app.sync.outbox.receipt(r) for r in receipts)
    # one session leaking its screens would add hundreds of widgets; a few may be in flight
    assert widgets <= warm_widgets + 10, (warm_widgets, widgets)
    assert textures <= warm_textures + 10, (warm_textures, textures)
    assert not app.session.identified and app.sm.current == "attract"
