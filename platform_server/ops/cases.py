"""The worklists: 办件 status moves and the 差评 / 吐槽找茬 cases.

A move writes a tracking event (the terminals' 办件查询 reads GET /api/v1/tracking/{no}). A real-name 差评
(payload `bad` and `real_name`) and every complaint open a case when they arrive; the case is due
`rectify_within_working_days` working days later (Saturdays and Sundays do not count; complaints:
COMPLAINT_DAYS) and goes open -> called_back (回访) -> rectified (整改) -> closed (反馈).
Only words staff need are kept on the case: reasons, the kind of problem, the phone masked.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from common.kinds import KIND_NAMES, WORK_KINDS
from platform_server import db
from platform_server.payloads import ComplaintPayload, EvaluationPayload

# 办件 moves: status -> [(next status, button words)]; not_accepted needs a reason
MOVES = {
    "received": [("accepted", "受理"), ("not_accepted", "不予受理")],
    "accepted": [("reviewing", "审核"), ("not_accepted", "不予受理")],
    "reviewing": [("completed", "办结"), ("not_accepted", "不予受理")],
}
STATUS_WORDS = {"received": "已收到", "accepted": "已受理", "reviewing": "审核中", "completed": "已办结",
                "not_accepted": "不予受理", "processing": "正在办理", "approved": "审核通过"}
# the notes the citizen reads on the terminal's 办件查询: plain words (the status itself shows the official term)
MOVE_NOTES = {"accepted": "材料收齐了，工作人员开始看材料", "reviewing": "工作人员正在看您的材料",
              "completed": "事情办好了", "not_accepted": "没有收下，原因：{reason}"}
REASON_WORDS = {"slow": "办事慢", "too_many_materials": "材料要求多", "attitude": "态度不好",
                "many_trips": "跑了好几次", "machine": "机器不好用", "other": "其他"}
COMPLAINT_DAYS = 5
CASE_STEPS = {"open": ("called_back", "回访"), "called_back": ("rectified", "整改"), "rectified": ("closed", "反馈")}
CASE_WORDS = {"open": "待回访", "called_back": "已回访", "rectified": "已整改", "closed": "已办结"}
CASE_EVENTS = {"called_back": "已电话回访", "rectified": "已整改：{text}", "closed": "已反馈，办结"}
MAX_TEXT = 200


class MoveError(ValueError):
    """A move that is not allowed from the current status (or lacks its reason)."""


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def mask_phone(phone) -> str:
    text = "".join(ch for ch in str(phone or "") if ch.isdigit())
    return f"{text[:3]}****{text[-4:]}" if len(text) >= 7 else ("" if not text else "****")


def _now(now: float) -> datetime:
    return datetime.fromtimestamp(now, db.CST)


def open_case(conn, tracking_no: str, terminal_id: str, data: dict, now: float) -> None:
    """Called inside the submission's transaction: a real-name 差评 or a complaint becomes a case. `data` was
    validated (platform_server/payloads.py), so every field read here has its type and range."""
    kind = data.get("kind")
    if kind == "evaluation":
        ev = EvaluationPayload.model_validate(data.get("payload") or {})
        if not (ev.bad and ev.real_name):
            return
        days = ev.rectify_within_working_days or 5
        reasons = [REASON_WORDS.get(r, "其他") for r in ev.reasons]
        summary = "、".join([ev.level_words[:8]] + reasons).strip("、")
        phone = ev.callback_phone
    elif kind == "complaint":
        c = ComplaintPayload.model_validate(data.get("payload") or {})
        days = COMPLAINT_DAYS
        summary = " / ".join(w[:20] for w in (c.category, c.problem_words, c.place_words) if w)
        phone = c.contact_phone
    else:
        return
    opened = _now(now)
    conn.execute("INSERT INTO cases (tracking_no, kind, terminal_id, opened_at, due_date, summary, phone_masked, state) "
                 "VALUES (?,?,?,?,?,?,?, 'open') ON CONFLICT DO NOTHING",
                 (tracking_no, kind, terminal_id, opened.isoformat(timespec="seconds"),
                  add_working_days(opened.date(), days).isoformat(), summary[:120], mask_phone(phone)))


def worklist(conn, status: str = "", limit: int = 200) -> list[dict]:
    """办件 awaiting staff (or of one status), newest first: numbers, kind, matter, terminal, status."""
    sql = ("SELECT s.tracking_no, s.local_id, s.kind, s.terminal_id, s.received_at, s.body, t.status "
           "FROM submissions s JOIN tracking_kinds t ON t.tracking_no = s.tracking_no "
           f"WHERE s.kind IN ({','.join('?' * len(WORK_KINDS))})")
    params: list = list(WORK_KINDS)
    if status:
        sql += " AND t.status=?"
        params.append(status)
    rows = conn.execute(sql + " ORDER BY s.received_at DESC, s.tracking_no DESC LIMIT ?", params + [limit])
    out = []
    for r in rows:
        payload = json.loads(r["body"]).get("payload") or {}
        matter = payload.get("matter_name") if r["kind"] == "application" else payload.get("service")
        carried = payload.get("matters") if r["kind"] == "application" else None
        if isinstance(carried, list) and len(carried) > 1:      # a 一件事: one 办件 for all its matters
            matter = f"{matter}（{len(carried)}件事）"
        out.append({"tracking_no": r["tracking_no"], "local_id": r["local_id"], "kind": r["kind"],
                    "kind_words": KIND_NAMES.get(r["kind"], r["kind"]), "matter": str(matter or "")[:40],
                    "terminal_id": r["terminal_id"], "received_at": r["received_at"], "status": r["status"],
                    "status_words": STATUS_WORDS.get(r["status"], r["status"]), "moves": MOVES.get(r["status"], [])})
    return out


def move(conn, tracking_no: str, to: str, reason: str, now: float) -> str:
    """Move a 办件 to its next status and write the tracking event; returns the event's note."""
    reason = " ".join(reason.split())[:MAX_TEXT]
    with db.write(conn):
        row = conn.execute("SELECT status FROM tracking_kinds WHERE tracking_no=?", (tracking_no,)).fetchone()
        if row is None or to not in dict(MOVES.get(row["status"], [])):
            raise MoveError("这个办件现在不能这样办理")
        if to == "not_accepted" and not reason:
            raise MoveError("不予受理须写明理由")
        note = MOVE_NOTES[to].format(reason=reason)
        conn.execute("UPDATE tracking_kinds SET status=? WHERE tracking_no=?", (to, tracking_no))
        conn.execute("UPDATE submissions SET status=? WHERE tracking_no=?", (to, tracking_no))
        conn.execute("INSERT INTO tracking_events (tracking_no, at, status, note) VALUES (?,?,?,?)",
                     (tracking_no, _now(now).isoformat(timespec="seconds"), to, note))
    return note


def cases(conn, kind: str, now: float, *, show_closed: bool = False) -> list[dict]:
    """Cases of one kind, overdue first, then by due date."""
    sql = "SELECT * FROM cases WHERE kind=?" + ("" if show_closed else " AND state <> 'closed'")
    today = _now(now).date().isoformat()
    out = []
    for r in conn.execute(sql + " ORDER BY due_date, tracking_no", (kind,)):
        case = dict(r)
        case["overdue"] = case["state"] != "closed" and today > case["due_date"]
        case["state_words"] = CASE_WORDS.get(case["state"], case["state"])
        case["next"] = CASE_STEPS.get(case["state"])
        out.append(case)
    return sorted(out, key=lambda c: (not c["overdue"], c["state"] == "closed", c["due_date"]))


def case_step(conn, tracking_no: str, to: str, text: str, now: float) -> None:
    """回访 (note), 整改 (what was put right) or 反馈 (what the citizen was told): one step, one tracking event."""
    text = " ".join(text.split())[:MAX_TEXT]
    if not text:
        raise MoveError("请填写内容")
    at = _now(now).isoformat(timespec="seconds")
    column = {"called_back": ("callback_note", "callback_at"), "rectified": ("rectification", "rectified_at"),
              "closed": ("feedback", "closed_at")}.get(to)
    with db.write(conn):
        row = conn.execute("SELECT state FROM cases WHERE tracking_no=?", (tracking_no,)).fetchone()
        if row is None or column is None or CASE_STEPS.get(row["state"], ("",))[0] != to:
            raise MoveError("这个案件现在不能这样办理")
        conn.execute(f"UPDATE cases SET state=?, {column[0]}=?, {column[1]}=? WHERE tracking_no=?",
                     (to, text, at, tracking_no))
        conn.execute("UPDATE tracking_kinds SET status=? WHERE tracking_no=?", (to, tracking_no))
        conn.execute("INSERT INTO tracking_events (tracking_no, at, status, note) VALUES (?,?,?,?)",
                     (tracking_no, at, to, CASE_EVENTS[to].format(text=text)))
