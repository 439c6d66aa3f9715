"""A large made-up catalogue (10,000 matters and more) for bench/guide_search.py and the search tests.

Names are built like real ones — subject + action + qualifier, e.g. 食品经营许可证变更登记（企业）
— so that pinyin, initials and shared words behave as in a city's full catalogue.
"""
from __future__ import annotations

import random

from kiosk.guides.model import Matter, Step

SUBJECTS = (
    "居民身份证 户口 社会保障卡 营业执照 养老保险 医疗保险 失业保险 工伤保险 住房公积金 不动产 机动车驾驶证 机动车 "
    "出租汽车 道路运输证 食品经营许可证 药品经营许可证 建筑施工许可证 排污许可证 渔业捕捞许可证 林木采伐许可证 取水许可 "
    "烟草专卖零售许可证 教师资格 医师执业 护士执业 律师执业 导游证 特种设备使用登记 殡葬 婚姻 收养 最低生活保障 "
    "特困人员供养 临时救助 残疾人两项补贴 高龄津贴 计划生育家庭奖励扶助 义务兵家庭优待金 退役军人 农业机械 "
    "种子生产经营许可证 兽药经营许可证 动物防疫条件合格证 宅基地 农村土地承包经营权 城市道路占用 户外广告设置 "
    "大型群众性活动 出版物经营许可证 广播电视节目制作 文物保护 互联网上网服务 娱乐场所 旅行社 档案查询 公证 "
    "法律援助 人民调解 税务登记 发票"
).split()
ACTIONS = ("设立登记 变更登记 注销登记 补办 换领 延续 申请 查询 审核 备案 核发 撤销 迁移 转移接续 待遇领取 "
           "年度报告 证明开具 信息更正 遗失补发 暂停").split()
QUALIFIERS = ("", "（个人）", "（企业）", "（市内）", "（跨省）", "（首次）", "（线上）", "（农村）", "（城镇）", "（港澳台居民）")
DEPARTMENTS = ("gongan", "renshe", "yibao", "shijian", "ziran", "minzheng", "jiaotong", "nongye", "wenlv", "sifa")


def generate_matters(n: int = 10_000, seed: int = 7) -> list[Matter]:
    """n distinct matters with names, some aliases, keywords, departments and popularity."""
    rng = random.Random(seed)
    combos = [(s, a, q) for s in SUBJECTS for a in ACTIONS for q in QUALIFIERS]
    rng.shuffle(combos)
    if n > len(combos):
        raise ValueError(f"at most {len(combos)} distinct matters")
    out = []
    for i, (s, a, q) in enumerate(combos[:n]):
        name = s + a + q
        aliases = [s[:2] + a[:2]] if rng.random() < 0.3 else []
        out.append(Matter(code=f"SYN-{i:05d}", name=name, department=DEPARTMENTS[i % len(DEPARTMENTS)],
                          summary=f"办理{name}。", levels=["city", "county"], aliases=aliases,
                          keywords=[s, a], steps=[Step("办理", "到窗口办理。")],
                          popularity=rng.randint(0, 100)))
    return out
