"""The submission kinds: the one list the terminal, its outbox and the reference platform share.

Every per-kind fact lives here and nowhere else (tests/unit/test_kinds.py fails on a module that lists
kinds of its own): a new kind is one line below.
  title     the plain words a citizen reads everywhere: the home tile (kiosk/services.py), the receipt on
            screen and on paper, 办件查询, and staff in the operations console
  case      the operations console's case list a submission of this kind can open ("" none)
  worklist  a 办件 staff move through its statuses in the operations console (受理, 审核, 办结)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    case: str = ""
    worklist: bool = False


KIND_LIST: tuple[Kind, ...] = (
    Kind("application", "办事申请", worklist=True),
    Kind("evaluation", "好差评", case="实名差评"),
    Kind("complaint", "吐槽找茬", case="吐槽找茬"),
    Kind("postal_order", "邮政居家办", worklist=True),
    Kind("appointment", "预约取号"),
    Kind("help_request", "呼叫帮办"),
)

# kind -> its one plain title
KIND_NAMES: dict[str, str] = {k.key: k.title for k in KIND_LIST}
KINDS: tuple[str, ...] = tuple(KIND_NAMES)
# kind -> the title of its case list in the operations console
CASE_KINDS: dict[str, str] = {k.key: k.case for k in KIND_LIST if k.case}
# the kinds on the operations console's 办件 worklist
WORK_KINDS: tuple[str, ...] = tuple(k.key for k in KIND_LIST if k.worklist)
