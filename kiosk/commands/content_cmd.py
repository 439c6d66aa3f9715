"""`content lint|draw|sync|info` and `guides search|list`: staff tools for the guide content.

    python run_kiosk.py content lint config/content      # errors with file:line; exit 1 if any
    python run_kiosk.py content draw [PACK]              # redraw the pack's pictures
    python run_kiosk.py content sync                     # fetch the platform's catalogue now
    python run_kiosk.py guides search --json sfz         # [{"code": ..., "name": ..., "score": ...}]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def add_arguments(name, parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    if name == "content":
        p = sub.add_parser("lint", help="check a content pack: schema, pictures, plain language, jargon")
        p.add_argument("path", metavar="PATH", help="pack folder (the one with pack.yaml)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--no-warnings", action="store_true", help="print errors only")
        p = sub.add_parser("draw", help="redraw the pack's step pictures, annotated samples and demo videos")
        p.add_argument("path", metavar="PATH", nargs="?", help="pack folder (default: the bundled pack)")
        sub.add_parser("sync", help="download the catalogue from [platform] url into data_dir now")
        sub.add_parser("info", help="which pack is in use, its version and size")
    else:
        p = sub.add_parser("search", help="search the guides as the kiosk does")
        p.add_argument("query", metavar="QUERY", help="hanzi, pinyin, initials (sfz), synonyms …")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument("--limit", type=int, default=10)
        p.add_argument("--level", help="terminal level to search as (default [terminal] level; 'all' = every matter)")
        p = sub.add_parser("list", help="list the matters offered at this terminal's level")
        p.add_argument("--level", help="terminal level (default [terminal] level; 'all' = every matter)")


def run(name, args, settings) -> int:
    if name == "content":
        return {"lint": _lint, "draw": _draw, "sync": _sync, "info": _info}[args.action](args, settings)
    return {"search": _search, "list": _list}[args.action](args, settings)


def _lint(args, settings) -> int:
    from kiosk.guides.lint import lint_pack
    problems = lint_pack(Path(args.path))
    if args.no_warnings:
        problems = [p for p in problems if p.severity == "error"]
    errors = sum(p.severity == "error" for p in problems)
    if args.json:
        print(json.dumps([{"file": p.file, "line": p.line, "severity": p.severity, "message": p.message}
                          for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            print(p)
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def _draw(args, settings) -> int:
    from kiosk.guides.draw import write_all
    from kiosk.guides.draw_videos import write_all as write_videos
    from kiosk.guides.narration import NarrationError, check_tools
    path = Path(args.path) if args.path else settings.content_dir
    try:
        check_tools()                      # espeak-ng or PyAV missing: say what to install, draw nothing
        print(f"wrote {len(write_all(path))} pictures into {path}")
        files = write_videos(path)
    except NarrationError as exc:
        print(f"content draw: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(files)} video files (真人讲解 with narration, and subtitles) into {path}")
    return 0


def _sync(args, settings) -> int:
    from kiosk.guides.store import sync_catalogue
    result = sync_catalogue(settings)
    print(json.dumps(result.__dict__, ensure_ascii=False))
    return 0 if result.status in ("updated", "unchanged") else 1


def _info(args, settings) -> int:
    from kiosk.guides.store import active_pack_dir, load_active_pack
    pack = load_active_pack(settings)
    level = settings.get("terminal", "level")
    print(json.dumps({"dir": str(active_pack_dir(settings)), "id": pack.id, "version": pack.version,
                      "matters": len(pack.matters), "themes": len(pack.themes), "level": level,
                      "matters_at_level": len(pack.for_level(level).matters), "policies": len(pack.policies),
                      "places": len(pack.places), "agencies": len(pack.agencies),
                      "videos": sum(1 for m in pack.matters if m.video)}, ensure_ascii=False, indent=2))
    return 0


def _level(args, settings) -> str | None:
    level = args.level or settings.get("terminal", "level")
    return None if level == "all" else level


def _search(args, settings) -> int:
    from kiosk.guides.search import SearchIndex
    from kiosk.guides.store import load_active_pack
    index = SearchIndex.for_pack(load_active_pack(settings), _level(args, settings))
    hits = index.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False))
    else:
        for h in hits:
            print(f"{h.score:7.2f}  {h.code:<12} {h.name}   ({h.how}: {h.term})")
    return 0


def _list(args, settings) -> int:
    from kiosk.guides.store import load_active_pack
    pack = load_active_pack(settings)
    level = _level(args, settings)
    view = pack.for_level(level) if level else pack
    for m in sorted(view.matters, key=lambda m: -m.popularity):
        dep = pack.departments.get(m.department)
        print(f"{m.code:<12} {m.name}  [{dep.short if dep else m.department}] "
              f"{'可在本机办理' if m.submit_at_terminal else '仅指南'}")
    return 0
