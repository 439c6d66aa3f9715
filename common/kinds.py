"""The submission kinds: the one list the terminal, its outbox and the reference platform share."""
from __future__ import annotations

# kind -> what a citizen reads on the receipt
KIND_NAMES: dict[str, str] = {
    "application": "办事申请",
    "evaluation": "服务评价",
    "complaint": "问题反映",
    "postal_order": "邮寄服务",
    "appointment": "预约取号",
    "help_request": "呼叫帮办",
}

KINDS: tuple[str, ...] = tuple(KIND_NAMES)
