"""A listener that raises is logged (once, without personal data) and never stops the thread that emitted:
the real ID card driver reading from its simulator over a pty keeps announcing cards to the others."""
from __future__ import annotations

import logging
import threading

from devices.idcard.simulator import SimulatedIdCardReader


def test_a_raising_listener_neither_stops_the_reader_nor_logs_the_card(tmp_path, caplog):
    reader = SimulatedIdCardReader(tmp_path / "idcard-sim.tty", poll_interval=0.05)
    cards: list = []
    arrived = threading.Condition()

    def broken(event, record):          # e.g. a screen that forgot a widget
        if event == "card_presented":
            raise ValueError(f"no row for {record.name} {record.id_number} {record.address}")

    def keeper(event, record):
        if event == "card_presented":
            with arrived:
                cards.append(record)
                arrived.notify_all()

    def wait_cards(n: int) -> None:
        with arrived:
            assert arrived.wait_for(lambda: len(cards) >= n, timeout=15), f"{len(cards)} cards of {n}"

    reader.events.subscribe(broken)     # first: the keeper comes after it
    reader.events.subscribe(keeper)
    caplog.set_level(logging.DEBUG, logger="common.events")
    reader.start()
    try:
        first = reader.present("resident")
        wait_cards(1)
        reader.remove()
        second = reader.present("hmt")
        wait_cards(2)
        reader.remove()
        third = reader.present("resident_elder")
        wait_cards(3)
        assert reader._thread.is_alive(), "the reading loop went on"
    finally:
        reader.stop()
    assert [c.id_number for c in cards] == [first.id_number, second.id_number, third.id_number]

    failures = [r for r in caplog.records if r.name == "common.events"]
    errors = [r for r in failures if r.levelno >= logging.ERROR]
    assert len(errors) == 1, "the same failure is logged once"
    assert len(failures) == 3, "and counted when it comes again"
    text = "\n".join(logging.Formatter().format(r) for r in failures)
    assert "ValueError" in text and "card_presented" in text and "broken" in text
    assert "raise ValueError" in text, "where it was raised, for staff"
    for card in (first, second, third):
        for value in (card.name, card.id_number, card.address):
            if value:
                assert value not in text, "nothing personal in the log"
