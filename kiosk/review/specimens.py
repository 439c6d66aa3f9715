"""Rendered documents with chosen names, numbers and dates: what tests, bench/ and the demo lay
under the (simulated) document camera. Every specimen carries a 样本 stamp; the data is invented."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from kiosk.guides.draw import TEXT, font

GREY, RED, INK = (120, 120, 120), (205, 40, 40), (20, 40, 110)


def _bgr(im: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.array(im.convert("RGB"))[:, :, ::-1])


def _stamp(d: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    w, h = size
    r = min(w, h) // 12
    d.ellipse([w - 2 * r - 30, h - 2 * r - 30, w - 30, h - 30], outline=RED, width=5)
    d.text((w - r - 30, h - r - 30), "样本", font=font(int(r * 0.7), True), fill=RED, anchor="mm")


def id_card_front(name: str, id_number: str, address: str = "山东省菏泽市牡丹区示例街道0号") -> np.ndarray:
    """The front of a resident ID card (BGR, 900×568)."""
    im = Image.new("RGB", (900, 568), (226, 238, 250))
    d = ImageDraw.Draw(im)
    rows = [("姓名", name), ("性别", "男   民族 汉"), ("出生", f"{id_number[6:10]}年{int(id_number[10:12])}月{int(id_number[12:14])}日"),
            ("住址", address[:12]), ("", address[12:])]
    y = 60
    for label, value in rows:
        d.text((50, y + 4), label, font=font(26), fill=GREY)
        d.text((150, y), value, font=font(32, True), fill=TEXT)
        y += 64
    d.text((50, 450), "公民身份号码", font=font(26), fill=GREY)
    d.text((250, 444), id_number, font=font(36, True), fill=TEXT)
    d.rectangle([640, 70, 840, 330], fill=(240, 240, 240), outline=GREY, width=3)
    _stamp(d, im.size)
    return _bgr(im)


def id_card_back(valid_from: str, valid_to: str, authority: str = "菏泽市公安局示例分局") -> np.ndarray:
    """The back of a resident ID card (BGR); dates as 2016.01.01, `valid_to` may be 长期."""
    im = Image.new("RGB", (900, 568), (226, 238, 250))
    d = ImageDraw.Draw(im)
    d.text((520, 110), "中华人民共和国", font=font(48, True), fill=TEXT, anchor="mm")
    d.text((520, 200), "居民身份证", font=font(58, True), fill=TEXT, anchor="mm")
    d.text((120, 360), "签发机关", font=font(26), fill=GREY)
    d.text((280, 356), authority, font=font(32, True), fill=TEXT)
    d.text((120, 430), "有效期限", font=font(26), fill=GREY)
    d.text((280, 426), f"{valid_from}-{valid_to}", font=font(32, True), fill=TEXT)
    _stamp(d, im.size)
    return _bgr(im)


def hukou_page(name: str, id_number: str) -> np.ndarray:
    """A 户口簿 常住人口登记卡 page (BGR, 760×1000)."""
    im = Image.new("RGB", (760, 1000), (252, 250, 242))
    d = ImageDraw.Draw(im)
    d.text((380, 60), "常住人口登记卡", font=font(44, True), fill=TEXT, anchor="mm")
    rows = [("姓名", name), ("户主或与户主关系", "户主"), ("性别", "男"), ("出生地", "山东省菏泽市"),
            ("民族", "汉族"), ("公民身份证件编号", id_number), ("文化程度", "初中"), ("婚姻状况", "已婚")]
    y = 130
    for label, value in rows:
        d.rectangle([40, y, 720, y + 72], outline=GREY, width=2)
        d.line([300, y, 300, y + 72], fill=GREY, width=2)
        d.text((56, y + 36), label, font=font(24), fill=GREY, anchor="lm")
        d.text((320, y + 36), value, font=font(30, True), fill=TEXT, anchor="lm")
        y += 72
    _stamp(d, im.size)
    return _bgr(im)


def form(title: str, values: dict[str, str], labels: list[str], signature: bool) -> np.ndarray:
    """An application form (BGR, 760×1000): `labels` in rows, `values` written in, and a hand-drawn
    signature beside 申请人（签字） when `signature`."""
    im = Image.new("RGB", (760, 1000), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.text((380, 70), title, font=font(38, True), fill=TEXT, anchor="mm")
    y = 140
    for label in labels:
        d.rectangle([40, y, 720, y + 80], outline=GREY, width=2)
        d.line([260, y, 260, y + 80], fill=GREY, width=2)
        d.text((56, y + 40), label, font=font(26), fill=GREY, anchor="lm")
        if values.get(label):
            d.text((280, y + 40), values[label], font=font(30, True), fill=INK, anchor="lm")
        y += 80
    d.text((60, y + 60), "申请人（签字）：", font=font(30), fill=TEXT)
    d.line([300, y + 100, 600, y + 100], fill=TEXT, width=2)
    if signature:
        draw_signature(d, (310, y + 45, 560, y + 98))
    d.text((60, y + 160), "日期：      年    月    日", font=font(30), fill=TEXT)
    _stamp(d, im.size)
    return _bgr(im)


def draw_signature(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], seed: int = 3) -> None:
    """A scrawl of thick strokes inside `box`, like a name written with a pen."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = box
    for k in range(3):
        cx = x0 + (k + 0.5) * (x1 - x0) / 3
        pts = [(cx + rng.uniform(-30, 30), y0 + rng.uniform(0, y1 - y0)) for _ in range(6)]
        d.line(pts, fill=INK, width=5, joint="curve")
