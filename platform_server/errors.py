"""Error bodies of the platform (shared/specs/platform-api.md): {"error": {"code", "message", ...}}.

`BadInput` is raised anywhere a request cannot be understood; the app turns it into a 4xx with plain
words and ONE log line (never a traceback: bad input is the client's problem, not the server's).
"""
from __future__ import annotations

from flask import Response, jsonify

MESSAGES = {
    "unauthorized": "终端认证失败，请联系工作人员",
    "invalid_header": "请求头含有无法识别的字符",
    "terminal_id_missing": "请求缺少终端编号",
    "terminal_mismatch": "终端编号与请求不符",
    "idempotency_key_missing": "请求缺少幂等键",
    "idempotency_in_flight": "该请求正在处理中，请稍后重试",
    "idempotency_mismatch": "同一幂等键对应的请求内容不一致",
    "invalid_json": "请求内容不是有效的 JSON",
    "invalid_submission": "提交内容不完整或格式不正确",
    "invalid_heartbeat": "心跳内容不完整或格式不正确",
    "invalid_code": "码内容为空或格式不正确",
    "invalid_request": "请求内容不完整或格式不正确",
    "invalid_holder": "证件号码缺失或格式不正确",
    "consent_required": "调取电子证照须经本人同意",
    "invalid_types": "证照类型不正确",
    "invalid_purpose": "用证事项缺失或格式不正确",
    "invalid_facts": "查询的事项名称格式不正确",
    "attachment_missing": "附件尚未上传",
    "invalid_sha256": "附件编号格式不正确",
    "hash_mismatch": "附件内容与编号不符",
    "too_large": "文件过大（最大 10 MB）",
    "not_found": "未找到",
    "method_not_allowed": "不支持的请求方式",
    "bad_request": "请求格式不正确",
    "tracking_not_found": "未查询到该办件编号",
    "code_unknown": "无法识别该码，请改用身份证",
    "code_expired": "码已过期，请刷新后重试",
    "busy": "平台繁忙，请稍后重试",
    "internal_error": "平台内部错误，请稍后重试",
}


class BadInput(Exception):
    """A request the platform refuses as malformed: `status` (400, 413, 422), a code and an optional detail."""

    def __init__(self, status: int, code: str, message: str | None = None, **extra) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message or MESSAGES.get(code, code)
        self.extra = extra

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


def error(status: int, code: str, message: str | None = None, **extra) -> Response:
    """The spec's error body: {"error": {"code", "message", ...}}."""
    resp = jsonify({"error": {"code": code, "message": message or MESSAGES.get(code, code), **extra}})
    resp.status_code = status
    return resp
