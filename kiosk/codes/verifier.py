"""Offline verification of signed `RC1` 居民码 / 企业码 (shared/specs/resident-code.md).

Checks run in a fixed order and the first failure is the reason: format, trusted issuer, SM2
signature, time window (with skew), lifetime, check digit of `sub`, and last the replay store, so
that only a code that passed everything is recorded as used.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from devices.checkdigit import valid_id_number, valid_uscc
from kiosk.codes import rc1
from kiosk.codes.reasons import message_for
from kiosk.identity import Identity, IdentitySource


@dataclass(repr=False)
class CodeResult:
    """The outcome of checking one scanned text. `name`/`sub` are personal: never log them."""
    ok: bool
    kind: str | None = None          # "resident" | "enterprise" | None
    sub: str | None = None           # ID number or unified social credit code
    name: str | None = None
    reason: str | None = None        # refusal code when not ok
    verified_offline: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Plain words for the citizen ("" when accepted)."""
        return "" if self.ok else message_for(self.reason or "")

    @classmethod
    def refused(cls, reason: str, kind: str | None = None) -> "CodeResult":
        return cls(ok=False, kind=kind, reason=reason)

    def as_dict(self) -> dict[str, Any]:
        """The staff CLI's JSON shape."""
        return {"ok": self.ok, "kind": self.kind, "sub": self.sub, "name": self.name, "reason": self.reason}

    def identity(self) -> Identity:
        """The same Identity a card read gives; only for accepted results."""
        if not self.ok or not self.sub or self.name is None:
            raise ValueError("only an accepted code becomes an identity")
        enterprise = self.kind == "enterprise"
        return Identity(
            source=IdentitySource.ENTERPRISE_CODE if enterprise else IdentitySource.RESIDENT_CODE,
            name=self.name, number=self.sub, is_enterprise=enterprise,
            verified_offline=self.verified_offline, details=dict(self.details))

    def __repr__(self) -> str:  # personal fields stay out of tracebacks and logs
        return f"CodeResult(ok={self.ok}, kind={self.kind}, reason={self.reason})"


class Rc1Verifier:
    """Verifies RC1 codes against the configured issuers; records accepted codes in the replay store."""

    def __init__(self, issuers: Mapping[str, str], replay_store, skew: int = 30, max_lifetime: int = 300,
                 clock: Callable[[], float] = time.time) -> None:
        bad = [kid for kid, key in issuers.items() if not rc1.valid_public_key(key)]
        if bad:
            raise ValueError(f"issuer key(s) {', '.join(sorted(bad))} are not SM2 public keys "
                             "(128 hex digits without 04, a point on the curve)")
        self.issuers = dict(issuers)
        self.replay_store = replay_store
        self.skew = int(skew)
        self.max_lifetime = int(max_lifetime)
        self._clock = clock

    def verify(self, text: str, record: bool = True) -> CodeResult:
        """Check one RC1 text. With record=False an accepted code is not marked as used (staff checks)."""
        try:
            code = rc1.parse(text)
        except rc1.FormatError:
            return CodeResult.refused("bad_format")
        kind = rc1.KINDS[code.kind]
        claims = code.claims
        public_key = self.issuers.get(code.kid)
        if public_key is None:
            return CodeResult.refused("unknown_issuer", kind)
        if not rc1.verify_signature(public_key, code.signed_bytes, code.signature):
            return CodeResult.refused("bad_signature", kind)
        now = self._clock()
        if now < claims["iat"] - self.skew:
            return CodeResult.refused("not_yet_valid", kind)
        if now > claims["exp"] + self.skew:
            return CodeResult.refused("expired", kind)
        if claims["exp"] - claims["iat"] > self.max_lifetime:
            return CodeResult.refused("lifetime_too_long", kind)
        sub = claims["sub"]
        if not (valid_id_number(sub) if code.kind == "R" else valid_uscc(sub)):
            return CodeResult.refused("bad_check_digit", kind)
        if record:
            if not self.replay_store.claim(code.kid, claims["jti"], claims["exp"] + self.skew):
                return CodeResult.refused("replayed", kind)
        elif self.replay_store.seen(code.kid, claims["jti"]):
            return CodeResult.refused("replayed", kind)
        # details hold numbers only: every string in an identity's details is masked in the logs
        # for the whole session, and an issuer id such as "demo" would blank out unrelated lines
        return CodeResult(ok=True, kind=kind, sub=sub.upper(), name=claims["name"].strip(),
                          verified_offline=True, details={"expires_at": claims["exp"]})
