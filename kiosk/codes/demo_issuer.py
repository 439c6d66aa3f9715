"""A demo issuer of signed 居民码 for demo mode and the tour: its key is made at run time in data_dir.

Only a terminal in demo mode trusts it (kid `demo`); the key never leaves data_dir and is never
committed. The identities it issues are fictional but carry valid check digits.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from devices.checkdigit import id_check_char, uscc_check_char
from kiosk.codes import rc1

DEMO_KID = "demo"
DEMO_RESIDENT = ("371702198001011234"[:17], "张三丰")       # fictional; check digit added below
DEMO_ENTERPRISE = ("91371700MA3C00000"[:17], "菏泽示例科技有限公司")


class DemoIssuer:
    """Loads or creates `demo_issuer.json` (private and public key hex) in data_dir."""

    def __init__(self, data_dir: str | Path) -> None:
        path = Path(data_dir) / "demo_issuer.json"
        if not path.exists():
            self._create(path)
        keys = json.loads(path.read_text(encoding="utf-8"))
        self.private_hex = keys["private"]
        self.public_hex = keys["public"]

    @staticmethod
    def _create(path: Path) -> None:
        # written whole under another name, then linked into place: the kiosk and a staff command
        # starting together both end up with the same complete key, never half a file
        private_hex, public_hex = rc1.generate_keypair()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"private": private_hex, "public": public_hex}, fh)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # someone else was first: use theirs
        finally:
            os.unlink(tmp)

    def issue(self, enterprise: bool = False, lifetime: int = 120, now: float | None = None,
              sub: str | None = None, name: str | None = None) -> str:
        """A fresh signed code for the demo resident (or enterprise)."""
        now = int(time.time() if now is None else now)
        if enterprise:
            first17, default_name = DEMO_ENTERPRISE
            default_sub = first17 + uscc_check_char(first17)
        else:
            first17, default_name = DEMO_RESIDENT
            default_sub = first17 + id_check_char(first17)
        claims = {"sub": sub or default_sub, "name": name or default_name, "iat": now, "exp": now + lifetime,
                  "jti": uuid.uuid4().hex, "kid": DEMO_KID}
        return rc1.make_code("E" if enterprise else "R", claims, self.private_hex, self.public_hex)
