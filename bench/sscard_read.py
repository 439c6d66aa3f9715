"""Social security card read through pcscd + vsmartcard, against the same read in-process.

    .venv/bin/python bench/sscard_read.py [--reads 50]

Needs pcscd running with the vsmartcard-vpcd reader (dev.sh starts it). Prints the median time of a
full EF05+EF06 read for: the applet called in-process (baseline: the reading code alone), and the
virtual card behind pcscd (PC/SC + the vpcd socket), for a plain card and a T=0-style card that
answers every record with 61xx, and the ratios to the baseline.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.sscard.vpcd_card import SocialSecurityApplet, VpcdCard, demo_cards  # noqa: E402
from devices.sscard.data import read_card  # noqa: E402


def in_process(applet: SocialSecurityApplet) -> float:
    def transmit(apdu):
        answer = applet.process(bytes(apdu))
        return list(answer[:-2]), answer[-2], answer[-1]
    start = time.perf_counter()
    read_card(transmit)
    return time.perf_counter() - start


def through_pcscd(reader_name: str, reads: int, **kwargs) -> list[float]:
    from smartcard.System import readers
    card = VpcdCard(SocialSecurityApplet(demo_cards()["default"], **kwargs))
    card.insert()
    try:
        reader = next(r for r in readers() if str(r) == reader_name)
        deadline = time.monotonic() + 5
        while True:
            connection = reader.createConnection()
            try:
                connection.connect()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        times = []
        for _ in range(reads):
            start = time.perf_counter()
            read_card(connection.transmit)
            times.append(time.perf_counter() - start)
        connection.disconnect()
        return times
    finally:
        card.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=50)
    args = parser.parse_args()
    try:
        from smartcard.System import readers
        names = sorted(str(r) for r in readers() if "Virtual PCD" in str(r))
    except Exception as exc:
        print(f"pcscd is not available ({type(exc).__name__}); start it with dev.sh", file=sys.stderr)
        return 2
    if not names:
        print("no vsmartcard reader in pcscd (is vsmartcard-vpcd installed?)", file=sys.stderr)
        return 2
    base = statistics.median(in_process(SocialSecurityApplet(demo_cards()["default"])) for _ in range(args.reads))
    plain = statistics.median(through_pcscd(names[0], args.reads))
    chained = statistics.median(through_pcscd(names[0], args.reads, chain_61=True))
    print(f"社保卡 EF05+EF06 read ({args.reads} reads, medians)")
    print(f"  in-process applet (baseline)   {base * 1000:8.3f} ms   1.00x")
    print(f"  pcscd + vpcd, 13 records       {plain * 1000:8.3f} ms   {plain / base:7.1f}x")
    print(f"  pcscd + vpcd, 61xx chaining    {chained * 1000:8.3f} ms   {chained / base:7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
