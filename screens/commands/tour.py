"""`tour OUTDIR`: one PNG per screen and per 长辈模式 variant, with the simulated devices."""
from __future__ import annotations

import sys
from pathlib import Path

from screens import kivy_env
from kiosk.display import has_display, start_virtual_display
from kiosk.logs import setup_from_settings


def add_arguments(name, parser) -> None:
    """OUTDIR, --portrait, --only SCREEN, --audit, --audit-pending."""
    parser.add_argument("outdir", help="folder for the PNGs")
    parser.add_argument("--portrait", action="store_true", help="1080x1920 instead of 1920x1080")
    parser.add_argument("--only", action="append", metavar="SCREEN",
                        help="photograph only this screen (repeatable; 'timeout-warning' for the overlay)")
    parser.add_argument("--audit", action="store_true",
                        help="also run the accessibility audit on every state; exit 1 on any finding")
    parser.add_argument("--audit-pending", action="store_true",
                        help="--audit with the rules not switched on yet (screens/widgets/audit.py PENDING_RULES)")


def run(name, args, settings) -> int:
    """Photograph every screen state; exit 1 when a state could not be shown or the audit found something."""
    p = settings._p
    p.set("terminal", "demo", "true")
    p.set("ui", "fullscreen", "false")
    p.set("ui", "kiosk_lock", "false")
    if args.portrait:
        p.set("ui", "orientation", "portrait")
        p.set("ui", "size", "")
    setup_from_settings(settings, console=False)
    if not has_display():
        width, height = settings.window_size
        start_virtual_display(width, height)
        print("no display found: the tour runs on a virtual display", file=sys.stderr)
    kivy_env.prepare_environment(settings)
    from screens.app import configure_kivy
    configure_kivy(settings)
    from screens.tour import run_tour
    tour = run_tour(settings, Path(args.outdir), only=args.only, audit=args.audit, pending=args.audit_pending)
    for shot in tour.shots:
        print(shot)
    ok = bool(tour.shots) and all(s.is_file() for s in tour.shots) and not tour.failures
    for failure in tour.failures:
        print(f"could not show: {failure}", file=sys.stderr)
    if args.audit or args.audit_pending:
        from screens.widgets.audit import table
        orientation = "portrait" if settings.window_size[1] > settings.window_size[0] else "landscape"
        print(f"accessibility audit ({orientation}): {len(tour.shots)} states, {len(tour.findings)} findings")
        if tour.findings:
            print(table(tour.findings))
            ok = False
    return 0 if ok else 1
