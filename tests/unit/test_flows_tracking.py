"""办件查询 rules without a display: the receipt's QR text with its 查询码, and when the code is asked for."""
from __future__ import annotations

from kiosk.flows import tracking as rules

NUMBER = "371700-20261127-000123"


def test_the_receipt_qr_carries_the_check_code_and_old_qr_texts_still_parse():
    text = rules.receipt_qr_text(NUMBER, "0427")
    assert text == "菏心意回执 371700-20261127-000123 查询码 0427"
    assert rules.scan_with_check(text, "HZ") == ("tracking", NUMBER, "0427")
    assert rules.number_from_scan(text, "HZ") == ("tracking", NUMBER)
    # receipts printed before the code existed, a bare number, a local receipt number
    assert rules.scan_with_check(f"菏心意回执 {NUMBER}", "HZ") == ("tracking", NUMBER, "")
    assert rules.scan_with_check("37170020261127000123", "HZ") == ("tracking", NUMBER, "")
    assert rules.scan_with_check("菏心意回执 HZ0001-20261127-0007", "HZ") == ("local", "HZ0001-20261127-0007", "")
    assert rules.receipt_qr_text("HZ0001-20261127-0007") == "菏心意回执 HZ0001-20261127-0007"
    assert rules.scan_with_check("HZRC:DEMO-RESIDENT-0001", "HZ")[0] == "incomplete"
    assert rules.scan_with_check(f"菏心意回执 {NUMBER} 查询码 12", "HZ")[0] == "incomplete"


def test_parse_check_wants_exactly_four_digits():
    assert rules.parse_check("0427") == "0427"
    assert rules.parse_check("427") == rules.parse_check("04271") == rules.parse_check("04a7") == ""


class FakeOutbox:
    def __init__(self, rows):
        self.rows = rows

    def receipt_by_tracking_no(self, number):
        return self.rows.get(number)

    def receipt(self, local_id):
        return next((r for r in self.rows.values() if r["local_id"] == local_id), None)


class FakeResponse:
    def __init__(self, status, body=None):
        self.status_code, self._body = status, body or {}

    def json(self):
        return self._body


class FakeClient:
    def __init__(self, answers):
        self.answers, self.asked, self.closed = answers, [], False

    def tracking(self, number, check=""):
        self.asked.append((number, check))
        return self.answers.get((number, check), FakeResponse(404))

    def close(self):
        self.closed = True


def test_only_another_terminals_number_asks_for_the_check_code():
    body = {"tracking_no": NUMBER, "kind": "complaint", "status": "received", "events": []}
    outbox = FakeOutbox({NUMBER: {"local_id": "HZ0001-20261127-0007", "state": "delivered",
                                  "tracking_no": NUMBER, "check_code": "0427", "kind": "complaint"}})
    client = FakeClient({(NUMBER, ""): FakeResponse(200, body), ("371700-20261120-000001", "2580"):
                         FakeResponse(200, {**body, "tracking_no": "371700-20261120-000001"})})
    # this terminal's own number: straight to the platform, no code needed
    assert rules.query(outbox, client, "tracking", NUMBER).found
    # its own receipt number too
    assert rules.query(outbox, client, "local", "HZ0001-20261127-0007").local_id == "HZ0001-20261127-0007"
    # someone else's: ask for the code first, without a word to the platform
    asked = len(client.asked)
    other = rules.query(outbox, client, "tracking", "371700-20261120-000001")
    assert other.outcome == rules.NEED_CHECK and len(client.asked) == asked
    assert rules.query(outbox, client, "tracking", "371700-20261120-000001", "2580").found
    wrong = rules.query(outbox, client, "tracking", "371700-20261120-000001", "1111")
    assert wrong.outcome == rules.CHECK_NOT_FOUND and "查询码" in rules.messages()[wrong.outcome]
    assert not client.closed, "the caller owns the client (the terminal keeps one)"


def test_too_many_wrong_codes_has_its_own_words():
    client = FakeClient({("371700-20261120-000001", "9999"): FakeResponse(429)})
    result = rules.query(FakeOutbox({}), client, "tracking", "371700-20261120-000001", "9999")
    assert result.outcome == rules.TOO_MANY_CHECKS and "10分钟" in rules.messages()[result.outcome]
