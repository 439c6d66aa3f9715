"""The event log staff read on the maintenance screen: device events, alerts, sync outcomes, self-tests.

Entries are made from codes and states only (a card's contents, a scanned code or a citizen's data
never reach it), and every text passes the log redaction as well. They are kept in memory (the last
`capacity`) and appended to data_dir/events.jsonl (0600, one JSON object a line, cut to its last
`keep_lines` lines when it grows past twice that), so the list survives a restart and goes into the
diagnostics bundle. Staff alerts already written to data_dir/staff-alerts.log are read in at start.
"""
from __future__ import annotations

import collections
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

from common.events import EventSource
from kiosk.logs import redact

FILE = "events.jsonl"
DEVICE_WORDS = {"idcard": "身份证读卡器", "sscard": "社保卡读卡器", "camera": "扫码摄像头", "doccam": "高拍仪",
                "scanner": "扫码器", "receipt": "凭条打印机", "printer": "A4 打印机"}
STATE_WORDS = {"online": "正常", "offline": "已停用", "powerOff": "断电或没有连接", "noDevice": "未配置",
               "hardwareError": "硬件故障", "userError": "使用不当", "deviceBusy": "忙",
               "fraudAttempt": "疑似作弊", "potentialFraud": "可能作弊"}
EVENT_WORDS = {"card_presented": "读到一张卡", "card_removed": "卡已取走", "code": "读到一个码", "error": "操作出错"}
KINDS = {"device": "设备", "alert": "告警", "sync": "发送", "selftest": "自检", "staff": "维护"}


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class EventLog:
    """A bounded, redacted list of what happened on this terminal, newest last."""

    def __init__(self, data_dir: str | os.PathLike | None, capacity: int = 300, keep_lines: int = 2000,
                 clock: Callable[[], str] = _now) -> None:
        self.path = Path(data_dir) / FILE if data_dir is not None else None
        self.keep_lines = keep_lines
        self.clock = clock
        self._entries: collections.deque[dict[str, Any]] = collections.deque(maxlen=capacity)
        self._lock = threading.Lock()
        self._new_entries = EventSource()   # listeners get each entry as it is added
        self._load()

    def _load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        for line in lines[-self._entries.maxlen:]:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and {"at", "kind", "text"} <= entry.keys():
                self._entries.append(entry)

    # -- adding ---------------------------------------------------------------------------------
    def add(self, kind: str, text: str, code: str = "", level: str = "info") -> dict[str, Any]:
        """Record one entry (kind: device | alert | sync | selftest | staff); the text is redacted."""
        entry = {"at": self.clock(), "kind": kind, "level": level, "code": redact(code), "text": redact(text)}
        with self._lock:
            self._entries.append(entry)
            self._append(entry)
        self._new_entries.emit("entry", entry)   # a failing listener is logged and skipped, the log goes on
        return entry

    def _append(self, entry: dict[str, Any]) -> None:
        if self.path is None:
            return
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            if self.path.stat().st_size > self.keep_lines * 2 * 160:
                lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
                if len(lines) > 2 * self.keep_lines:
                    tmp = self.path.with_name(self.path.name + ".tmp")
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        fh.write("\n".join(lines[-self.keep_lines:]) + "\n")
                    os.replace(tmp, self.path)
        except OSError:
            pass   # a full disk is reported by the storage check; the list on screen still works

    def subscribe(self, listener: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Call `listener(entry)` for every new entry (on the adding thread); returns the unsubscribe."""
        return self._new_entries.subscribe(lambda _event, entry: listener(entry))

    def entries(self, limit: int | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """The newest `limit` entries (of one kind), newest first."""
        with self._lock:
            items = [e for e in self._entries if kind is None or e["kind"] == kind]
        items.reverse()
        return items[:limit] if limit else items

    # -- what the terminal core says ---------------------------------------------------------------
    def on_core_event(self, event: str, data: dict[str, Any]) -> None:
        """A follower of kiosk.terminal.Terminal.events: device, outbox, print and selftest events."""
        if event == "device":
            self._device(data)
        elif event == "outbox":
            self._outbox(data)
        elif event == "print_failed":
            printer = DEVICE_WORDS["receipt" if data.get("printer") == "receipt" else "printer"]
            self.add("device", f"{printer}：没有打出来（{data.get('reason', '')}）", data.get("reason", ""), "warn")

    def _device(self, data: dict[str, Any]) -> None:
        device = DEVICE_WORDS.get(data.get("device", ""), data.get("device", ""))
        event = data.get("event", "")
        if event == "state":
            state = data.get("state", "")
            level = "info" if state == "online" else "warn"
            self.add("device", f"{device}：{STATE_WORDS.get(state, state)}", state, level)
        elif event in EVENT_WORDS:
            self.add("device", f"{device}：{EVENT_WORDS[event]}", event, "warn" if event == "error" else "info")

    def _outbox(self, data: dict[str, Any]) -> None:
        event = data.get("event", "")
        kind = data.get("kind", "")
        if event == "alert":
            self.add("alert", f"告警 {data.get('code', '')}：{data.get('message', '')}", data.get("code", ""), "fail")
        elif event == "delivered":
            self.add("sync", f"已送达平台：{kind} {data.get('local_id', '')}", "delivered")
        elif event == "dead":
            self.add("sync", f"发送失败，需要人工处理：{kind} {data.get('local_id', '')}（{data.get('reason', '')}）",
                     "dead", "fail")
        elif event == "enqueued":
            self.add("sync", f"已存入待发：{kind} {data.get('local_id', '')}", "enqueued")
        elif event == "connectivity":
            online = data.get("online")
            self.add("sync", "网络已恢复" if online else "网络断开，提交先存在本机", "online" if online else "offline",
                     "info" if online else "warn")

    def read_alert_log(self, data_dir: str | os.PathLike, limit: int = 50) -> int:
        """Bring the last staff alerts of data_dir/staff-alerts.log in (once, at start); how many."""
        from offline_cache.outbox import ALERT_LOG
        path = Path(data_dir) / ALERT_LOG
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-limit:]
        except OSError:
            return 0
        known = {(e["at"], e["code"]) for e in self.entries(kind="alert")}
        added = 0
        for line in lines:
            try:
                alert = json.loads(line)
            except ValueError:
                continue
            at = str(alert.get("at", ""))[:19].replace("T", " ")
            if (at, alert.get("code", "")) in known:
                continue
            entry = {"at": at, "kind": "alert", "level": "fail", "code": redact(str(alert.get("code", ""))),
                     "text": redact(f"告警 {alert.get('code', '')}：{alert.get('message', '')}")}
            with self._lock:
                self._entries.append(entry)
            added += 1
        return added

    @staticmethod
    def line(entry: dict[str, Any]) -> str:
        """One entry as staff read it: 时间 [种类] 内容."""
        return f"{entry['at'][5:]}  [{KINDS.get(entry['kind'], entry['kind'])}]  {entry['text']}"
