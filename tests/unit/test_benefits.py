"""免申即享: every demo policy just inside and just outside each of its limits, ages to the day, the
offline path, the lint of broken rules, and a claim from the terminal to the platform."""
from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest

from devices.checkdigit import id_check_char
from kiosk.benefits import age_on, match, person_of
from kiosk.demo import demo_elder_identity, demo_identity
from kiosk.flows.base import FlowError
from kiosk.guides.lint import errors_only, lint_pack
from kiosk.guides.loader import load_pack
from kiosk.identity import Identity, IdentitySource
from kiosk.regions import candidates, region_of

PACK = Path(__file__).resolve().parents[2] / "config" / "content"
TODAY = date(2026, 11, 30)
NO_FACTS = {"disability_certificate": False, "disability_grade": 0, "low_income": False,
            "extreme_poverty": False, "only_child_parent": False, "resident_pension_insured": False,
            "receiving_pension": False, "resident_medical_insured": False, "chronic_disease": False}


@pytest.fixture(scope="module")
def policies():
    return load_pack(PACK).policies


def person(**kw):
    base = {"age": 40, "sex": "女", "region_code": "371702", "rural": False, "card_type": "idcard"}
    return {**base, **kw}


def ids(policies, who, **facts):
    """The ids of the policies `who` surely enjoys, given these facts (the rest false)."""
    return [m.policy.id for m in match(policies, who, {**NO_FACTS, **facts}) if m.sure]


def born(y, m, d, region="371721", seq="004"):
    first17 = f"{region}{y:04d}{m:02d}{d:02d}{seq}"
    return Identity(IdentitySource.ID_CARD, "测试人", first17 + id_check_char(first17),
                    details={"address": "山东省菏泽市曹县示例村1号"})


def test_the_demo_pack_has_at_least_eight_policies_with_example_amounts(policies):
    assert len(policies) >= 8
    names = {p.name for p in policies}
    assert {"高龄津贴", "城乡居民养老金领取", "残疾人两项补贴", "独生子女父母奖励", "困难群众救助", "医保慢病待遇"} <= names
    for p in policies:
        assert p.amount is None or (p.amount.example and "示例金额" in p.amount.text)
    assert errors_only(lint_pack(PACK)) == []


def test_age_is_full_years_to_the_day():
    # 79 years and 364 days vs 80 on the birthday itself
    assert person_of(born(1946, 12, 1), TODAY)["age"] == 79
    assert person_of(born(1946, 11, 30), TODAY)["age"] == 80
    # born on 29 February: the birthday comes on 1 March in a common year
    assert age_on(date(1948, 2, 29), date(2028, 2, 28)) == 79
    assert age_on(date(1948, 2, 29), date(2027, 3, 1)) == 79
    assert age_on(date(1948, 2, 29), date(2028, 2, 29)) == 80
    who = person_of(born(1946, 11, 30), TODAY)
    assert who["sex"] == "女" and who["region_code"] == "371721" and who["rural"] is True


def test_elderly_allowance_at_80_in_heze_only(policies):
    assert "elderly_allowance" in ids(policies, person_of(born(1946, 11, 30), TODAY))
    assert "elderly_allowance" not in ids(policies, person_of(born(1946, 12, 1), TODAY))
    assert "elderly_allowance" in ids(policies, person(age=80, region_code="371700"))
    assert "elderly_allowance" not in ids(policies, person(age=80, region_code="371600"))   # 滨州
    assert "elderly_allowance" not in ids(policies, person(age=80, region_code="113717"))


def _card(age_on_today: int, prefix: str, address: str) -> Identity:
    """An ID card of someone `age_on_today` years old whose number starts with `prefix`."""
    first17 = f"{prefix}{TODAY.year - age_on_today:04d}0101002"
    return Identity(IdentitySource.ID_CARD, "测试人", first17 + id_check_char(first17), details={"address": address})


def test_the_household_is_where_the_card_address_says_not_the_id_number_prefix(policies):
    # moved from 滨州 to 菏泽: the number still starts with 滨州's 371602, the card's address is in 菏泽
    moved_here = person_of(_card(86, "371602", "山东省菏泽市郓城县示例镇示例村8号"), TODAY)
    assert moved_here["region_code"] == "371725"
    assert "elderly_allowance" in ids(policies, moved_here)
    # and the other way round: a 菏泽 number, the household now in 滨州
    moved_away = person_of(_card(86, "371721", "山东省滨州市滨城区示例路3号"), TODAY)
    assert moved_away["region_code"] == "371600"
    assert "elderly_allowance" not in {m.policy.id for m in match(policies, moved_away, NO_FACTS)}


def test_an_address_that_names_no_known_place_leaves_the_region_to_check(policies):
    for address in ("示例镇示例村8号", "山东省阳谷县示例村"):     # nothing known; 山东 but not which city
        who = person_of(_card(86, "371721", address), TODAY)
        got = {m.policy.id: m for m in match(policies, who, NO_FACTS)}
        assert not got["elderly_allowance"].sure, address      # never decided from the 菏泽 number
        assert got["elderly_allowance"].check_words == "需要核实：户口所在地（机器没认出证件上的地址）"
        assert got["elderly_allowance"].reasons == ["您已经满80周岁了。"]
    # a province other than 山东 is known well enough: no 菏泽 policy
    beijing = person_of(_card(86, "371721", "北京市朝阳区示例路1号"), TODAY)
    assert "elderly_allowance" not in {m.policy.id for m in match(policies, beijing, NO_FACTS)}
    # a card without an address (社保卡, 居民码) says so
    none = person_of(Identity(IdentitySource.RESIDENT_CODE, "测试人", _card(86, "371721", "").number), TODAY)
    m = next(m for m in match(policies, none, NO_FACTS) if m.policy.id == "elderly_allowance")
    assert m.check_words == "需要核实：户口所在地（您用的证件上没有）"


@pytest.mark.parametrize("address, known", [
    ("山东省菏泽市曹县青堌集镇示例村12号", "371721"), ("山东省曹县示例村", "371721"), ("曹县示例村", "371721"),
    ("山东省定陶县示例村", "371703"), ("山东省菏泽市牡丹区济南路1号", "371702"), ("菏泽经济开发区示例路", "3717"),
    ("山东省单县示例路", "371722"), ("山东省东明县示例村", "371728"), ("山东省滨州市滨城区", "3716"),
    ("山东省阳谷县示例村", "37"), ("北京市朝阳区", "11"), ("内蒙古自治区呼和浩特市", "15"), ("示例村", None), ("", None)])
def test_the_region_is_read_from_the_head_of_the_address(address, known):
    assert region_of(address) == known


def test_a_region_known_to_its_city_decides_only_the_rules_every_county_agrees_on(tmp_path):
    assert candidates("371721") == ["371721"]
    assert candidates("3716") == ["371600", "3716XX"]
    heze = candidates("3717")
    assert "371700" in heze and "371728" in heze and "3717XX" in heze and all(c.startswith("3717") for c in heze)
    root = _broken_pack(tmp_path, "id: caoxian\nname: 曹县测试\nbenefit: 测试用的。\nmode: confirm\n"
                                  "conditions:\n  - rule: 'region_code =~ \"^371721\"'\n    because: 您的户口在曹县。\n")
    policies = load_pack(root).policies
    city_only = person_of(_card(86, "371602", "菏泽经济开发区示例路1号"), TODAY)
    got = {m.policy.id: m for m in match(policies, city_only, NO_FACTS)}
    assert got["elderly_allowance"].sure                  # every place in 菏泽 is in 菏泽
    assert got["caoxian"].check_words == "需要核实：户口所在地（机器没认出证件上的地址）"
    caoxian = person_of(_card(86, "371602", "山东省曹县示例村"), TODAY)
    assert "caoxian" in ids(policies, caoxian)
    binzhou = person_of(_card(86, "371721", "山东省滨州市示例路"), TODAY)
    assert "caoxian" not in {m.policy.id for m in match(policies, binzhou, NO_FACTS)}


def test_centenarian_at_100(policies):
    assert "centenarian_allowance" in ids(policies, person(age=100))
    assert "centenarian_allowance" not in ids(policies, person(age=99))
    assert "centenarian_allowance" not in ids(policies, person(age=100, region_code="370102"))


def test_resident_pension_at_60_insured_and_not_yet_drawing(policies):
    facts = {"resident_pension_insured": True}
    assert "resident_pension" in ids(policies, person(age=60), **facts)
    assert "resident_pension" not in ids(policies, person(age=59), **facts)
    assert "resident_pension" not in ids(policies, person(age=60))
    assert "resident_pension" not in ids(policies, person(age=60), **facts, receiving_pension=True)


def test_disability_subsidies_grade_2_or_low_income(policies):
    cert = {"disability_certificate": True}
    assert "disability_subsidies" in ids(policies, person(), **cert, disability_grade=2)
    assert "disability_subsidies" not in ids(policies, person(), **cert, disability_grade=3)
    assert "disability_subsidies" in ids(policies, person(), **cert, disability_grade=3, low_income=True)
    assert "disability_subsidies" not in ids(policies, person(), disability_grade=1)


def test_only_child_parents_60_in_a_village(policies):
    facts = {"only_child_parent": True}
    assert "only_child_parents" in ids(policies, person(age=60, rural=True), **facts)
    assert "only_child_parents" not in ids(policies, person(age=59, rural=True), **facts)
    assert "only_child_parents" not in ids(policies, person(age=60, rural=False), **facts)
    assert "only_child_parents" not in ids(policies, person(age=60, rural=True))


def test_hardship_relief_low_income_or_extreme_poverty(policies):
    assert "hardship_relief" in ids(policies, person(), low_income=True)
    assert "hardship_relief" in ids(policies, person(), extreme_poverty=True)
    assert "hardship_relief" not in ids(policies, person())


def test_chronic_disease_care_needs_insurance_and_diagnosis(policies):
    assert "chronic_disease_care" in ids(policies, person(), resident_medical_insured=True, chronic_disease=True)
    assert "chronic_disease_care" not in ids(policies, person(), resident_medical_insured=True)
    assert "chronic_disease_care" not in ids(policies, person(), chronic_disease=True)


def test_elder_card_at_60_and_health_check_at_65(policies):
    assert "elder_card" in ids(policies, person(age=60))
    assert "elder_card" not in ids(policies, person(age=59))
    assert "elder_health_check" in ids(policies, person(age=65))
    assert "elder_health_check" not in ids(policies, person(age=64))


def test_biggest_benefit_first_and_the_reasons_in_plain_words(policies):
    who = person_of(demo_elder_identity(), TODAY)
    got = match(policies, who, {**NO_FACTS, "only_child_parent": True, "receiving_pension": True,
                                "resident_pension_insured": True})
    assert [m.policy.id for m in got][:2] == ["elderly_allowance", "only_child_parents"]
    assert got[0].reasons == ["您已经满80周岁了。", "您的户口在菏泽市。"]
    assert got[0].action_words == "确认领取"
    values = [m.policy.value for m in got]
    assert values == sorted(values, reverse=True)


def test_offline_the_matches_needing_a_fact_say_what_could_not_be_checked(policies):
    got = match(policies, person_of(demo_elder_identity(), TODAY), None, "offline")
    assert got[0].policy.id == "elderly_allowance" and got[0].sure    # nothing to ask the platform
    by_id = {m.policy.id: m for m in got}
    assert by_id["disability_subsidies"].check_words == "需要核实：残疾人证、残疾等级（现在连不上网络）"
    assert not by_id["only_child_parents"].sure
    assert by_id["only_child_parents"].reasons == ["您已经满60周岁了。", "您住在村里。"]
    # a known fact that fails still excludes the policy, whatever is unknown
    young = match(policies, person(age=30), None, "offline")
    assert "only_child_parents" not in {m.policy.id for m in young}


def test_a_card_without_an_address_says_so():
    got = match(load_pack(PACK).policies, person(age=70, rural=None), {**NO_FACTS, "only_child_parent": True})
    m = next(m for m in got if m.policy.id == "only_child_parents")
    assert m.check_words == "需要核实：是不是住在村里（您用的证件上没有）"


def test_nobody_and_enterprises_get_no_match():
    ent = Identity(IdentitySource.ENTERPRISE_CODE, "演示公司", "91371700MA3C0H4L13", is_enterprise=True)
    assert person_of(ent, TODAY)["age"] is None


def _broken_pack(tmp_path, text: str) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(PACK, root, ignore=shutil.ignore_patterns("assets"))
    shutil.copytree(PACK / "assets", root / "assets")
    (root / "policies" / "99_broken.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("rule, words", [
    ("agee >= 80", "unknown symbol 'agee'"),
    ("facts.disability_certifcate", "unknown fact 'facts.disability_certifcate'"),
    ("region_code > 3717", "rule type error"),
    ("age >= ", "rule syntax error"),
    ("age + 1", "should say yes or no"),
])
def test_lint_names_the_file_and_policy_of_a_broken_rule(tmp_path, rule, words):
    root = _broken_pack(tmp_path, f"id: broken\nname: 坏规则\nbenefit: 测试用的。\nmode: confirm\n"
                                  f"conditions:\n  - rule: '{rule}'\n    because: 测试。\n")
    errors = [str(p) for p in errors_only(lint_pack(root))]
    assert len(errors) == 1, errors
    assert errors[0].startswith("policies/99_broken.yaml:6: error: policy 'broken': ")
    assert words in errors[0]


def test_lint_refuses_unknown_keys_matters_and_modes(tmp_path):
    root = _broken_pack(tmp_path, "id: broken\nname: 坏\nbenefit: 测试用的。\nmode: maybe\nmatter: HZ-XX-999\n"
                                  "amount: {yuan: 10, per: week}\nwhom: all\n"
                                  "conditions:\n  - rule: age > 1\n    because: 测试。\n")
    errors = "\n".join(str(p) for p in errors_only(lint_pack(root)))
    assert "mode 'maybe'" in errors and "matter HZ-XX-999 is not in the pack" in errors
    assert "per 'week'" in errors and "unknown key 'whom'" in errors


def test_the_demo_identities_are_who_the_demo_platform_knows():
    from platform_server.demo_data import DEMO_FACTS
    assert demo_identity().number in DEMO_FACTS and demo_elder_identity().number in DEMO_FACTS
    assert person_of(demo_elder_identity(), TODAY)["age"] == 82


# -- through the terminal ---------------------------------------------------------------------------

@pytest.fixture
def offline_terminal(data_dir):
    from kiosk.settings import load_settings
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    settings = load_settings(env={}, overrides={
        ("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true",
        ("platform", "url"): "http://127.0.0.1:9", ("platform", "connect_timeout"): "0.5",
        ("platform", "read_timeout"): "0.5"})
    t = Terminal(settings, voice=Voice(enabled=False))
    yield t
    t.stop()


def test_offline_terminal_says_what_it_could_not_check_and_logs_nothing_of_it(offline_terminal, caplog):
    t = offline_terminal
    t.identify(demo_elder_identity())
    flow = t.open_flow("benefits")
    with caplog.at_level(logging.DEBUG):
        assert flow.refresh() == "offline"
        matches = flow.matches()
    assert matches[0].policy.name == "高龄津贴" and matches[0].sure
    assert any(m.check_words.endswith("（现在连不上网络）") for m in matches)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for m in matches:
        assert m.policy.name not in logged and m.policy.id not in logged
    assert "残疾" not in logged and "facts" not in logged.replace("citizen facts not available", "")
    # a 免申 match that still needs checking cannot be confirmed at the terminal
    assert flow.claim("only_child_parents") == "check" and flow.step.key == "reasons"
    assert "需要核实" in flow.claim_problem()
    with pytest.raises(FlowError):
        flow.submit()
    t.end_session()
    assert t.session.is_empty()


# -- with the reference platform in its own process ---------------------------------------------------

from tests.e2e.conftest import platform_database, platform_server, platform_settings  # noqa: E402,F401  (fixtures)


def test_facts_from_the_platform_and_a_one_tap_claim_delivered(platform_settings, platform_server):  # noqa: F811
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    from tests.unit.test_terminal_flows import delivered, stored
    t = Terminal(platform_settings, voice=Voice(enabled=False))
    t.start(services=True, devices=False)
    try:
        t.identify(demo_elder_identity())
        flow = t.open_flow("benefits")
        assert flow.refresh() == "ok"
        matches = flow.matches()
        assert [m.policy.id for m in matches][:2] == ["elderly_allowance", "only_child_parents"]
        assert all(m.sure for m in matches)                    # the platform answered every fact
        assert "resident_pension" not in {m.policy.id for m in matches}   # already drawing it
        flow.why("only_child_parents")
        assert flow.chosen.reasons[-1] == "您领过独生子女父母光荣证。"
        assert flow.claim("elderly_allowance") == "confirm"      # one tap: stored at once
        local_id = flow.submit()
        # claimed once in this visit: a second tap stores nothing and says so
        assert flow.claim("elderly_allowance") == "check" and "已经替您确认领取" in flow.claim_problem()
        with pytest.raises(FlowError):
            flow.submit()
        delivered(t, local_id)
        body = stored(platform_server, local_id)
        assert body["kind"] == "application"
        assert body["payload"]["benefit"] == {"policy_id": "elderly_allowance", "mode": "confirm",
                                              "amount": "每月100元（示例金额）"}
        # a policy that needs an application hands its matter to 我要办
        t.identify(demo_identity())
        flow = t.open_flow("benefits")
        flow.refresh()
        ids = [m.policy.id for m in flow.matches()]
        assert "chronic_disease_care" in ids
        assert flow.claim("chronic_disease_care") == "HZ-YB-002"
        t.end_session()
        assert "benefit_facts" not in t.session.scratch
    finally:
        t.stop()


def test_the_platform_answers_only_the_facts_asked_for(platform_server):  # noqa: F811
    import requests
    from tests.e2e.conftest import TERMINAL_ID
    headers = {"Authorization": f"Bearer {platform_server.token}", "X-Terminal-Id": TERMINAL_ID}
    url = platform_server.url + "/api/v1/citizen-facts"
    got = requests.post(url, json={"holder": {"id_number": demo_elder_identity().number},
                                   "facts": ["only_child_parent", "no_such_fact"]}, headers=headers, timeout=5)
    assert got.status_code == 200 and got.json() == {"facts": {"only_child_parent": True}}
    assert requests.post(url, json={"holder": {}, "facts": []}, headers=headers, timeout=5).status_code == 422
    assert requests.post(url, json={"holder": {"id_number": demo_identity().number}, "facts": []},
                         timeout=5).status_code == 401


def test_a_platform_that_answers_with_an_error_is_not_called_no_network(data_dir, platform_server):  # noqa: F811
    from kiosk.settings import load_settings
    from kiosk.terminal import Terminal
    from kiosk.voice import Voice
    from tests.e2e.conftest import TERMINAL_ID
    settings = load_settings(env={}, overrides={
        ("storage", "data_dir"): str(data_dir), ("terminal", "demo"): "true", ("terminal", "id"): TERMINAL_ID,
        ("platform", "url"): platform_server.url, ("platform", "token"): "not-the-terminal-token"})
    t = Terminal(settings, voice=Voice(enabled=False))
    try:
        t.identify(demo_elder_identity())
        flow = t.open_flow("benefits")
        assert flow.refresh() == "no_answer"             # the platform answered 401: reached, but no facts
        words = [m.check_words for m in flow.matches() if not m.sure]
        assert words and all(w.endswith("（平台暂时没有回答）") for w in words)
    finally:
        t.stop()
