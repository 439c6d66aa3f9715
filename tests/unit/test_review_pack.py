"""Review rules in the content pack (docs/content-pack.md, *review*) and what `content lint` says
about them; the `prereview` command on a photo and on a file that is not one."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from config import CONFIG_DIR
from devices.doccam import synthetic
from kiosk.guides.lint import lint_pack
from kiosk.guides.loader import load_pack
from kiosk.review import specimens

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(CONFIG_DIR / "content", dest)
    return dest


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_the_demo_pack_declares_review_rules_on_its_samples():
    pack = load_pack(CONFIG_DIR / "content")
    birth = next(m for m in pack.matters if m.name.startswith("生育登记"))
    form = next(mat for mat in birth.materials if mat.review and mat.review.kind == "form")
    assert form.review.required == ["姓名", "公民身份号码", "联系电话"]
    assert [a.check for a in form.annotations] == ["filled", "signed"]
    card = next(mat for m in pack.matters for mat in m.materials if mat.id == "id_card")
    assert card.review.kind == "id_card_front" and card.annotations[1].check == "id_number_matches"


@pytest.mark.parametrize("old, new, message", [
    ("review: {kind: form, required: [姓名, 公民身份号码, 联系电话]}", "review: {kind: forms}", "review kind 'forms'"),
    ("text: 夫妻两人都要签字。, check: signed}", "text: 夫妻两人都要签字。, check: name_matches}",
     "check 'name_matches' is not made for this material"),
    ("text: 夫妻两人都要签字。, check: signed}", "text: 夫妻两人都要签字。, check: stamped}", "check 'stamped' should be"),
    ("review: {kind: form, required: [姓名, 公民身份号码, 联系电话]}", "review: {kind: generic, required: [姓名]}",
     "only a form has required fields"),
    ("review: {kind: form, required: [姓名, 公民身份号码, 联系电话]}", "review: {kind: form, must: [姓名]}",
     "unknown key 'must'"),
])
def test_lint_names_a_wrong_review_rule_with_its_line(pack_copy, old, new, message):
    line = _edit(pack_copy / "matters" / "04_birth_registration.yaml", old, new)
    problems = [p for p in lint_pack(pack_copy) if p.severity == "error"]
    assert any(p.file == "matters/04_birth_registration.yaml" and abs(p.line - line) <= 1 and message in p.message
               for p in problems), problems


def _prereview(*args):
    return subprocess.run([sys.executable, "run_kiosk.py", "prereview", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_prereview_prints_one_line_for_a_photo(tmp_path):
    photo = tmp_path / "front.jpg"
    cv2.imwrite(str(photo), synthetic.photo(specimens.id_card_front("王小明", "37170219800101001X"), seed=3).frame)
    done = _prereview("--json", "--material", "id_card_front", "--name", "王小红", "--id-number",
                      "37170219800101001X", str(photo))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["ok"] is False and result["quality"] == []
    assert [(c["check"], c["ok"]) for c in result["checks"]] == \
        [("readable", True), ("name_matches", False), ("id_number_matches", True)]
    assert result["fields"]["id_number"] == "37170219800101001X"
    assert "王小明" not in done.stderr and "37170219800101001X" not in done.stderr


def test_prereview_refuses_a_file_that_is_not_an_image(tmp_path):
    bogus = tmp_path / "notes.jpg"
    bogus.write_text("this is text", encoding="utf-8")
    done = _prereview("--json", "--material", "generic", str(bogus))
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "not_an_image"


def test_prereview_of_a_form_asks_only_for_the_lines_it_has(tmp_path):
    """A form without a 公民身份号码 line, filled and signed: the command's default list asks only for
    what the form has printed (it used to say 公民身份号码 was not filled)."""
    form = specimens.form("医保转移申请表", {"姓名": "王小明", "联系电话": "13800000000"}, ["姓名", "联系电话"],
                          signature=True)
    photo = tmp_path / "form.jpg"
    cv2.imwrite(str(photo), synthetic.photo(form, seed=5, fill=0.85).frame)
    done = _prereview("--json", "--material", "form", str(photo))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [(c["check"], c["ok"]) for c in result["checks"]] == [("readable", True), ("filled", True),
                                                                  ("signed", True)], result["checks"]
    assert sorted(result["fields"]) == ["姓名", "联系电话"]
