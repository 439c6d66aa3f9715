"""Staff CLI `decode` and `verify-code`, run as real subprocesses."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import segno

from kiosk.codes import rc1
from kiosk.codes.demo_issuer import DemoIssuer

ROOT = Path(__file__).resolve().parents[2]


def cli(data_dir, *args, env_extra=None, stdin=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "run_kiosk.py"), "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, input=stdin, timeout=60, cwd=ROOT)


def qr_png(path: Path, text: str) -> Path:
    m = np.array(list(segno.make(text, error="m", micro=False).matrix_iter(border=4)), np.uint8)
    img = cv2.resize(np.where(m == 1, 0, 255).astype(np.uint8), None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    cv2.imwrite(str(path), img)
    return path


def test_decode_prints_one_json_line_per_image(data_dir, tmp_path):
    code = qr_png(tmp_path / "code.png", "https://hzzwfw.example.cn/c/42")
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((100, 100), 255, np.uint8))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    proc = cli(data_dir, "decode", "--json", str(code), str(blank), str(broken), str(tmp_path / "missing.png"))
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(code), str(blank), str(broken), str(tmp_path / "missing.png")]
    assert lines[0]["codes"] == [{"format": "QRCode", "text": "https://hzzwfw.example.cn/c/42"}]
    assert isinstance(lines[0]["ms"], float)
    assert lines[1]["codes"] == []
    assert "error" in lines[2] and "error" in lines[3] and "codes" not in lines[2]
    assert proc.returncode == 1          # an unreadable file is a failure the caller should see
    ok = cli(data_dir, "decode", "--decoder", "pyzbar", str(code))
    assert ok.returncode == 0 and "https://hzzwfw.example.cn/c/42" in ok.stdout


def test_verify_code_accepts_then_refuses_a_replay(data_dir):
    private_hex, public_hex = rc1.generate_keypair()
    import time
    now = int(time.time())
    claims = {"sub": "11010519491231002X", "name": "赵六", "iat": now, "exp": now + 120, "jti": "cli-1", "kid": "k1"}
    text = rc1.make_code("R", claims, private_hex, public_hex)
    env = {"KIOSK_CODES_ISSUERS": f"k1={public_hex}"}
    first = cli(data_dir, "verify-code", "--json", text, env_extra=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"ok": True, "kind": "resident", "sub": "1101**********002X",
                                        "name": "赵*", "reason": None}, "masked like the plain output"
    assert "11010519491231002X" not in first.stdout and "赵六" not in first.stdout
    claims["jti"] = "cli-2"
    shown = cli(data_dir, "verify-code", "--json", "--show-personal", rc1.make_code("R", claims, private_hex, public_hex),
                env_extra=env)
    assert json.loads(shown.stdout)["sub"] == "11010519491231002X" and json.loads(shown.stdout)["name"] == "赵六"
    again = cli(data_dir, "verify-code", "--json", text, env_extra=env)
    assert again.returncode == 1 and json.loads(again.stdout)["reason"] == "replayed"
    human = cli(data_dir, "verify-code", text, env_extra=env)
    assert human.returncode == 1 and "replayed" in human.stdout and "已经使用过" in human.stdout


def test_verify_code_refusals_and_stdin(data_dir):
    proc = cli(data_dir, "verify-code", "--json", "RC1.R.garbage")
    assert proc.returncode == 1 and json.loads(proc.stdout) == {"ok": False, "kind": None, "sub": None,
                                                                "name": None, "reason": "bad_format"}
    env = {"KIOSK_PLATFORM_URL": "http://127.0.0.1:9", "KIOSK_PLATFORM_CONNECT_TIMEOUT": "1"}
    offline = cli(data_dir, "verify-code", "--json", "-", stdin="SOME-OTHER-CODE\n", env_extra=env)
    assert json.loads(offline.stdout)["reason"] == "needs_network"


def test_verify_code_human_output_masks_the_citizen(data_dir):
    issuer = DemoIssuer(data_dir)
    proc = cli(data_dir, "verify-code", "--no-record", issuer.issue(), env_extra={"KIOSK_TERMINAL_DEMO": "1"})
    assert proc.returncode == 0
    assert "张*丰" in proc.stdout and "张三丰" not in proc.stdout and "3717**" in proc.stdout
