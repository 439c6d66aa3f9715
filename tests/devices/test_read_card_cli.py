"""`run_kiosk.py read-card` as staff run it: a real process, the configured driver, JSON out."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IDCARD_KEYS = ["type", "name", "name_en", "sex", "nation", "birth", "address", "id_number", "authority",
               "valid_from", "valid_to", "pass_number", "issue_count", "nationality", "sam_id"]
SSCARD_KEYS = ["card_id", "card_type", "version", "issuer_org", "issue_date", "expiry_date", "card_number",
               "ssn", "name", "sex", "nation", "birthplace", "birth_date"]


def read_card(data_dir, *args, env=None, limit=30):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "run_kiosk.py", "--data-dir", str(data_dir), "read-card", *args],
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=limit)
    return proc


@pytest.mark.parametrize("card,kind", [("resident", "resident"), ("hmt", "hmt"), ("foreign", "foreign"),
                                       ("foreign2023", "foreign2023")])
def test_idcard_json_has_exactly_the_issue_keys(data_dir, card, kind):
    proc = read_card(data_dir, "--json", "--sim-card", card, env={"KIOSK_IDCARD_DRIVER": "simulator"})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == IDCARD_KEYS
    assert data["type"] == kind and data["sex"] in ("男", "女", "未知")
    assert data["birth"][4] == "-" and data["sam_id"]


def test_idcard_without_a_card_prints_an_error_object_and_fails(data_dir):
    proc = read_card(data_dir, "--json", "--sim-card", "none", "--timeout", "1",
                     env={"KIOSK_IDCARD_DRIVER": "simulator"}, limit=10)
    assert proc.returncode != 0
    error = json.loads(proc.stdout)["error"]
    assert error["code"] == "idcard.no_card" and error["message"]
    assert set(error) == {"code", "message"}


def test_a_reader_that_is_not_there_is_an_error_not_a_traceback(data_dir, tmp_path):
    proc = read_card(data_dir, "--json", "--timeout", "1",
                     env={"KIOSK_IDCARD_DRIVER": "sam", "KIOSK_IDCARD_PORT": str(tmp_path / "ttyUSB9")}, limit=10)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["error"]["code"] == "idcard.no_port"


def test_no_configured_reader(data_dir):
    proc = read_card(data_dir, "--source", "sscard", "--json", env={"KIOSK_SSCARD_DRIVER": "none"})
    assert proc.returncode != 0
    assert json.loads(proc.stdout)["error"]["code"] == "sscard.not_configured"


def test_sscard_simulator_json(data_dir):
    proc = read_card(data_dir, "--source", "sscard", "--json", env={"KIOSK_SSCARD_DRIVER": "simulator"})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == SSCARD_KEYS and data["name"] == "刘建国"


@pytest.mark.pcsc
def test_sscard_over_pcscd_json(data_dir, pcscd):
    from devices.sscard.vpcd_card import SocialSecurityApplet, VpcdCard, demo_cards
    card = VpcdCard(SocialSecurityApplet(demo_cards()["elder"], chain_61=True))
    card.insert()
    try:
        proc = read_card(data_dir, "--source", "sscard", "--json", "--timeout", "10",
                         env={"KIOSK_SSCARD_DRIVER": "pcsc", "KIOSK_SSCARD_READER": pcscd})
    finally:
        card.remove()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == SSCARD_KEYS
    assert data["name"] == "赵桂兰" and data["birth_date"] == "1948-02-11" and len(data["card_id"]) == 32
    assert card.applet.verify_count == 0


def test_human_readable_output_labels_fields(data_dir):
    proc = read_card(data_dir, "--sim-card", "resident_elder", env={"KIOSK_IDCARD_DRIVER": "simulator"})
    assert proc.returncode == 0
    assert "姓名 (name): 李秀英" in proc.stdout and "有效期止 (valid_to): 长期" in proc.stdout
