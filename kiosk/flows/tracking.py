"""办件查询: turn digits typed on the keypad into a number, look it up, say the answer in plain words.

Two kinds of number reach this screen:
- a 办件编号 from the platform, 371700-20261127-000123 (6 + 8 + 6 digits);
- a local receipt number printed by this terminal, HZ0001-20261127-0007. The keypad has no letters,
  so the citizen types the 16 digits after the letters and the terminal adds its own prefix letters.
A local number is looked up in the outbox first: it may still be waiting on this machine.

办件编号 count up per day, so the platform shows another terminal's number only with its 查询码, the 4 digits
printed next to it on the receipt and carried in the receipt's QR code. A number this terminal submitted
itself (found in its outbox) needs no code; any other typed number asks for it on the same keypad.

Nothing here logs a number: what a citizen looks up is their own business.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk import wording as W

TRACKING_DIGITS = 20
LOCAL_DIGITS = 16
CHECK_DIGITS = 4
_TRACKING = re.compile(r"^\d{6}-\d{8}-\d{6}$")
_LOCAL = re.compile(r"^([A-Z]+)(\d{4})-(\d{8})-(\d{4})$")

# result kinds
FOUND = "found"            # the platform answered with a timeline
LOCAL_PENDING = "local_pending"
LOCAL_DEAD = "local_dead"
NOT_FOUND = "not_found"
OFFLINE = "offline"
TIMEOUT = "timeout"
ERROR = "error"
INCOMPLETE = "incomplete"
CHECK_NOT_FOUND = "check_not_found"     # not found with a 查询码 given: the code may be wrong too
CHECK_INCOMPLETE = "check_incomplete"
NEED_CHECK = "need_check"               # another terminal's 办件编号: ask for the receipt's 查询码 first
TOO_MANY_CHECKS = "too_many_checks"     # the platform pauses a terminal after many wrong 查询码 (429)

# the plain words of each status, and the official term shown small beside them (kiosk/wording.py)
STATUS_WORDS = {code: plain for code, (plain, _official) in W.STATUS_PLAIN.items()}


def messages(help_phone: str = "12345") -> dict[str, str]:
    """The plain words for every answer that is not a timeline."""
    return {
        OFFLINE: f"现在连不上网络，查不到进度。请稍后再试，或拨打 {help_phone}。",
        TIMEOUT: f"网络太慢，这次没查到进度。请稍后再试一次，或拨打 {help_phone}。",
        NOT_FOUND: "没有查到这个号码。请对一下回执上的号码，一个数字一个数字地看；刚提交的可能要过一会儿才能查到。",
        ERROR: f"查询系统暂时出了问题，查不到进度。请稍后再试，或拨打 {help_phone}。",
        LOCAL_PENDING: "这份提交还在本机等待发送。网络恢复后会自动送到办理部门，不会丢失。",
        LOCAL_DEAD: "办理部门没有收下这份提交。请找工作人员，或点右上角「呼叫帮办」。",
        INCOMPLETE: "号码位数不对。办件编号是20位数字；回执号前面的字母不用按，只按后面的16位数字。",
        CHECK_NOT_FOUND: "没有查到。请对一下回执上的办件编号和4位查询码，一个数字一个数字地看；"
                         "刚提交的可能要过一会儿才能查到。",
        CHECK_INCOMPLETE: "查询码是回执上办件编号旁边的4位数字。",
        TOO_MANY_CHECKS: f"查询码错了好几次，这台机器要过10分钟才能再查。请找工作人员，或拨打 {help_phone}。",
    }


def format_typed(digits: str) -> str:
    """What the keypad shows while typing: dashes added like on the receipt (6-8-6)."""
    parts = [digits[:6], digits[6:14], digits[14:]]
    return "-".join(p for p in parts if p)


def parse_number(digits: str, local_letters: str) -> tuple[str, str]:
    """("tracking", "371700-20261127-000123") | ("local", "HZ0001-20261127-0007") | ("incomplete", "").

    `digits` may contain dashes or spaces (a scanned receipt); a typed local number gets the
    terminal's own prefix letters.
    """
    text = (digits or "").strip().upper().replace(" ", "")
    if _TRACKING.match(text):
        return "tracking", text
    if _LOCAL.match(text):
        return "local", text
    plain = re.sub(r"\D", "", text)
    if len(plain) == TRACKING_DIGITS:
        return "tracking", format_typed(plain)
    if len(plain) == LOCAL_DIGITS:
        return "local", f"{local_letters}{plain[:4]}-{plain[4:12]}-{plain[12:]}"
    return "incomplete", ""


RECEIPT_QR_PREFIX = "菏心意回执"   # what the receipt screen's QR carries before the number
CHECK_LABEL = "查询码"             # the receipt's word for the check code, also in its QR text
_QR_CHECK = re.compile(rf"\s*{CHECK_LABEL}\s*[:：]?\s*(\d{{{CHECK_DIGITS}}})\s*$")


def receipt_qr_text(number: str, check_code: str = "") -> str:
    """The receipt's QR text: "菏心意回执 371700-20261127-000123 查询码 1234" (numbers only, no personal data)."""
    text = f"{RECEIPT_QR_PREFIX} {number}"
    return f"{text} {CHECK_LABEL} {check_code}" if number and check_code else text


def scan_with_check(text: str, local_letters: str) -> tuple[str, str, str]:
    """A scanned receipt QR as (kind, number, check code or ""); older receipts carry no code."""
    text = (text or "").strip()
    if text.startswith(RECEIPT_QR_PREFIX):
        text = text[len(RECEIPT_QR_PREFIX):]
    check = ""
    found = _QR_CHECK.search(text)
    if found:
        check, text = found.group(1), text[:found.start()]
    if not re.fullmatch(r"[A-Za-z0-9\- ]{1,40}", text.strip()):
        return "incomplete", "", ""     # some other QR code (a 居民码, a web address): not a number
    kind, number = parse_number(text, local_letters)
    return kind, number, check if kind == "tracking" else ""


def number_from_scan(text: str, local_letters: str) -> tuple[str, str]:
    """A scanned receipt QR ("菏心意回执 HZ0001-…" or a bare number) as parse_number() would answer."""
    kind, number, _check = scan_with_check(text, local_letters)
    return kind, number


def parse_check(digits: str) -> str:
    """The 4-digit 查询码 as typed, or "" when it is not 4 digits."""
    text = (digits or "").strip()
    return text if re.fullmatch(rf"\d{{{CHECK_DIGITS}}}", text) else ""


def own_check_code(outbox, tracking_no: str) -> str | None:
    """The 查询码 of a 办件编号 this terminal submitted ("" when the platform gave none), None when not ours."""
    if outbox is None:
        return None
    row = outbox.receipt_by_tracking_no(tracking_no)
    return None if row is None else (row.get("check_code") or "")


@dataclass
class Step:
    when: str          # "11月20日 09:12"
    words: str         # "开始办理": plain words (kiosk/wording.py)
    note: str          # the platform's note, already in plain words
    official: str = "" # "已受理": the official term, shown small


@dataclass
class TrackingResult:
    outcome: str
    number: str = ""
    kind: str = ""
    status_words: str = ""
    steps: list[Step] = field(default_factory=list)
    local_id: str = ""         # the local receipt number when one was looked up

    @property
    def found(self) -> bool:
        return self.outcome == FOUND


def _when(at: str) -> str:
    try:
        t = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return at or ""
    return f"{t.month}月{t.day}日 {t:%H:%M}"


def from_platform(body: dict[str, Any]) -> TrackingResult:
    """A 200 answer of GET /api/v1/tracking/{no} as a timeline (oldest first)."""
    steps = []
    for event in body.get("events") or []:
        plain, official = W.status_words(event.get("status", ""))
        steps.append(Step(_when(event.get("at", "")), plain, event.get("note") or "", official))
    return TrackingResult(FOUND, body.get("tracking_no", ""), body.get("kind", ""),
                          W.status_words(body.get("status", ""))[0], steps)


def fetch(client, number: str, check: str = "") -> TrackingResult:
    """Ask the platform (blocking: call it on a background thread). Never raises for network trouble.

    `check`: the receipt's 查询码, needed for a number another terminal submitted.
    """
    import requests
    try:
        resp = client.tracking(number, check=check)
    except requests.ConnectTimeout:
        return TrackingResult(OFFLINE, number)
    except requests.Timeout:
        return TrackingResult(TIMEOUT, number)
    except requests.ConnectionError:
        return TrackingResult(OFFLINE, number)
    except requests.RequestException:
        return TrackingResult(ERROR, number)
    if resp.status_code == 404:
        return TrackingResult(CHECK_NOT_FOUND if check else NOT_FOUND, number)
    if resp.status_code == 429 and check:
        return TrackingResult(TOO_MANY_CHECKS, number)
    if resp.status_code != 200:
        return TrackingResult(ERROR, number)
    try:
        return from_platform(resp.json())
    except ValueError:
        return TrackingResult(ERROR, number)


def lookup_local(outbox, local_id: str) -> tuple[TrackingResult | None, str]:
    """A local receipt number in the outbox: (final result, "") or (None, tracking_no to fetch).

    Unknown here: NOT_FOUND. Waiting or refused: answered at once without the network.
    """
    row = outbox.receipt(local_id) if outbox is not None else None
    if row is None:
        return TrackingResult(NOT_FOUND, local_id, local_id=local_id), ""
    if row.get("state") == "delivered" and row.get("tracking_no"):
        return None, row["tracking_no"]
    outcome = LOCAL_DEAD if row.get("state") == "dead" else LOCAL_PENDING
    return TrackingResult(outcome, local_id, row.get("kind") or "", local_id=local_id), ""


def query(outbox, client, kind: str, number: str, check: str = "") -> TrackingResult:
    """The whole lookup (blocking: a background thread): the outbox for a local number or for one of this
    terminal's own 办件编号, then the platform. Another terminal's number without its 查询码 answers
    NEED_CHECK at once, without asking the platform. `client` is the terminal's PlatformClient (the caller
    owns it and serialises its use)."""
    local_id = ""
    if kind == "local":
        try:
            result, tracking_no = lookup_local(outbox, number)
        except Exception:   # a damaged outbox must not leave the citizen staring at "正在查询"
            return TrackingResult(ERROR, number, local_id=number)
        if result is not None:
            return result
        local_id, number = number, tracking_no
    elif not check:
        try:
            own = own_check_code(outbox, number)
        except Exception:
            own = None
        if own is None:
            return TrackingResult(NEED_CHECK, number)
    result = fetch(client, number, check)
    result.local_id = local_id
    return result
