"""The services offered on the home screen: one tile each, with a pictogram and plain words.

`screen` names the screen that starts the flow (screens/__init__.py SCREENS); None means the flow is
not built yet, and the tile says so in plain words instead of failing.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    key: str
    title: str
    hint: str            # one short line under the title: what it does, in plain words
    picto: str           # kiosk/pictos.py name
    screen: str | None   # None: not built yet
    needs_identity: bool = False


SERVICES: tuple[Service, ...] = (
    Service("guide", "办事指南", "看看办事要带什么", "guide", "guides"),
    Service("apply", "我要办", "在这里提交申请", "apply", "apply", needs_identity=True),
    Service("tracking", "办件查询", "查查办到哪一步了", "tracking", "tracking"),
    Service("evaluation", "好差评", "给这次服务打个分", "evaluation", "evaluation"),
    Service("complaint", "吐槽找茬", "办不成事？告诉我们", "complaint", "complaint"),
    Service("postal", "邮政居家办", "材料和证件寄到家", "postal", "postal", needs_identity=True),
    Service("appointment", "预约取号", "约个时间，来了不排队", "appointment", "appointment"),
    Service("help", "呼叫帮办", "请工作人员来帮您", "help", "help"),
    Service("certificates", "证明打印", "社保、公积金等证明", "printer", "certificates", needs_identity=True),
    Service("idcopy", "身份证复印", "正反面印在一张纸上", "idcard", "idcopy"),
    Service("licences", "一码亮证", "看电子证照，打印复印件", "licence", "licences", needs_identity=True),
)


def by_key(key: str) -> Service:
    for service in SERVICES:
        if service.key == key:
            return service
    raise KeyError(key)
