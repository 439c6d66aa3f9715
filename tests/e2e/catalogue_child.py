"""Child process of the catalogue crash test: one catalogue sync that kills itself at a step.

    python catalogue_child.py DATA_DIR URL TOKEN STEP

SIGKILL at the first time the sync reaches STEP (offline_cache.catalogue.crash_point), as a power cut
or an OOM kill would stop it there; "none" runs the sync to its end. Prints the result otherwise.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.guides.store import validate_pack_dir  # noqa: E402
from offline_cache import catalogue  # noqa: E402
from offline_cache.platform_client import PlatformClient  # noqa: E402


def main() -> None:
    data_dir, url, token, step = sys.argv[1:5]

    def crash(at: str) -> None:
        if at == step:
            os.kill(os.getpid(), signal.SIGKILL)

    catalogue.crash_point = crash
    client = PlatformClient(url, token, "HZ-TEST-0001", connect_timeout=2, read_timeout=5)
    result = catalogue.CatalogueSync(client, Path(data_dir), validate_pack_dir).sync()
    print(result.status, result.reason, flush=True)


if __name__ == "__main__":
    main()
