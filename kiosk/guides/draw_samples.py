"""Sample cards, certificates and forms for the pack (used by kiosk/guides/draw.py).

All data on them is fake (张小样, numbers full of zeros) and every sample carries a 样本 stamp, so
nobody mistakes a photo of the screen for a real document.
"""
from __future__ import annotations

from typing import Callable

from PIL import Image, ImageDraw

from kiosk.guides.draw import ACCENT, INK, PAPER, RED, SOFT, TEXT, font

CARD = (900, 568)
FORM = (760, 1000)
GREY = (120, 120, 120)
FAKE_ID = "371702 19500101 0000"


def _stamp(im: Image.Image) -> None:
    """A red 样本 stamp in the corner: this is not a real document."""
    d = ImageDraw.Draw(im)
    w, h = im.size
    r = min(w, h) // 9
    cx, cy = w - r - 24, h - r - 24
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=RED, width=6)
    d.text((cx, cy), "样本", font=font(int(r * 0.7), True), fill=RED, anchor="mm")


def _card(bg=(226, 238, 250)) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGB", CARD, PAPER)
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([10, 10, CARD[0] - 10, CARD[1] - 10], radius=36, fill=bg, outline=(150, 170, 200), width=4)
    return im, d


def _face(d: ImageDraw.ImageDraw, box: list[int]) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=(245, 245, 245), outline=GREY, width=3)
    cx, w = (x0 + x1) // 2, x1 - x0
    d.ellipse([cx - w * 0.22, y0 + w * 0.18, cx + w * 0.22, y0 + w * 0.68], fill=(170, 180, 195))
    d.pieslice([x0 + w * 0.12, y0 + w * 0.72, x1 - w * 0.12, y1 + w * 0.5], 180, 360, fill=(120, 135, 160))


def _fields(d, x, y, rows, size=30, gap=62, label_w=150):
    for label, value in rows:
        d.text((x, y), label, font=font(size - 4), fill=GREY)
        d.text((x + label_w, y - 2), value, font=font(size, True), fill=TEXT)
        y += gap


def id_card_front() -> Image.Image:
    im, d = _card()
    _fields(d, 60, 70, [("姓  名", "张小样"), ("性  别", "男      民族  汉"), ("出  生", "1950 年 1 月 1 日"),
                        ("住  址", "山东省菏泽市牡丹区"), ("", "示例街道 0 号")], gap=64, label_w=120)
    d.text((60, 440), "公民身份号码", font=font(26), fill=GREY)
    d.text((250, 434), FAKE_ID, font=font(36, True), fill=TEXT)
    _face(d, [640, 70, 840, 330])
    return im


def id_card_back() -> Image.Image:
    im, d = _card()
    d.ellipse([60, 50, 190, 180], outline=RED, width=8)
    d.text((125, 115), "★", font=font(60), fill=RED, anchor="mm")
    d.text((520, 110), "中华人民共和国", font=font(48, True), fill=TEXT, anchor="mm")
    d.text((520, 200), "居 民 身 份 证", font=font(58, True), fill=TEXT, anchor="mm")
    _fields(d, 170, 360, [("签发机关", "菏泽市公安局示例分局"), ("有效期限", "2016.01.01-2026.01.01")],
            gap=70, label_w=160)
    return im


def ss_card() -> Image.Image:
    im, d = _card((232, 244, 236))
    d.text((60, 70), "中华人民共和国社会保障卡", font=font(40, True), fill=(20, 110, 60))
    d.rounded_rectangle([70, 170, 190, 260], radius=10, fill=(230, 200, 110), outline=ACCENT, width=3)
    _fields(d, 60, 320, [("姓  名", "张小样"), ("社会保障号码", FAKE_ID), ("卡  号", "A0000000")],
            size=28, gap=58, label_w=200)
    d.text((60, 500), "银行 示例银行", font=font(24), fill=GREY)
    _face(d, [670, 150, 840, 370])
    return im


def bank_card() -> Image.Image:
    im, d = _card((236, 232, 250))
    d.text((60, 60), "示例银行  借记卡", font=font(40, True), fill=(80, 60, 150))
    d.rounded_rectangle([70, 170, 190, 260], radius=10, fill=(230, 200, 110), outline=ACCENT, width=3)
    d.text((60, 330), "6200 0000 0000 0000", font=font(54, True), fill=TEXT)
    d.text((60, 430), "ZHANG XIAOYANG", font=font(30), fill=GREY)
    return im


def _booklet(title: str, colour) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGB", CARD, PAPER)
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, CARD[0] // 2 - 6, CARD[1]], fill=colour)
    d.text((CARD[0] // 4, 150), title, font=font(52, True), fill=(250, 220, 120), anchor="mm")
    d.rectangle([CARD[0] // 2 + 6, 0, CARD[0], CARD[1]], fill=(252, 250, 242))
    return im, d


def hukou_book() -> Image.Image:
    im = Image.new("RGB", FORM, (252, 250, 242))
    d = ImageDraw.Draw(im)
    d.text((FORM[0] // 2, 60), "常住人口登记卡", font=font(44, True), fill=TEXT, anchor="mm")
    rows = [("姓名", "张小样"), ("户主或与户主关系", "户主"), ("性别", "男"), ("出生地", "山东省菏泽市"),
            ("民族", "汉族"), ("出生日期", "1950 年 1 月 1 日"), ("公民身份证件编号", FAKE_ID),
            ("文化程度", "初中"), ("婚姻状况", "已婚"), ("何时由何地迁来本址", "（空）"),
            ("承办人签章", "示例")]
    y = 130
    for label, value in rows:
        d.rectangle([40, y, 720, y + 66], outline=GREY, width=2)
        d.line([300, y, 300, y + 66], fill=GREY, width=2)
        d.text((56, y + 33), label, font=font(24), fill=GREY, anchor="lm")
        d.text((320, y + 33), value, font=font(28, True), fill=TEXT, anchor="lm")
        y += 66
    return im


def photo_spec() -> Image.Image:
    im = Image.new("RGB", (600, 760), PAPER)
    d = ImageDraw.Draw(im)
    d.rectangle([150, 120, 450, 520], fill=PAPER, outline=GREY, width=4)
    _face(d, [160, 130, 440, 510])
    d.line([110, 120, 110, 520], fill=INK, width=4)
    d.text((90, 320), "48 mm", font=font(26), fill=INK, anchor="rm")
    d.line([150, 560, 450, 560], fill=INK, width=4)
    d.text((300, 595), "33 mm", font=font(26), fill=INK, anchor="mm")
    d.text((300, 60), "白底  免冠  正面", font=font(36, True), fill=TEXT, anchor="mm")
    return im


def birth_certificate() -> Image.Image:
    im = Image.new("RGB", FORM, (250, 246, 236))
    d = ImageDraw.Draw(im)
    d.rectangle([20, 20, 740, 980], outline=(190, 150, 90), width=10)
    d.text((380, 100), "出生医学证明", font=font(56, True), fill=TEXT, anchor="mm")
    _fields(d, 70, 200, [("新生儿姓名", "张小宝"), ("性别", "女"), ("出生时间", "2026 年 1 月 1 日"),
                         ("出生地点", "山东省菏泽市"), ("母亲姓名", "李小样"), ("父亲姓名", "张小样"),
                         ("出生证编号", "R370000000")], size=32, gap=92, label_w=220)
    d.text((380, 880), "签发日期  2026 年 1 月 5 日", font=font(28), fill=GREY, anchor="mm")
    return im


def marriage_certificate() -> Image.Image:
    im, d = _booklet("结婚证", (190, 30, 40))
    x = CARD[0] // 2 + 40
    _fields(d, x, 80, [("持证人", "张小样"), ("登记日期", "2020-01-01"), ("结婚证字号", "J371700-0000")],
            size=28, gap=70, label_w=150)
    d.rectangle([x, 330, x + 300, 510], fill=(245, 245, 245), outline=GREY, width=3)
    d.text((x + 150, 420), "合影照片", font=font(30), fill=GREY, anchor="mm")
    return im


def lease_contract() -> Image.Image:
    im = Image.new("RGB", FORM, PAPER)
    d = ImageDraw.Draw(im)
    d.text((380, 70), "房屋租赁合同", font=font(48, True), fill=TEXT, anchor="mm")
    _fields(d, 60, 150, [("出租方（甲方）", "王示例"), ("承租方（乙方）", "张小样"),
                         ("房屋地址", "菏泽市示例小区 0 号楼"), ("租期", "2026-01-01 至 2026-12-31"),
                         ("月租金", "800 元")], size=28, gap=72, label_w=230)
    for y in range(540, 800, 44):
        d.line([60, y, 700, y], fill=(200, 200, 200), width=2)
    d.text((60, 860), "甲方签字：王示例", font=font(28), fill=TEXT)
    d.text((420, 860), "乙方签字：张小样", font=font(28), fill=TEXT)
    return im


def property_certificate() -> Image.Image:
    im = Image.new("RGB", FORM, (246, 250, 244))
    d = ImageDraw.Draw(im)
    d.text((380, 80), "不动产权证书", font=font(52, True), fill=(30, 100, 60), anchor="mm")
    rows = [("权利人", "张小样"), ("共有情况", "单独所有"), ("坐落", "菏泽市示例路 0 号"),
            ("不动产单元号", "371702 000000 GB00000"), ("用途", "住宅"), ("面积", "100 平方米")]
    y = 170
    for label, value in rows:
        d.rectangle([40, y, 720, y + 90], outline=GREY, width=2)
        d.line([250, y, 250, y + 90], fill=GREY, width=2)
        d.text((60, y + 45), label, font=font(26), fill=GREY, anchor="lm")
        d.text((270, y + 45), value, font=font(28, True), fill=TEXT, anchor="lm")
        y += 90
    return im


def form(title: str, rows: list[str]) -> Callable[[], Image.Image]:
    """An application form with the given field labels, a signature line and a date."""
    def draw() -> Image.Image:
        im = Image.new("RGB", FORM, PAPER)
        d = ImageDraw.Draw(im)
        size = 40 if len(title) <= 14 else 32
        d.text((380, 70), title, font=font(size, True), fill=TEXT, anchor="mm")
        y = 140
        filled = {"姓名": "张小样", "公民身份号码": FAKE_ID, "身份证号": FAKE_ID, "联系电话": "138 0000 0000"}
        for label in rows:
            d.rectangle([40, y, 720, y + 80], outline=GREY, width=2)
            d.line([260, y, 260, y + 80], fill=GREY, width=2)
            d.text((56, y + 40), label, font=font(26), fill=GREY, anchor="lm")
            if label in filled:
                d.text((280, y + 40), filled[label], font=font(28, True), fill=INK, anchor="lm")
            y += 80
        d.text((60, y + 60), "申请人（签字）：", font=font(30), fill=TEXT)
        d.line([300, y + 100, 560, y + 100], fill=TEXT, width=2)
        d.text((60, y + 150), "日期：      年    月    日", font=font(30), fill=TEXT)
        return im
    return draw


_BASE = ["姓名", "公民身份号码", "联系电话"]
SAMPLES: dict[str, Callable[[], Image.Image]] = {
    "id_card_front": id_card_front, "id_card_back": id_card_back, "ss_card": ss_card,
    "bank_card": bank_card, "hukou_book": hukou_book, "photo_spec": photo_spec,
    "birth_certificate": birth_certificate, "marriage_certificate": marriage_certificate,
    "lease_contract": lease_contract, "property_certificate": property_certificate,
    "form_pension": form("城乡居民基本养老保险参保登记表", _BASE + ["户籍地址", "缴费档次", "银行账号"]),
    "form_birth": form("生育登记表", _BASE + ["配偶姓名", "配偶身份号码", "现有子女数", "婚姻状况"]),
    "form_business": form("个体工商户登记申请书", _BASE + ["字号名称", "经营场所", "经营范围", "组成形式"]),
    "form_elder": form("老年人优待证申请表", _BASE + ["户籍地址", "紧急联系人"]),
    "form_disability": form("残疾人证申请表", _BASE + ["残疾类别", "监护人", "户籍地址"]),
    "form_medical": form("异地就医备案表", _BASE + ["参保地", "就医地", "备案类型", "开始日期"]),
    "form_sscard": form("社会保障卡补换申请表", _BASE + ["补换原因", "邮寄地址"]),
    "form_flexible": form("灵活就业人员参保登记表", _BASE + ["户籍性质", "参保险种", "缴费基数"]),
    "form_fund": form("住房公积金提取申请表", _BASE + ["公积金账号", "提取原因", "收款银行卡号"]),
    "form_retire": form("职工退休申请表", _BASE + ["参加工作时间", "单位名称", "退休类别"]),
    "form_hukou": form("户口迁移申请表", _BASE + ["迁出地址", "迁入地址", "迁移原因", "随迁人员"]),
    "form_property": form("不动产登记资料查询申请书", _BASE + ["查询目的", "不动产坐落", "查询内容"]),
    "form_newborn": form("出生登记申报表", ["新生儿姓名", "出生日期", "出生证编号", "父亲姓名", "母亲姓名",
                                            "联系电话", "落户地址"]),
    "form_resident_medical": form("城乡居民医保参保登记表", _BASE + ["户籍地址", "参保人员类别"]),
    "form_theme_newborn": form("新生儿出生一件事 联办申请表", ["新生儿姓名", "出生证编号", "父亲姓名", "母亲姓名",
                                                           "联系电话", "落户地址", "勾选事项"]),
    "form_theme_business": form("开办个体工商户一件事 联办申请表", _BASE + ["字号名称", "经营场所", "勾选事项"]),
    "form_theme_retire": form("退休一件事 联办申请表", _BASE + ["单位名称", "公积金账号", "勾选事项"]),
}


def callouts(im: Image.Image, points: list[tuple[float, float]]) -> Image.Image:
    """Draw numbered review-point circles (1, 2, …) at fractions of the picture's size."""
    im = im.copy()
    d = ImageDraw.Draw(im)
    r = max(22, min(im.size) // 20)
    for i, (fx, fy) in enumerate(points, start=1):
        cx, cy = fx * im.size[0], fy * im.size[1]
        d.ellipse([cx - r - 4, cy - r - 4, cx + r + 4, cy + r + 4], fill=PAPER)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=ACCENT)
        d.text((cx, cy), str(i), font=font(int(r * 1.3), True), fill=PAPER, anchor="mm")
    return im


def draw_sample(name: str, points: list[tuple[float, float]]) -> Image.Image:
    """A sample with its 样本 stamp and numbered callouts."""
    im = SAMPLES[name]()
    _stamp(im)
    return callouts(im, points)


__all__ = ["SAMPLES", "draw_sample", "callouts", "SOFT"]
