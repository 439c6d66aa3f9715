"""我要办 with e-licences and 一件事 themes, through the terminal core against the real platform process:
the e-licences are fetched only with consent (and the platform records the use, no personal data), a
material they replace is neither asked for on paper nor photographed, they fill the form; a theme's
matters share one form (the union of their forms' lines) and go as one 办件 carrying every matter."""
from __future__ import annotations

import logging
import sqlite3

import requests

from kiosk.demo import demo_identity
from kiosk.flows.application import BRING, E_CERT
from tests.unit.test_terminal_flows import delivered, stored

BIRTH = "HZ-WJ-001"
NEWBORN = ["HZ-GA-003", "HZ-YB-002", "HZ-WJ-001"]


def _at_materials(terminal, **start):
    terminal.identify(demo_identity())
    flow = terminal.open_flow("apply", **start)
    flow.set_phone("13905301234")
    while flow.step.key != "materials":
        assert flow.next(), flow.problem()
    return flow


def _uses(platform) -> list[tuple]:
    with sqlite3.connect(f"file:{platform.db_path}?mode=ro", uri=True) as db:
        return db.execute("SELECT terminal_id, holder_hash, types, matters FROM licence_uses").fetchall()


def test_e_licences_only_with_consent_and_then_no_paper(terminal, platform_server, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    flow = _at_materials(terminal, matter=BIRTH)
    assert flow.licence_offer()[:2] == ["居民身份证", "结婚证"]
    assert not flow.next() and "电子证照" in flow.problem(), "the citizen is asked first"
    assert _uses(platform_server) == [], "nothing fetched before consent"
    flow.use_licences(True)
    checks = {c.material_id: c for c in flow.checks()}
    assert checks["id_card"].status == E_CERT and checks["id_card"].words.startswith("已用您的电子证照")
    assert checks["marriage_cert"].status == E_CERT
    assert flow.next() and flow.step.key == "capture"
    assert [t.material_id for t in flow.capture_targets()] == ["birth_form"], "no paper of what was fetched"
    (terminal_id, holder_hash, types, matters), = _uses(platform_server)
    assert '"id_card"' in types and '"marriage"' in types and BIRTH in matters
    assert demo_identity().number not in holder_hash + types + matters
    spouse = flow.fetched()["marriage"]["fields"]["spouse_name"]
    logging.getLogger("kiosk.test").info("spouse %s", spouse)
    assert spouse not in caplog.text, "values fetched for the form are masked in the logs"
    terminal.end_session()
    assert terminal.session.is_empty()


def test_without_consent_the_paper_is_photographed(terminal, platform_server):  # noqa: F811
    flow = _at_materials(terminal, matter=BIRTH)
    flow.use_licences(False)
    assert {c.material_id: c.status for c in flow.checks()}["id_card"] == BRING
    assert flow.next()
    assert flow.capture_target.key == "id_card正面"
    assert _uses(platform_server) == []


def test_the_platform_answers_only_with_consent(platform_server):  # noqa: F811
    headers = platform_server.headers("HZ-TEST-0001")
    body = {"holder": {"id_number": demo_identity().number, "name": "张秀兰"}, "types": ["id_card"],
            "purpose": {"matters": [BIRTH]}}
    url = f"{platform_server.url}/api/v1/licences/fetch"
    r = requests.post(url, json=body, headers=headers, timeout=5)
    assert r.status_code == 422 and r.json()["error"]["code"] == "consent_required"
    r = requests.post(url, json={**body, "consent": True, "types": ["passport"]}, headers=headers, timeout=5)
    assert r.json()["error"]["code"] == "invalid_types"
    r = requests.post(url, json={**body, "consent": True, "purpose": {}}, headers=headers, timeout=5)
    assert r.json()["error"]["code"] == "invalid_purpose"
    r = requests.post(url, json={**body, "consent": True, "types": ["id_card", "driving"]}, headers=headers, timeout=5)
    answer = r.json()
    assert r.status_code == 200 and answer["licences"][0]["data"]["number"] == demo_identity().number
    assert answer["missing"] == ["driving"]


def test_a_theme_one_form_one_submission_carrying_every_matter(terminal, platform_server):  # noqa: F811
    flow = _at_materials(terminal, theme="newborn")
    assert [m.code for m in flow.matters()] == NEWBORN and flow.matter.name == "新生儿出生一件事"
    ids = [m.id for m in flow.matter.materials]
    assert len(ids) == len(set(ids)), "one set of materials: each brought once"
    assert not any(m.review and m.review.kind == "form" for m in flow.matter.materials), "one form, not three"
    flow.use_licences(True)
    assert flow.next()
    while flow.capture_target is not None:
        flow.skip_page()
    assert flow.next() and flow.step.key == "form"
    form = flow.form()
    assert form.title == "新生儿出生一件事申请表（一表申请）"
    labels = [f.label for f in form.fields]
    assert labels[:3] == ["姓名", "公民身份号码", "联系电话"] and len(labels) == len(set(labels))
    assert {"新生儿姓名", "出生医学证明编号", "社会保障卡号", "参保人员类别", "配偶姓名"} <= set(labels)
    sources = {f.label: f.source for f in form.fields}
    assert sources["配偶姓名"] == sources["配偶身份号码"] == sources["社会保障卡号"] == "licence"
    assert sources["姓名"] == "identity" and sources["联系电话"] == "flow"
    assert form.get("社会保障卡号").source_words == "从电子证照调取"
    assert set(form.missing()) == {"新生儿姓名", "出生医学证明编号", "参保人员类别"}
    for label in form.missing():
        flow.change_field(label, "示例")
    assert flow.next()
    flow.signature().add_stroke([(100, 150), (300, 80), (500, 200), (700, 100)])
    while not flow.is_last:
        assert flow.next(), flow.problem()
    local_id = flow.submit()
    delivered(terminal, local_id)
    payload = stored(platform_server, local_id)["payload"]
    assert payload["matter_name"] == "新生儿出生一件事" and payload["theme"] == {"id": "newborn", "name": "新生儿出生一件事"}
    assert [m["code"] for m in payload["matters"]] == NEWBORN
    assert payload["licence_consent"] is True and {lic["type"] for lic in payload["licences"]} >= {"id_card", "sscard"}
    assert {m["id"]: m.get("licence_id", "") for m in payload["materials"]}["id_card"].startswith("id_card-")
    assert len(payload["form"]["fields"]) == len(labels)
    with sqlite3.connect(f"file:{platform_server.db_path}?mode=ro", uri=True) as db:
        assert db.execute("SELECT COUNT(*) FROM submissions WHERE local_id=?", (local_id,)).fetchone() == (1,)
    from platform_server import db as platform_db
    from platform_server.ops.cases import worklist
    conn = platform_db.connect(platform_server.db_path)
    try:
        assert "新生儿出生一件事（3件事）" in [row["matter"] for row in worklist(conn)], "staff see one 办件, 3 matters"
    finally:
        conn.close()


def test_offline_the_paper_is_asked_for_in_plain_words(data_dir):
    from kiosk.settings import load_settings
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true",
                                                ("platform", "url"): "http://127.0.0.1:9",
                                                ("platform", "connect_timeout"): "1"})
    terminal = Terminal(settings, voice=Voice(enabled=False))
    terminal.start(services=False, devices=False)
    try:
        flow = _at_materials(terminal, matter=BIRTH)
        flow.use_licences(True)
        assert "连不上" in flow.state.licence_message and flow.can_next
        assert {c.material_id: c.status for c in flow.checks()}["id_card"] == BRING
    finally:
        terminal.stop()
