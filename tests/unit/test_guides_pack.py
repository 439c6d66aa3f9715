"""The content pack: the demo pack is complete and lints clean; broken packs are reported with file and line."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from config import CONFIG_DIR
from kiosk.guides.lint import lint_pack, sentence_length
from kiosk.guides.loader import PackError, load_pack

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = CONFIG_DIR / "content"


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(BUNDLED, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; returns the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_demo_pack_has_real_matters_and_themes():
    pack = load_pack(BUNDLED)
    assert len(pack.matters) >= 12 and len(pack.themes) >= 3
    names = {m.name for m in pack.matters}
    assert {"居民身份证换领", "老年人优待证办理", "住房公积金提取"} <= names
    for m in pack.matters:
        assert m.summary and m.steps and m.materials and m.legal_basis and m.faq and m.case, m.code
        assert all(s.picture for s in m.steps), m.code
        assert m.department in pack.departments
    # every theme bundles several matters into one set of materials and one form
    for t in pack.themes:
        assert len(pack.theme_matters(t)) >= 2 and t.form
        ids = [mat.id for mat in pack.theme_materials(t)]
        assert len(ids) == len(set(ids))


def test_demo_pack_lints_clean():
    assert lint_pack(BUNDLED) == []


def test_materials_carry_annotated_samples():
    pack = load_pack(BUNDLED)
    renewal = pack.matter("HZ-GA-001")
    photo = next(m for m in renewal.materials if m.id == "photo")
    assert [a.n for a in photo.annotations] == [1, 2, 3]
    assert any("近6个月" in a.text for a in photo.annotations)
    assert photo.sample.endswith("photo_spec.png") and (BUNDLED / photo.sample).is_file()
    # a matter can override a shared material: the birth registration needs both spouses' cards
    assert next(m for m in pack.matter("HZ-WJ-001").materials if m.id == "id_card").copies == 2


def test_level_filter_hides_what_a_village_point_does_not_offer():
    pack = load_pack(BUNDLED)
    village = pack.for_level("village")
    assert 0 < len(village.matters) < len(pack.matters)
    assert all("village" in m.levels for m in village.matters)
    assert "HZ-GA-001" not in village.by_code          # ID cards are made at the police station
    assert "HZ-MZ-001" in village.by_code              # the 优待证 is applied for in the village
    # the 开办个体工商户 theme has no village matter, so it disappears there
    assert "open_business" not in {t.id for t in village.themes}


def test_generator_reproduces_the_committed_pictures():
    from kiosk.guides.draw import render_all
    rendered = render_all(BUNDLED)
    for rel, image in rendered.items():
        with Image.open(BUNDLED / rel) as committed:
            assert committed.size == image.size, rel
            assert ImageChops.difference(committed.convert("RGB"), image.convert("RGB")).getbbox() is None, \
                f"{rel} is out of date: run python -m kiosk.guides.draw"


def test_schema_error_names_file_and_line(pack_copy):
    line = _edit(pack_copy / "matters" / "03_resident_pension.yaml", "visits: 0", "visits: 一次")
    problems = lint_pack(pack_copy)
    assert any(p.file == "matters/03_resident_pension.yaml" and p.line == line and "'visits'" in p.message
               for p in problems), problems
    with pytest.raises(PackError):
        load_pack(pack_copy)


def test_unknown_key_and_bad_yaml_are_reported(pack_copy):
    line = _edit(pack_copy / "matters" / "07_elder_card.yaml", "popularity: 92", "popularty: 92")
    (pack_copy / "themes" / "broken.yaml").write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    problems = lint_pack(pack_copy)
    assert any(p.file == "matters/07_elder_card.yaml" and p.line == line and "popularty" in p.message
               for p in problems)
    assert any(p.file == "themes/broken.yaml" and "not valid YAML" in p.message for p in problems)


def test_missing_and_unreadable_pictures(pack_copy):
    (pack_copy / "assets" / "steps" / "pay.png").unlink()
    (pack_copy / "assets" / "samples" / "bank_card.png").write_bytes(b"not a png at all")
    messages = [p.message for p in lint_pack(pack_copy)]
    assert any("assets/steps/pay.png is missing" in m for m in messages)
    assert any("bank_card.png cannot be read" in m for m in messages)


def test_long_sentence_and_unexplained_jargon(pack_copy):
    long = "请您在办理之前仔细阅读本事项的全部办事指南并按照要求准备齐全所有申请材料后再前往窗口"
    line = _edit(pack_copy / "matters" / "06_property_query.yaml",
                 "summary: 想查自己名下有没有房，刷身份证就能查，还能打印证明。", f"summary: {long}。")
    _edit(pack_copy / "pack.yaml", "jargon: [", "jargon: [核验, ")
    _edit(pack_copy / "matters" / "12_housing_fund.yaml", "text: 在自助机上刷身份证。", "text: 刷身份证完成核验。")
    problems = lint_pack(pack_copy)
    assert any(p.file == "matters/06_property_query.yaml" and p.line == line and "too long" in p.message
               for p in problems)
    assert any(p.file == "matters/12_housing_fund.yaml" and "核验" in p.message for p in problems)


def test_theme_with_unknown_matter(pack_copy):
    _edit(pack_copy / "themes" / "retire.yaml", "HZ-MZ-001", "HZ-XX-999")
    assert any("unknown matter HZ-XX-999" in p.message for p in lint_pack(pack_copy))


def test_sentence_length_ignores_punctuation_and_counts_numbers_once():
    assert sentence_length("照片须为近6个月拍的") == 10
    assert sentence_length("周一至周五，上午9:00-12:00") == 8


def test_lint_command_exit_codes(pack_copy):
    ok = subprocess.run([sys.executable, "run_kiosk.py", "content", "lint", str(BUNDLED)], cwd=ROOT,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (pack_copy / "assets" / "steps" / "pay.png").unlink()
    bad = subprocess.run([sys.executable, "run_kiosk.py", "content", "lint", "--json", str(pack_copy)], cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 1
    problems = json.loads(bad.stdout)
    assert problems and all({"file", "line", "severity", "message"} <= set(p) for p in problems)
    assert any(p["file"].startswith("matters/") and p["line"] > 1 for p in problems)


def test_lint_reports_a_long_name_without_plain_name(pack_copy):
    """A long official name needs its everyday meaning (plain_name), shown under it on the screens."""
    pack = load_pack(BUNDLED)
    long = [m for m in pack.matters if len(m.name) > pack.long_name]
    assert long and all(m.plain_name for m in long)
    assert pack.matter("HZ-GA-001").plain_name == ""          # 居民身份证换领 is short enough
    matter = next(m for m in long if m.name == "城乡居民基本医疗保险参保登记")
    assert matter.hint.startswith("简单说：交医保") and matter.summary in matter.hint
    line = _edit(pack_copy / matter.source, f"plain_name: {matter.plain_name}\n", "")
    problems = lint_pack(pack_copy)
    found = [p for p in problems if "plain_name" in p.message]
    assert [(p.file, p.line, p.severity) for p in found] == [(matter.source, line - 1, "warning")]
    assert "城乡居民基本医疗保险参保登记" in found[0].message
    cli = subprocess.run([sys.executable, "run_kiosk.py", "content", "lint", str(pack_copy)], cwd=ROOT,
                         capture_output=True, text=True)
    assert "plain_name" in cli.stdout + cli.stderr
