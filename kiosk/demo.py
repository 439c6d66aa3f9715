"""Made-up data for the demo, the tour and the tests: never a real person."""
from __future__ import annotations

from devices.checkdigit import id_check_char
from kiosk.identity import Identity, IdentitySource


def demo_identity() -> Identity:
    """A made-up citizen with a valid-looking ID number (region 371702 = 牡丹区)."""
    first17 = "37170219580301002"
    return Identity(IdentitySource.ID_CARD, "张秀兰", first17 + id_check_char(first17),
                    details={"sex": "女", "nation": "汉", "address": "山东省菏泽市牡丹区示例路1号"})


def demo_elder_identity() -> Identity:
    """A made-up 82-year-old from a village of 曹县 (region 371721): the 高龄津贴 case of 免申即享."""
    first17 = "37172119440512004"
    return Identity(IdentitySource.ID_CARD, "刘桂英", first17 + id_check_char(first17),
                    details={"sex": "女", "nation": "汉", "birth": "19440512",
                             "address": "山东省菏泽市曹县青堌集镇示例村12号"})
