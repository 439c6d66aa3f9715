"""免申即享 "您可能可以享受": the pack's policies matched against the citizen at the terminal.

Evaluated here, on the terminal. What the terminal knows (`person_of`: age and sex from the ID number,
the region of the household from the card's address (kiosk/regions.py; never from the ID number, whose
first digits say where the person was first registered), whether the address names a 村, the card type)
is read from the identity; facts
the platform may hold (一人一档) are asked for through the terminal's one platform client — only the
facts the pack's rules use — and kept in the Session, which a wipe empties. Nothing about a match or a
fact reaches a log line: the one log line here says that facts could not be fetched, and why in HTTP terms.

A condition whose value is unknown (offline, a card without an address, an address that names no place
known here) does not exclude the policy: the match is shown as "需要核实：…" with what could not be
checked and why.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests

from devices.checkdigit import valid_id_number
from kiosk.guides.policies import FACTS, PERSON, Policy, UnknownValue
from kiosk.regions import candidates, region_of

log = logging.getLogger(__name__)

FACTS_PATH = "/api/v1/citizen-facts"
SCRATCH_KEY = "benefit_facts"      # Session.scratch: {"facts": {...}, "status": "ok" | "offline" | "no_answer"}
OFFLINE = "offline"                # no connection to the platform
NO_ANSWER = "no_answer"            # connected, but the platform gave no usable answer (an HTTP error, too slow)
WHY_UNKNOWN = {OFFLINE: "现在连不上网络", NO_ANSWER: "平台暂时没有回答", "card": "您用的证件上没有",
               "address": "机器没认出证件上的地址", "platform": "平台上没有查到"}
REGION_KNOWN = "region_known"      # person_of: the digits of the region the address names ("" none, None no address)


class _Facts:
    """The facts as rule-engine attributes; an unknown one stops the condition, not the policy."""

    def __init__(self, facts: dict[str, Any]):
        self._facts = facts

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._facts.get(name)
        if value is None:
            raise UnknownValue("facts." + name)
        return value


# -- what the terminal knows ----------------------------------------------------------------------

def age_on(birth: date, today: date) -> int:
    """Full years (周岁) on `today`; someone born on 29 February has the birthday on 1 March."""
    years = today.year - birth.year
    if (today.month, today.day) < (birth.month, birth.day):
        years -= 1
    return years


def birth_of(number: str) -> date | None:
    """The birth date in an 18-character ID number, None when there is none."""
    if not valid_id_number(number):
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def person_of(identity, today: date | None = None) -> dict[str, Any]:
    """The rule context's person symbols for an identity; a value the identity cannot give is None."""
    today = today or date.today()
    number = identity.number or ""
    birth = None if identity.is_enterprise else birth_of(number)
    address = str(identity.details.get("address") or "")
    known = (region_of(address) or "") if address else None
    return {
        "age": age_on(birth, today) if birth else None,
        "sex": ("男" if int(number[16]) % 2 else "女") if birth else None,
        "region_code": known.ljust(6, "0") if known else None,
        "rural": ("村" in address) if address else None,
        "card_type": identity.source.value,
        REGION_KNOWN: known,
    }


# -- facts from the platform ----------------------------------------------------------------------

def needed_facts(policies: list[Policy]) -> list[str]:
    """The facts the pack's rules read: the only ones the terminal asks the platform for."""
    return sorted({f for p in policies for f in p.facts()})


def fetch_facts(terminal) -> dict[str, Any]:
    """Ask the platform for the identified citizen's facts (blocking: run it off the UI thread) and keep
    the answer in the session. Returns {"facts": {...}, "status": "ok" | "offline" | "no_answer"}: offline when
    the platform cannot be reached, no_answer when it was reached but gave no usable answer. Never raises."""
    session = terminal.session
    identity = session.identity
    policies = terminal.library.pack.policies
    names = needed_facts(policies)
    answer: dict[str, Any] = {"facts": {}, "status": "ok"}
    if identity is not None and names and not identity.is_enterprise:
        body = {"holder": {"id_number": identity.number}, "facts": names}
        try:
            with terminal.platform_lock:
                resp = terminal.platform.request("POST", FACTS_PATH, json=body)
            if resp.status_code == 200:
                got = resp.json().get("facts") or {}
                answer["facts"] = {k: v for k, v in got.items() if k in FACTS and v is not None}
            else:
                log.warning("citizen facts not available: HTTP %s", resp.status_code)
                answer["status"] = NO_ANSWER
        except (requests.ConnectionError, requests.ConnectTimeout) as exc:
            log.warning("citizen facts not available: %s", type(exc).__name__)
            answer["status"] = OFFLINE
        except (requests.RequestException, ValueError) as exc:      # a read timeout, an answer that is not JSON
            log.warning("citizen facts not available: %s", type(exc).__name__)
            answer["status"] = NO_ANSWER
    if session.identity is identity:     # the citizen may have left while the platform answered
        session.scratch[SCRATCH_KEY] = answer
    return answer


# -- matching -------------------------------------------------------------------------------------

@dataclass
class Match:
    """A policy the citizen may enjoy: why (the conditions that held) and what is left to check."""
    policy: Policy
    reasons: list[str] = field(default_factory=list)          # plain words of the conditions that held
    unchecked: list[str] = field(default_factory=list)        # plain names of what could not be checked
    why_unchecked: str = ""                                   # 现在连不上网络 | 您用的证件上没有 | …

    @property
    def sure(self) -> bool:
        return not self.unchecked

    @property
    def check_words(self) -> str:
        """需要核实：残疾人证（现在连不上网络）— "" when nothing is left to check."""
        if self.sure:
            return ""
        return f"需要核实：{'、'.join(self.unchecked)}（{self.why_unchecked}）"

    @property
    def action_words(self) -> str:
        return "确认领取" if self.policy.mode == "confirm" else "去申请"


def _plain(symbol: str) -> str:
    if symbol.startswith("facts."):
        return FACTS.get(symbol[6:], (None, symbol[6:]))[1]
    return PERSON.get(symbol, (None, symbol))[1]


def _evaluate(cond, thing: dict[str, Any]) -> bool:
    """Whether the condition holds. A region known only to its city or province (the county is not one
    listed here) decides a rule only when every place it may be gives the same answer."""
    if cond.compiled is None:
        return False
    known = thing.get(REGION_KNOWN)
    if not known or len(known) >= 6:
        return bool(cond.compiled.evaluate(thing))
    answers = {bool(cond.compiled.evaluate({**thing, "region_code": code})) for code in candidates(known)}
    if len(answers) > 1:
        raise UnknownValue("region_code")
    return answers.pop()


def match(policies: list[Policy], person: dict[str, Any], facts: dict[str, Any] | None,
          status: str = "ok") -> list[Match]:
    """The policies the person may enjoy, biggest benefit first (sure ones before those left to check).

    `facts` None or `status` "offline": the platform could not be asked; "no_answer": it was reached but did
    not answer; a fact it did not give is "平台上没有查到" when it answered."""
    thing = dict(person)
    thing["facts"] = _Facts(facts or {})
    out = []
    for policy in policies:
        m = Match(policy)
        excluded = False
        reasons_unknown = set()
        for cond in policy.conditions:
            try:
                holds = _evaluate(cond, thing)
            except UnknownValue as unknown:
                m.unchecked.append(_plain(unknown.name))
                if unknown.name.startswith("facts."):
                    reasons_unknown.add(OFFLINE if facts is None else status if status != "ok" else "platform")
                elif unknown.name == "region_code" and person.get(REGION_KNOWN) is not None:
                    reasons_unknown.add("address")       # the card has an address: no place known here in it
                else:
                    reasons_unknown.add("card")
                continue
            if not holds:
                excluded = True
                break
            m.reasons.append(cond.because)
        if excluded:
            continue
        m.unchecked = list(dict.fromkeys(m.unchecked))
        m.why_unchecked = "；".join(WHY_UNKNOWN[r] for r in sorted(reasons_unknown))
        out.append(m)
    out.sort(key=lambda m: (not m.sure, -m.policy.value))
    return out


def matches_for(terminal, today: date | None = None) -> list[Match]:
    """The matches of the identified citizen with the facts in the session (none asked for yet counts as
    offline); [] for nobody or an enterprise."""
    identity = terminal.session.identity
    if identity is None or identity.is_enterprise:
        return []
    answer = terminal.session.scratch.get(SCRATCH_KEY) or {"facts": None, "status": OFFLINE}
    return match(terminal.library.pack.policies, person_of(identity, today), answer["facts"], answer["status"])
