"""居民码 / 企业码: offline verification of signed RC1 codes, platform resolution of the rest.

    checker = CodeChecker.from_settings(settings)
    result = checker.check(text)       # CodeResult: ok, kind, reason, message, identity()
"""
from __future__ import annotations

import logging
import re

from kiosk.codes import rc1
from kiosk.codes.reasons import REASONS, message_for
from kiosk.codes.resolver import PlatformResolver
from kiosk.codes.verifier import CodeResult, Rc1Verifier

__all__ = ["CodeChecker", "CodeResult", "Rc1Verifier", "PlatformResolver", "REASONS", "message_for"]
log = logging.getLogger(__name__)
# control characters other than tab never belong in a code; scanners add CR/LF at the end only
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class CodeChecker:
    """One entry point for every scanned text: RC1 codes offline, anything else via the platform."""

    def __init__(self, verifier: Rc1Verifier, resolver: PlatformResolver | None) -> None:
        self.verifier = verifier
        self.resolver = resolver

    @classmethod
    def from_settings(cls, settings, replay_store=None, client=None, lock=None) -> "CodeChecker":
        """Issuers, skew and lifetime from [codes]; in demo mode the local demo issuer is trusted too.

        `client` is the terminal core's platform client (made here for the staff tools)."""
        from offline_cache.replay_store import ReplayStore
        from kiosk.settings import SettingsError

        issuers = settings.getmap("codes", "issuers")
        if settings.demo:
            from kiosk.codes.demo_issuer import DEMO_KID, DemoIssuer
            issuers.setdefault(DEMO_KID, DemoIssuer(settings.data_dir).public_hex)
        store = replay_store or ReplayStore(settings.data_dir / "replay.sqlite3")
        try:
            verifier = Rc1Verifier(issuers, store, skew=settings.getint("codes", "skew"),
                                   max_lifetime=settings.getint("codes", "max_lifetime"))
        except ValueError as exc:
            raise SettingsError(f"[codes] issuers: {exc}") from None
        if client is None:
            from offline_cache.platform_client import PlatformClient
            client = PlatformClient.from_settings(settings)
        resolver = PlatformResolver(client, read_timeout=settings.getfloat("codes", "resolve_timeout"), lock=lock)
        return cls(verifier, resolver)

    def check(self, text: str, record: bool = True) -> CodeResult:
        """Verify or resolve one scanned text; every failure is a refusal with a reason, never an exception."""
        if not isinstance(text, str):
            return CodeResult.refused("bad_format")
        text = text.strip()
        if not text or len(text) > rc1.MAX_CODE_LENGTH or _CONTROL.search(text):
            return CodeResult.refused("bad_format")
        if rc1.looks_like_rc1(text):
            result = self.verifier.verify(text, record=record)
        elif self.resolver is None:
            result = CodeResult.refused("needs_network")
        else:
            result = self.resolver.resolve(text)
        log.info("code checked: %s", "accepted" if result.ok else f"refused ({result.reason})")
        return result
