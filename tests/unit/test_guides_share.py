"""扫码带走: the QR code really carries the guide's text to a phone."""
from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from config import CONFIG_DIR
from kiosk.guides.loader import load_pack
from kiosk.guides.share import MAX_CHARS, matter_text, qr_png, theme_text


def _decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(results) == 1
    return results[0].text


def test_matter_qr_decodes_to_the_checklist():
    pack = load_pack(CONFIG_DIR / "content")
    matter = pack.matter("HZ-GA-001")
    text = matter_text(pack, matter)
    assert "居民身份证换领" in text and "旧的居民身份证" in text and matter.place in text
    assert _decode(qr_png(text)) == text


def test_theme_qr_lists_one_set_of_materials():
    pack = load_pack(CONFIG_DIR / "content")
    theme = next(t for t in pack.themes if t.id == "newborn")
    text = theme_text(pack, theme)
    assert text.count("居民身份证") == 1 and "出生医学证明" in text
    assert _decode(qr_png(text)) == text


def test_long_text_is_cut_to_a_readable_size():
    pack = load_pack(CONFIG_DIR / "content")
    matter = pack.matter("HZ-GA-001")
    matter.summary = "很长的说明。" * 200
    assert len(matter_text(pack, matter)) == MAX_CHARS
