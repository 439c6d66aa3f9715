"""`decode` and `verify-code`: staff tools for 居民码 / 企业码 (no Kivy, no camera).

    python run_kiosk.py decode [--json] [--decoder cascade|zxing|pyzbar] IMAGE...
    python run_kiosk.py verify-code [--json] [--no-record] [--show-personal] TEXT
"""
from __future__ import annotations

import json
import sys
import time


def add_arguments(name, parser) -> None:
    """Arguments of `decode` and `verify-code`."""
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    if name == "decode":
        parser.add_argument("--decoder", choices=("cascade", "zxing", "pyzbar"),
                            help="decoder to use (default: [camera] decoder)")
        parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, ...)")
    else:
        parser.add_argument("--no-record", action="store_true",
                            help="check only: do not mark an accepted signed code as used")
        parser.add_argument("--show-personal", action="store_true",
                            help="print the full ID number and name (masked otherwise, in --json too)")
        parser.add_argument("text", metavar="TEXT", help="the scanned text ('-' reads it from stdin)")


def run(name, args, settings) -> int:
    """Run one of the two commands; the exit status says whether it worked."""
    return _decode(args, settings) if name == "decode" else _verify(args, settings)


def _decode(args, settings) -> int:
    import cv2
    import numpy as np

    from devices.camera.qr_decode import make_decoder

    decoder = make_decoder(args.decoder or settings.get("camera", "decoder"))
    failures = 0
    for path in args.images:
        record: dict = {"file": path}
        try:
            data = np.fromfile(path, dtype=np.uint8)
            image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
        except OSError as exc:
            image, record["error"] = None, f"cannot read file: {exc.strerror or type(exc).__name__}"
        if image is None:
            record.setdefault("error", "not an image OpenCV can read")
            failures += 1
        else:
            start = time.perf_counter()
            codes = decoder.decode(image)
            record["codes"] = [{"format": c.format, "text": c.text} for c in codes]
            record["ms"] = round((time.perf_counter() - start) * 1000, 1)
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        elif "error" in record:
            print(f"{path}: 错误 / error: {record['error']}")
        else:
            texts = "; ".join(f"[{c['format']}] {c['text']}" for c in record["codes"]) or "没有识别到二维码 / no code"
            print(f"{path} ({record['ms']} ms): {texts}")
    return 1 if failures else 0


def _verify(args, settings) -> int:
    from kiosk.codes import CodeChecker
    from kiosk.redact import mask_id_number, mask_name

    text = sys.stdin.read() if args.text == "-" else args.text
    result = CodeChecker.from_settings(settings).check(text, record=not args.no_record)
    # a staff terminal's scroll-back is no place for a citizen's ID number: masked unless asked for
    enterprise = result.kind == "enterprise"
    name = result.name if enterprise or args.show_personal or not result.name else mask_name(result.name)
    sub = result.sub if args.show_personal or not result.sub else mask_id_number(result.sub)
    if args.json:
        print(json.dumps({**result.as_dict(), "sub": sub, "name": name}, ensure_ascii=False))
    elif result.ok:
        kind = "企业码" if enterprise else "居民码"
        where = "本机核验" if result.verified_offline else "平台核验"
        print(f"有效 / valid: {kind} {name} {sub} ({where})")
    else:
        print(f"拒绝 / refused: {result.reason} — {result.message}")
    return 0 if result.ok else 1
