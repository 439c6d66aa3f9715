"""`config`: print the merged configuration, with tokens and keys masked."""
from __future__ import annotations

import json

SECRET_KEYS = {"token", "issuers", "pin_hash", "pin_sha256"}


def add_arguments(name, parser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(name, args, settings) -> int:
    """Print the settings; settings that cannot work are listed first (exit 1 when there are any)."""
    from kiosk.service_map import settings_problems
    problems = settings_problems(settings)
    merged = settings.sections()
    for section, values in merged.items():
        for key in values:
            if key in SECRET_KEYS and values[key]:
                values[key] = "***"
    if args.json:
        print(json.dumps({"sources": settings.sources, "problems": problems, "settings": merged},
                         ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(f"# 设置有误：{problem}")
        print("# sources: " + " <- ".join(settings.sources))
        for section, values in merged.items():
            print(f"[{section}]")
            for key, value in values.items():
                print(f"{key} = {value}")
            print()
    return 1 if problems else 0
