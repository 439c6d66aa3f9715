"""Resident ID card read over a pty at 115200 baud, as a ratio to the time the bytes need on the wire.

    .venv/bin/python bench/idcard_read.py [--reads 20] [--fuzz 3000] [--seed 467]

The SAM simulator paces its answers (and the requests it receives) like a 115200 8N1 line, so a
perfect driver would take exactly the wire time. Printed, side by side:
  wire       the bytes of find + select + read on the line (10 bits a byte)
  raw        a bare loop in this run: write each request, read exactly the expected answer bytes
  driver     IdCardReader: find -> select -> read -> parse, as the kiosk does it
and the ratios driver/wire (target <= 1.3) and driver/raw. Then a fuzz run: every answer passes a
seeded mutator, and every read must end in a record or the driver's own DeviceError.
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


def answer_sizes(sim: SamSimulator) -> list[int]:
    sizes = []
    for command in COMMANDS:
        sim._selected = command == sp.READ_TEXT_PHOTO or sim._selected
        sizes.append(len(sim._respond(sp.Request(command[0], command[1], b""))))
    return sizes


def raw_read(port: str, sizes: list[int]) -> float:
    with serial.Serial(port, BAUD, timeout=2) as ser:
        start = time.perf_counter()
        for command, size in zip(COMMANDS, sizes):
            ser.write(sp.build_request(command))
            got = ser.read(size)
            assert len(got) == size
        return time.perf_counter() - start


def driver_read(reader: IdCardReader, ser) -> float:
    start = time.perf_counter()
    assert reader.find_and_select(ser) is not None
    record = reader.read_card(ser)
    elapsed = time.perf_counter() - start
    assert record.type == "resident"
    return elapsed


def bench(reads: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sim = SamSimulator(Path(tmp) / "tty", pace_baud=BAUD).start()
        sim.present("resident")
        sizes = answer_sizes(sim)
        request_bytes = sum(len(sp.build_request(c)) for c in COMMANDS)
        wire = (request_bytes + sum(sizes)) * 10 / BAUD
        wire_answer = sizes[-1] * 10 / BAUD
        raw = [raw_read(sim.port, sizes) for _ in range(reads)]
        reader = IdCardReader(sim.port)
        ser = reader._open()
        reader.read_sam_id(ser)
        drv = [driver_read(reader, ser) for _ in range(reads)]
        ser.close()
        sim.stop()
    r, d = statistics.median(raw), statistics.median(drv)
    print(f"ID card full read over a pty at {BAUD} baud ({reads} reads, medians)")
    print(f"  read answer        {sizes[-1]} bytes, {wire_answer * 1000:7.1f} ms on the wire")
    print(f"  whole exchange     {request_bytes + sum(sizes)} bytes, {wire * 1000:7.1f} ms on the wire")
    print(f"  raw loop           {r * 1000:7.1f} ms   ratio to wire {r / wire:5.2f}x")
    print(f"  driver             {d * 1000:7.1f} ms   ratio to wire {d / wire:5.2f}x   "
          f"to raw {d / r:5.2f}x   to read answer alone {d / wire_answer:5.2f}x")
    print(f"  target driver/wire <= 1.30x: {'met' if d / wire <= 1.3 else 'NOT met'}")


def fuzz(iterations: int, seed: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        sim = SamSimulator(Path(tmp) / "tty").start()
        mutator = FrameMutator(random.Random(seed))
        sim.set_mutator(mutator)
        names = list(sim.cards)
        reader = IdCardReader(sim.port, poll_interval=0.005, response_timeout=0.03, read_timeout=0.06, retries=1)
        outcomes: dict[str, int] = {}
        foreign = 0
        start = time.perf_counter()
        for i in range(iterations):
            sim.present(names[i % len(names)])
            try:
                reader.read_one(0.4)
                key = "record"
            except DeviceError as exc:
                key = exc.code
            except Exception as exc:  # anything else is a driver bug: count and show it
                key = f"FOREIGN {type(exc).__name__}: {exc}"
                foreign += 1
            outcomes[key] = outcomes.get(key, 0) + 1
        elapsed = time.perf_counter() - start
        sim.stop()
    print(f"\nfuzz: {iterations} reads, {mutator.count} answers mutated (seed {seed}), {elapsed:.1f} s")
    for key, count in sorted(outcomes.items(), key=lambda kv: -kv[1]):
        print(f"  {count:6d}  {key}")
    print(f"  errors other than the driver's own: {foreign}")
    return 1 if foreign else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--fuzz", type=int, default=3000, help="fuzzed reads (0 = skip)")
    parser.add_argument("--seed", type=int, default=467)
    args = parser.parse_args()
    bench(args.reads)
    return fuzz(args.fuzz, args.seed) if args.fuzz else 0


if __name__ == "__main__":
    sys.exit(main())
