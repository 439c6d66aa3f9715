"""The operations console for county staff at /ops/ (issue 12): plain server-rendered pages.

    staff.py     staff accounts (salted scrypt), login slow-down and lock-out, `add-staff`
    guard.py     sessions, CSRF tokens on every POST form, login required
    fleet.py     terminal states (green/amber/red) from the heartbeats, silent-terminal alarms
    cases.py     the 办件 worklist (status moves -> tracking events) and the 差评/吐槽找茬 cases
    views.py     the blueprint: routes and templates (templates/ops/*.html)

No page shows a citizen's name, ID number, phone or address: numbers, kinds, statuses, masked phones.
"""
from platform_server.ops.views import make_ops_blueprint

__all__ = ["make_ops_blueprint"]
