"""The self-check (kiosk/diagnostics.py) in plain Chinese, for the maintenance screen.

The report itself keeps its stable English codes (`diagnose --json` is read by remote tools and
staff scripts); what the screen shows is a name ("身份证读卡器") and one sentence ("正常", "连不上办事
平台：请看网线和网络"), never "device:idcard online" or an exception class name.
"""
from __future__ import annotations

from typing import Any

DEVICE_NAMES = {"idcard": "身份证读卡器", "sscard": "社保卡读卡器", "scanner": "扫码器", "camera": "摄像头", "a4": "A4打印机",
                "receipt": "凭条打印机", "printer": "A4打印机", "doccam": "高拍仪"}
CHECK_NAMES = {"outbox": "待发送的办件", "platform": "办事平台", "storage": "存储空间", "content": "办事指南内容"}
DEVICE_STATES = {"online": "正常", "offline": "已被关掉", "powerOff": "没电或没接好", "noDevice": "这台机器没有配",
                 "hardwareError": "硬件故障", "userError": "被挡住或卡住了", "deviceBusy": "正在忙",
                 "fraudAttempt": "疑似有人作假，请查看", "potentialFraud": "可能有人作假，请查看"}


def check_name(check: dict[str, Any]) -> str:
    """What was checked, in words ("身份证读卡器", "办事平台")."""
    code = check.get("check", "")
    if code.startswith("device:"):
        name = code.split(":", 1)[1]
        return DEVICE_NAMES.get(name, f"设备（{name}）")
    return CHECK_NAMES.get(code, code)


def _platform(check: dict[str, Any]) -> str:
    detail = check.get("detail", "")
    if "ms" in check:
        return f"连得上，{check['ms']}毫秒回话"
    if detail.startswith("no [platform] url"):
        return "还没有设置平台地址（[platform] url）"
    if "401" in detail:
        return "平台不认这台机器的令牌：请联系管理员换令牌"
    if detail.startswith("server error"):
        return "平台那边出了故障，请稍后再查或联系管理员"
    return "连不上办事平台：请看网线和网络"


def _outbox(check: dict[str, Any]) -> str:
    if "pending" not in check:
        return "打不开待发送的办件库，请联系管理员"
    words = f"等待发送{check['pending']}份，发送失败{check['dead']}份"
    if check.get("dead"):
        words += "：点「重试失败的」"
    age = check.get("oldest_pending_age_s") or 0
    if age > 3600:
        words += f"；最早一份已经等了{age // 3600}小时"
    return words


def detail(check: dict[str, Any]) -> str:
    """One plain sentence of what was found."""
    code = check.get("check", "")
    if code.startswith("device:"):
        state = DEVICE_STATES.get(check.get("state", ""), "状态不明")
        extra = check.get("detail", "")
        # a driver's own Chinese words join the sentence; an English code stays in the small print only
        chinese = any("\u4e00" <= ch <= "\u9fff" for ch in extra)
        return f"{state}（{extra}）" if chinese and check.get("state") != "online" else state
    if code == "platform":
        return _platform(check)
    if code == "outbox":
        return _outbox(check)
    if code == "storage":
        return f"还剩{check.get('free_mb', 0)} MB" + ("" if check.get("level") == "ok" else "：快满了，请清理")
    if code == "content":
        return check.get("detail", "") if check.get("level") == "ok" else "没有能用的办事指南内容：请更新内容包"
    return check.get("detail", "")


PRINT_REASONS = {"paper_out": "没纸了", "cover_open": "盖子没关好", "offline": "打印机没连上", "no_printer": "没有这台打印机",
                 "job_failed": "打印失败", "timeout": "等了太久还没打出来"}
EVENTS = {"card_presented": "读到一张卡", "card_removed": "卡拿走了", "code": "扫到一个码", "state": "状态变了",
          "error": "出错", "page": "拍到一页", "verdict": "查过一页"}


def print_reason(reason: str | None) -> str:
    """Why a test page did not print, in words."""
    return PRINT_REASONS.get(reason or "", "没有打出来")


def event_line(event: str, code: str) -> str:
    """A device event for the staff's event line ("状态变了：正常"), names and codes only, no card contents."""
    words = EVENTS.get(event, event)
    state = DEVICE_STATES.get(code, code)
    return f"{words}：{state}" if state else words
