"""Where the household (户口) is, read from the place names at the head of a card's address.

The address on a 居民身份证 is where the household is registered (常住户口所在地) and changes with it; the
first six digits of the ID number say where the person was first registered and never change, so they
are never used for this. The address is read from its head, level by level — province, then city, then
county — as far as the names are known here (every province; the cities of 山东; the counties and
districts of 菏泽), so that a street named 济南路 further on is not taken for 济南.

`region_of()` gives the known digits: 6 for a county, 4 for a city, 2 for a province; None when the head of
the address names no known place. `candidates()` lists the 6-digit codes a place known only to its first
digits could have, so that a rule is decided only when every one of them gives the same answer.
"""
from __future__ import annotations

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}
CITIES = {      # 山东 (GB/T 2260); 3712 莱芜市 became 济南's 莱芜区 and 钢城区 in 2019
    "3701": "济南市", "3702": "青岛市", "3703": "淄博市", "3704": "枣庄市", "3705": "东营市", "3706": "烟台市",
    "3707": "潍坊市", "3708": "济宁市", "3709": "泰安市", "3710": "威海市", "3711": "日照市", "3713": "临沂市",
    "3714": "德州市", "3715": "聊城市", "3716": "滨州市", "3717": "菏泽市",
}
COUNTIES = {    # 菏泽
    "371702": "牡丹区", "371703": "定陶区", "371721": "曹县", "371722": "单县", "371723": "成武县",
    "371724": "巨野县", "371725": "郓城县", "371726": "鄄城县", "371728": "东明县",
}
# older names still printed on cards issued before the change
ALIASES = {"莱芜市": "3701", "定陶县": "371703"}

_SUFFIXES = ("维吾尔自治区", "回族自治区", "壮族自治区", "特别行政区", "自治区", "省", "市", "区", "县")


def _short(name: str) -> str:
    """菏泽市 → 菏泽, 内蒙古自治区 → 内蒙古; a one-character county (曹县, 单县) keeps its 县."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[:-len(suffix)]
    return name


def _names(table: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(name, code, short), the full names, older names and short forms, longest first (东明县 before 东明)."""
    width = len(next(iter(table)))
    full = [(name, code) for code, name in table.items()]
    full += [(name, code) for name, code in ALIASES.items() if len(code) == width]
    triples = {(name, code, False) for name, code in full}
    triples |= {(_short(name), code, True) for name, code in full if _short(name) != name}
    return sorted(triples, key=lambda t: -len(t[0]))


_LEVELS = [_names(PROVINCES), _names(CITIES), _names(COUNTIES)]


def _take(text: str, level: int, within: str) -> tuple[str, str] | None:
    """The place of `level` at the head of `text` under the code `within`: (its code, the rest of the text)."""
    for name, code, short in _LEVELS[level]:
        if code.startswith(within) and text.startswith(name):
            rest = text[len(name):]
            if short:                     # 菏泽 read as the short name: a 市 after it goes too
                rest = next((rest[len(s):] for s in _SUFFIXES if rest.startswith(s)), rest)
            return code, rest
    return None


def region_of(address: str) -> str | None:
    """The digits of the region the address names (2, 4 or 6), None when its head names no known place.

    A card may leave out the province or the city (山东省曹县…, 曹县…): the next level is read then."""
    text = "".join((address or "").split())
    known = ""
    for level in range(3):
        got = _take(text, level, known)
        if got is None:
            if level == 0:
                continue          # no province named: a city or county of 山东 may still head the address
            if level == 1 and known in ("", "37"):
                continue          # 山东省曹县…: no city named
            break
        known, text = got
    return known or None


def candidates(known: str) -> list[str]:
    """The 6-digit codes a region known to `known` digits may have: the listed places under it, the
    place itself, and "X" digits for one not listed here. A 6-digit code is its only candidate."""
    if len(known) >= 6:
        return [known[:6]]
    listed = {code for table in (CITIES, COUNTIES) for code in table if code.startswith(known) and code != known}
    return sorted({code.ljust(6, "0") for code in listed} | {known.ljust(6, "0"), known.ljust(6, "X")})
