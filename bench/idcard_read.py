"""Resident ID card read over a pty at 115200 baud, as a ratio to the time its bytes need on the wire.

    .venv/bin/python bench/idcard_read.py [--reads 30] [--fuzz 3000] [--seed 467]

The SAM simulator paces like a 115200 8N1 line (10 bits a byte): it answers a request only after the
request's own wire time, and releases each 8-byte piece of an answer when its last byte would have
arrived. The wire time is computed from the bytes the driver actually wrote and read (counted on its
port, retries and the confirming read included). Printed, side by side, raw percentiles of single reads:
  raw        a bare loop in this run: find + select + read once, reading exactly the expected bytes
  single     IdCardReader with max_reads=1: one find -> select -> read -> parse
  driver     IdCardReader as the kiosk runs it: read, find + select + read again, the two answers compared
and the ratios to the wire time of each one's own bytes (target driver <= 1.3x).

What this cannot show: a real reader spends time the simulator does not have (the radio exchange with
the card and the SAM's decryption, before the first byte of an answer), so on a real reader the read
takes longer than here; the figure is the driver's own overhead over the serial line.

Then a fuzz run: every answer passes a seeded mutator (including damage the XOR checksum misses), and
every read must end in the card presented (compared field by field and the photo byte by byte) or in
the driver's own DeviceError. The same mutator seed is also run with max_reads=1 (trusting one read),
which shows what the confirming read prevents.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import serial  # noqa: E402

from devices.idcard import sam_protocol as sp  # noqa: E402
from devices.idcard.reader import IdCardReader  # noqa: E402
from devices.idcard.sam_simulator import FrameMutator, SamSimulator  # noqa: E402
from devices.states import DeviceError  # noqa: E402

BAUD = 115200
COMMANDS = (sp.FIND_CARD, sp.SELECT_CARD, sp.READ_TEXT_PHOTO)


class CountingSerial(serial.Serial):
    """pyserial's port, counting the bytes that crossed the line (both directions)."""
    wire_bytes = 0

    def write(self, data):
        CountingSerial.wire_bytes += len(data)
        return super().write(data)

    def read(self, size=1):
        got = super().read(size)
        CountingSerial.wire_bytes += len(got)
        return got


def wire_seconds(n_bytes: int) -> float:
    return n_bytes * 10 / BAUD


def answer_sizes(sim: SamSimulator) -> list[int]:
    sizes = []
    for command in COMMANDS:
        sim._selected = command == sp.READ_TEXT_PHOTO or sim._selected
        sizes.append(len(sim._respond(sp.Request(command[0], command[1], b""))))
    return sizes


def raw_read(ser, sizes: list[int]) -> tuple[float, int]:
    before = CountingSerial.wire_bytes
    start = time.perf_counter()
    for command, size in zip(COMMANDS, sizes):
        ser.write(sp.build_request(command))
        got = ser.read(size)
        assert len(got) == size
    return time.perf_counter() - start, CountingSerial.wire_bytes - before


def driver_read(reader: IdCardReader, ser, card) -> tuple[float, int]:
    before = CountingSerial.wire_bytes
    start = time.perf_counter()
    assert reader.find_and_select(ser) is not None
    record = reader.read_card(ser)
    elapsed = time.perf_counter() - start
    assert record.as_json() | {"sam_id": None} == card.as_json() and record.photo == card.photo
    return elapsed, CountingSerial.wire_bytes - before


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def bench(reads: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sim = SamSimulator(Path(tmp) / "tty", pace_baud=BAUD).start()
        card = sim.present("resident")
        sizes = answer_sizes(sim)
        results: dict[str, list[tuple[float, int]]] = {"raw": [], "single": [], "driver": []}
        readers = {"single": IdCardReader(sim.port, max_reads=1, serial_factory=CountingSerial),
                   "driver": IdCardReader(sim.port, serial_factory=CountingSerial)}
        raw_ser = CountingSerial(sim.port, BAUD, timeout=2)
        ports = {}
        for name, reader in readers.items():
            ports[name] = reader._open()
            reader.read_sam_id(ports[name])
        for _ in range(reads):   # interleaved: the three see the same machine load
            results["raw"].append(raw_read(raw_ser, sizes))
            for name, reader in readers.items():
                results[name].append(driver_read(reader, ports[name], card))
        raw_ser.close()
        for port in ports.values():
            port.close()
        sim.stop()
    print(f"ID card read over a pty paced at {BAUD} baud, {reads} reads each, raw percentiles of single reads")
    print(f"  read answer {sizes[-1]} bytes = {wire_seconds(sizes[-1]) * 1000:.1f} ms on the wire")
    print(f"  {'':8s} {'bytes':>6s} {'wire ms':>8s} {'p50 ms':>8s} {'p90 ms':>8s} {'max ms':>8s} {'p50/wire':>9s}")
    p50s = {}
    for name, rows in results.items():
        times = [t * 1000 for t, _ in rows]
        n_bytes = statistics.median(b for _, b in rows)
        wire = wire_seconds(n_bytes) * 1000
        p50s[name] = statistics.median(times)
        print(f"  {name:8s} {n_bytes:6.0f} {wire:8.1f} {p50s[name]:8.1f} {pct(times, 90):8.1f} {max(times):8.1f} "
              f"{p50s[name] / wire:8.2f}x")
    print(f"  confirmed read vs single read: {p50s['driver'] / p50s['single']:.2f}x (p50)")
    d_wire = wire_seconds(statistics.median(b for _, b in results["driver"])) * 1000
    print(f"  target driver p50/wire <= 1.30x: {'met' if p50s['driver'] / d_wire <= 1.3 else 'NOT met'}")


def fuzz(iterations: int, seed: int, max_reads: int) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = SamSimulator(Path(tmp) / "tty").start()
        mutator = FrameMutator(random.Random(seed))
        sim.set_mutator(mutator)
        names = list(sim.cards)
        reader = IdCardReader(sim.port, poll_interval=0.005, response_timeout=0.03, read_timeout=0.06, retries=1,
                              max_reads=max_reads)
        outcomes: dict[str, int] = {}
        foreign = wrong = 0
        start = time.perf_counter()
        for i in range(iterations):
            card = sim.present(names[i % len(names)])
            try:
                record = reader.read_one(0.4)
                if record.as_json() | {"sam_id": None} == card.as_json() and record.photo == card.photo:
                    key = "record = the card presented"
                else:
                    key = "WRONG RECORD (differs from the card presented)"
                    wrong += 1
            except DeviceError as exc:
                key = exc.code
            except Exception as exc:  # anything else is a driver bug: count and show it
                key = f"FOREIGN {type(exc).__name__}: {exc}"
                foreign += 1
            outcomes[key] = outcomes.get(key, 0) + 1
        elapsed = time.perf_counter() - start
        sim.stop()
    label = "driver (two reads must agree)" if max_reads > 1 else "baseline max_reads=1 (one read trusted)"
    print(f"\nfuzz, {label}: {iterations} reads, {mutator.count} answers mutated (seed {seed}), {elapsed:.1f} s")
    for key, count in sorted(outcomes.items(), key=lambda kv: -kv[1]):
        print(f"  {count:6d}  {key}")
    print(f"  errors other than the driver's own: {foreign}; records that are not the card: {wrong}")
    return foreign, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--fuzz", type=int, default=3000, help="fuzzed reads (0 = skip)")
    parser.add_argument("--seed", type=int, default=467)
    args = parser.parse_args()
    if args.reads:
        bench(args.reads)
    if not args.fuzz:
        return 0
    foreign, wrong = fuzz(args.fuzz, args.seed, max_reads=3)
    fuzz(args.fuzz, args.seed, max_reads=1)
    return 1 if foreign or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
