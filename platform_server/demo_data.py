"""Demo tables loaded into a fresh platform database: resolvable codes and a few tracked matters.

Every person and enterprise here is fictitious; the numbers only pass their check digits
(GB 11643 / GB 32100) so that the terminal's validation accepts them.
"""
from __future__ import annotations

import time

# Text a scanner would read from a 居民码 / 企业码 that the terminal cannot verify itself.
DEMO_RESIDENT_CODE = "HZRC:DEMO-RESIDENT-0001"
DEMO_RESIDENT_CODE_2 = "HZRC:DEMO-RESIDENT-0002"
DEMO_ENTERPRISE_CODE = "HZEC:DEMO-ENTERPRISE-0001"
DEMO_EXPIRED_CODE = "HZRC:DEMO-EXPIRED-0001"

DEMO_TRACKING_NO = "371700-20261120-000001"
DEMO_TRACKING_NO_2 = "371700-20261125-000002"
# their 查询码 (printed on the demo receipts): no terminal owns demo matters, so every terminal needs these
DEMO_TRACKING_CHECK = "2580"
DEMO_TRACKING_CHECK_2 = "1357"


def seed_codes() -> list[dict]:
    """Codes for `POST /api/v1/codes/resolve`; `expires_ts` in the past makes a code answer 410."""
    return [
        {"code": DEMO_RESIDENT_CODE, "kind": "resident", "number": "371729198001010027", "name": "王演示"},
        {"code": DEMO_RESIDENT_CODE_2, "kind": "resident", "number": "371702199203150049", "name": "李样例"},
        {"code": DEMO_ENTERPRISE_CODE, "kind": "enterprise", "number": "91371700MA3C0H4L13",
         "name": "菏泽市演示商贸有限公司"},
        {"code": DEMO_EXPIRED_CODE, "kind": "resident", "number": "371728197511200030", "name": "赵过期",
         "expires_ts": time.time() - 3600},
    ]


def seed_tracking() -> list[dict]:
    """Two matters with a history, so that the tracking screen has something to show in the demo."""
    return [
        {"tracking_no": DEMO_TRACKING_NO, "kind": "application", "check_code": DEMO_TRACKING_CHECK, "events": [
            {"at": "2026-11-20T09:12:00+08:00", "status": "received", "note": "已收到您的申请"},
            {"at": "2026-11-20T14:30:00+08:00", "status": "accepted", "note": "材料收齐了，工作人员开始看材料"},
            {"at": "2026-11-23T10:05:00+08:00", "status": "approved", "note": "材料没有问题"},
            {"at": "2026-11-24T16:40:00+08:00", "status": "completed", "note": "办好了，证件可以到大厅领取"},
        ]},
        {"tracking_no": DEMO_TRACKING_NO_2, "kind": "complaint", "check_code": DEMO_TRACKING_CHECK_2, "events": [
            {"at": "2026-11-25T08:55:00+08:00", "status": "received", "note": "已收到您的投诉"},
            {"at": "2026-11-25T11:20:00+08:00", "status": "processing", "note": "已转交承办部门处理"},
        ]},
    ]


# 一人一档 facts the demo platform holds (POST /api/v1/citizen-facts), with the value for anyone else.
KNOWN_FACTS: dict[str, object] = {
    "disability_certificate": False, "disability_grade": 0, "low_income": False, "extreme_poverty": False,
    "only_child_parent": False, "resident_pension_insured": False, "receiving_pension": False,
    "resident_medical_insured": False, "chronic_disease": False,
}
DEMO_FACTS: dict[str, dict[str, object]] = {
    # 张秀兰 (kiosk.demo.demo_identity), 68, 牡丹区: insured, already drawing her pension, diagnosed with a chronic disease
    "371702195803010025": {"resident_pension_insured": True, "receiving_pension": True,
                           "resident_medical_insured": True, "chronic_disease": True},
    # 刘桂英 (kiosk.demo.demo_elder_identity), 82, a village of 曹县: pension drawn, parent of an only child
    "371721194405120047": {"resident_pension_insured": True, "receiving_pension": True,
                           "resident_medical_insured": True, "only_child_parent": True},
    # 王演示 (DEMO_RESIDENT_CODE), 46: disability certificate grade 2
    "371729198001010027": {"disability_certificate": True, "disability_grade": 2, "resident_medical_insured": True},
}
