"""From a phone in view to the screen saying 正在核验: the costs on the camera thread and the check.

    python -m bench.code_latency [--rounds 30]

Measured in the same run: decoding one 1280x720 camera frame with the phone (cascade, and zxing-cpp
alone as the baseline), the camera thread's path from frame to "code" event, and checking a signed
RC1 code (SM2/SM3 verify + replay store). The screen reacts on the next Kivy frame after the event
(<= 17 ms at 60 fps); the check runs on a worker thread and never delays that reaction.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.camera.base import CameraDevice  # noqa: E402
from devices.camera.qr_decode import make_decoder  # noqa: E402
from devices.camera.simulator import phone_frame  # noqa: E402
from kiosk.codes import rc1  # noqa: E402
from kiosk.codes.verifier import Rc1Verifier  # noqa: E402
from offline_cache.replay_store import ReplayStore  # noqa: E402

BUDGET_MS = 100.0


def _median_ms(fn, rounds: int) -> float:
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)

    private_hex, public_hex = rc1.generate_keypair()
    now = int(time.time())
    codes = [rc1.make_code("R", {"sub": "11010519491231002X", "name": "赵六", "iat": now, "exp": now + 120,
                                 "jti": f"j{i}", "kid": "k"}, private_hex, public_hex)
             for i in range(args.rounds + 1)]
    frame = phone_frame(codes[0])

    zxing, cascade = make_decoder("zxing"), make_decoder("cascade")
    t_zxing = _median_ms(lambda: zxing.decode(frame), args.rounds)
    t_cascade = _median_ms(lambda: cascade.decode(frame), args.rounds)

    camera = CameraDevice(decoder=cascade, decode_fps=0, repeat_interval=0)
    got = threading.Event()
    camera.events.subscribe(lambda e, p: got.set() if e == "code" else None)

    def frame_to_event() -> None:
        got.clear()
        camera.forget_codes()
        camera.handle_frame(frame)
        assert got.is_set()
    t_event = _median_ms(frame_to_event, args.rounds)

    with tempfile.TemporaryDirectory() as tmp:
        store = ReplayStore(Path(tmp) / "replay.sqlite3")
        verifier = Rc1Verifier({"k": public_hex}, store)
        it = iter(codes)
        t_verify = _median_ms(lambda: verifier.verify(next(it)), args.rounds)
        store.close()

    print(f"code latency bench: {args.rounds} rounds, 1280x720 simulated phone frame")
    rows = [("decode, zxing-cpp alone (baseline)", t_zxing), ("decode, cascade", t_cascade),
            ("camera thread: frame -> code event", t_event), ("check RC1 (SM2 verify + replay store)", t_verify)]
    for label, ms in rows:
        print(f"{label:40s} {ms:7.1f} ms  {ms / t_zxing:5.2f}x baseline  {ms / BUDGET_MS:5.0%} of 100 ms")
    print(f"{'event -> 正在核验 on screen':40s} <= one Kivy frame (Clock.schedule_once(..., 0))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
