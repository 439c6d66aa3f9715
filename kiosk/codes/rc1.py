"""The `RC1` signed code format (shared/specs/resident-code.md): parsing, SM2/SM3 signing and checking.

`RC1.<kind>.<payload>.<signature>`; payload and signature are base64url without padding, the
signature is SM2 with SM3 and the default user id over the ASCII bytes `RC1.<kind>.<payload>`,
as 64 bytes r||s. Keys are hex as the `gmssl` package writes them (public: 128 hex digits, no `04`).

Signing lives here too because tests, the demo issuer and the bench need valid codes; no private
key is stored by this module.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from gmssl import sm2

PREFIX = "RC1"
KINDS = {"R": "resident", "E": "enterprise"}
MAX_CODE_LENGTH = 2048   # a QR code cannot carry much more; longer text is not a code
_CURVE = sm2.default_ecc_table
_N = int(_CURVE["n"], 16)
_P = int(_CURVE["p"], 16)
_A = int(_CURVE["a"], 16)
_B = int(_CURVE["b"], 16)
_B64URL = re.compile(r"^[A-Za-z0-9_-]+$")
_HEX128 = re.compile(r"^[0-9a-fA-F]{128}$")


class FormatError(ValueError):
    """The text starts like an RC1 code but is not one. The message never contains the text."""


@dataclass(frozen=True)
class ParsedCode:
    """An RC1 code split into its parts; nothing is verified yet."""
    kind: str            # "R" or "E"
    claims: dict[str, Any]
    signed_bytes: bytes  # ASCII of RC1.<kind>.<payload>
    signature: bytes     # 64 bytes r||s

    @property
    def kid(self) -> str:
        return self.claims["kid"]


def b64url_encode(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding; raises FormatError on anything else."""
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise FormatError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise FormatError("not base64url") from None


def looks_like_rc1(text: str) -> bool:
    """True when the text claims to be an RC1 code (so it must never be sent to the platform)."""
    return text.startswith(PREFIX + ".")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse(text: str) -> ParsedCode:
    """Split and type-check an RC1 code; FormatError when any part is malformed."""
    if len(text) > MAX_CODE_LENGTH:
        raise FormatError("too long")
    parts = text.split(".")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise FormatError("not four dot-separated parts")
    _, kind, payload_b64, sig_b64 = parts
    if kind not in KINDS:
        raise FormatError("unknown kind")
    payload = b64url_decode(payload_b64)
    signature = b64url_decode(sig_b64)
    if len(signature) != 64:
        raise FormatError("signature is not 64 bytes")
    try:
        claims = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FormatError("payload is not UTF-8 JSON") from None
    if not isinstance(claims, dict):
        raise FormatError("payload is not an object")
    for key in ("sub", "name", "jti", "kid"):
        value = claims.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > 128:
            raise FormatError(f"claim {key} missing or not a short string")
    for key in ("iat", "exp"):
        if not _is_int(claims.get(key)) or not 0 <= claims[key] < 2**40:
            raise FormatError(f"claim {key} missing or not a unix time")
    if claims["exp"] < claims["iat"]:
        raise FormatError("expires before it was issued")
    return ParsedCode(kind, claims, f"{PREFIX}.{kind}.{payload_b64}".encode("ascii"), signature)


# -- keys ----------------------------------------------------------------------------------
def valid_public_key(public_hex: str) -> bool:
    """True for 128 hex digits that are a point on the SM2 curve."""
    if not isinstance(public_hex, str) or not _HEX128.match(public_hex):
        return False
    x, y = int(public_hex[:64], 16), int(public_hex[64:], 16)
    if not (0 <= x < _P and 0 <= y < _P):
        return False
    return (y * y - (x * x * x + _A * x + _B)) % _P == 0


def generate_keypair() -> tuple[str, str]:
    """A fresh SM2 key pair (private hex, public hex without 04) from the OS random source."""
    d = secrets.randbelow(_N - 2) + 1
    private_hex = f"{d:064x}"
    public_hex = sm2.CryptSM2(private_key=private_hex, public_key="")._kg(d, _CURVE["g"])
    return private_hex, public_hex


def sign(private_hex: str, public_hex: str, data: bytes) -> bytes:
    """SM2 signature with SM3 and the default user id, 64 bytes r||s."""
    signer = sm2.CryptSM2(private_key=private_hex, public_key=public_hex)
    # gmssl's own nonce comes from `random`; use the OS source instead
    k = f"{secrets.randbelow(_N - 2) + 1:064x}"
    return bytes.fromhex(signer.sign_with_sm3(data, k))


def verify_signature(public_hex: str, data: bytes, signature: bytes) -> bool:
    """True when `signature` (r||s) is a valid SM2/SM3 signature of `data` under the key."""
    if len(signature) != 64 or not valid_public_key(public_hex):
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    # gmssl does not check the ranges itself (GM/T 0003 step B1/B2)
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    try:
        return bool(sm2.CryptSM2(private_key=None, public_key=public_hex).verify_with_sm3(signature.hex(), data))
    except Exception:  # malformed points inside gmssl: a bad signature, never a crash
        return False


def make_code(kind: str, claims: dict[str, Any], private_hex: str, public_hex: str) -> str:
    """Build a signed RC1 code (tests, demo issuer, bench)."""
    payload = b64url_encode(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    signed = f"{PREFIX}.{kind}.{payload}"
    return f"{signed}.{b64url_encode(sign(private_hex, public_hex, signed.encode('ascii')))}"
