"""SM4-GCM encryption of personal data at rest, with the key in a 0600 file beside (not inside) the database.

Sealed format: b"\x01" (format version) || 12-byte nonce || ciphertext || 16-byte tag. The associated
data binds a ciphertext to its row (e.g. the local id), so rows cannot be swapped undetected.
"""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = b"\x01"
KEY_BYTES = 16   # SM4 is a 128-bit block cipher with a 128-bit key
NONCE_BYTES = 12
TAG_BYTES = 16


class CryptoError(Exception):
    """The key file is unusable or a ciphertext does not authenticate. Messages carry no data."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """Encrypt and authenticate `plaintext` with SM4-GCM under a fresh random nonce."""
    nonce = os.urandom(NONCE_BYTES)
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    body = enc.update(plaintext) + enc.finalize()
    return FORMAT + nonce + body + enc.tag


def open_sealed(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """Decrypt what `seal` produced; CryptoError when the key, the data or the aad do not match."""
    if len(sealed) < 1 + NONCE_BYTES + TAG_BYTES or sealed[:1] != FORMAT:
        raise CryptoError("sealed_format", "encrypted record has an unknown format")
    nonce = sealed[1:1 + NONCE_BYTES]
    tag = sealed[-TAG_BYTES:]
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(aad)
    try:
        return dec.update(sealed[1 + NONCE_BYTES:-TAG_BYTES]) + dec.finalize()
    except InvalidTag:
        raise CryptoError("sealed_tampered", "encrypted record does not authenticate (wrong key or damaged)") \
            from None


def load_or_create_key(path: Path, create: bool = True) -> bytes:
    """Read the key file, or create it (0600, fsynced with its folder) when it does not exist yet."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise CryptoError("key_missing", f"key file {path.name} is missing") from None
        return _create_key(path)
    if len(data) != KEY_BYTES:
        raise CryptoError("key_invalid", f"key file {path.name} has the wrong length")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        # someone loosened the permissions: tighten them again rather than refuse to work
        os.chmod(path, 0o600)
    return data


def _create_key(path: Path) -> bytes:
    key = os.urandom(KEY_BYTES)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # link() fails when another process created the key first; then we use theirs
        os.link(tmp, path)
    except FileExistsError:
        os.unlink(tmp)
        return load_or_create_key(path, create=False)
    os.unlink(tmp)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return key


def derive_key(passphrase: str, salt: bytes, n: int = 2 ** 15) -> bytes:
    """SM4 key from a staff passphrase (scrypt), for exports carried on a USB stick."""
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=8, p=1).derive(passphrase.encode("utf-8"))


def fingerprint(key: bytes) -> str:
    """Short non-secret key id (for telling keys apart in staff output)."""
    h = hashes.Hash(hashes.SM3())
    h.update(b"heze-kiosk-key-id" + key)
    return h.finalize().hex()[:12]
