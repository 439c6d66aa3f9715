"""`prereview`: the terminal's automatic pre-review of one photo of a material, for staff and tests.

    python run_kiosk.py prereview --json --material KIND [--name NAME] [--id-number NUMBER]
                                  [--required LABEL ...] [--today YYYY-MM-DD] IMAGE

KIND: id_card_front, id_card_back, hukou_page, form, generic. Runs the same code as the kiosk
(kiosk/review/prereview.py) and prints one line
{"ok", "quality": [codes], "checks": [{"check", "ok", "detail"}], "fields": {…}}.
Exit 0 when the photo could be judged (whatever the verdict), 2 when the file is not an image.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

EXIT_NOT_AN_IMAGE = 2


def add_arguments(name, parser) -> None:
    from kiosk.review.kinds import KINDS
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--material", required=True, choices=sorted(KINDS), help="what the photo shows")
    parser.add_argument("--name", help="the identified citizen's name (name_matches)")
    parser.add_argument("--id-number", help="the identified citizen's ID number (id_number_matches)")
    parser.add_argument("--required", nargs="*", default=None, metavar="LABEL",
                        help="form: labels of the fields that must be filled (default: those of 姓名 "
                             "公民身份号码 联系电话 that the form has)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="the day to judge expiry against")
    parser.add_argument("image", help="photo or scan of the material")


def run(name, args, settings) -> int:
    from devices.doccam.encode import decode_image
    path = Path(args.image)
    try:
        image = decode_image(path.read_bytes())
    except OSError:
        image = None
    if image is None:
        message = "这个文件不是图片。"
        if args.json:
            print(json.dumps({"error": {"code": "not_an_image", "message": message}}, ensure_ascii=False))
        else:
            print(message, file=sys.stderr)
        return EXIT_NOT_AN_IMAGE
    from kiosk.review.prereview import prereview
    result = prereview(image, args.material, name=args.name, id_number=args.id_number, today=args.today,
                       required=args.required)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    from devices.doccam.quality import MESSAGES
    for code in result.quality:
        print(f"照片：{MESSAGES[code]}")
    for check in result.checks:
        print(f"{'✓' if check.ok else '✗'} {check.detail}")
    print("通过" if result.ok else "请核对")
    return 0
