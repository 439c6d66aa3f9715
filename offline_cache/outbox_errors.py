"""What the outbox cannot do: one exception per kind of trouble, each with a plain message for the citizen."""
from __future__ import annotations


class OutboxError(Exception):
    """Something the outbox cannot do. `message` is for the citizen (zh-CN), `code` for staff."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail or message}")
        self.code = code
        self.message = message
        self.detail = detail


class OutboxFullError(OutboxError):
    """No space left: nothing was stored, the citizen must not be told it was."""


class OutboxCorruptError(OutboxError):
    """The database file is damaged; it is left in place untouched for staff to recover."""


class OutboxInvalidError(OutboxError):
    """The submission itself cannot be queued (unknown kind, payload not JSON, file too big)."""


MSG_FULL = "终端存储空间已满，本次提交未能保存，请联系工作人员"
MSG_CORRUPT = "终端数据文件损坏，暂停受理提交，请联系工作人员"
MSG_IO = "终端存储读写出错，本次提交未能保存，请联系工作人员"
MSG_KEY = "终端加密密钥不可用，暂停受理提交，请联系工作人员"
MSG_SCHEMA = "终端数据版本高于本软件，请升级软件"
MSG_BUSY = "终端正忙，本次提交未能保存，请稍后再试"
