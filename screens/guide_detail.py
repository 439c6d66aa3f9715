"""One guide: what you need to do, the steps with big pictures (read aloud on request), the facts
(time, fee, place, phones), 扫码带走 and 照此办理. A theme (一件事) shows its matters and one form."""
from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.image import Image
from kivy.uix.modalview import ModalView
from kivy.uix.widget import Widget

from kiosk.guides.share import matter_text, qr_png, theme_text
from screens import SCREENS
from screens.guide_detail_layout import SECTION_GAP, GuideDetailLayout
from screens.guides import matter_badge
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class QrPopup(ModalView):
    """扫码带走: the guide's text in a QR code, big enough for a phone at arm's length."""
    heading = StringProperty("")

    def show(self, png: bytes) -> None:
        """Open the popup with the QR code the citizen can scan with a phone (扫码带走)."""
        self.ids.qr.texture = CoreImage(io.BytesIO(png), ext="png").texture
        self.open(animation=False)


class GuideDetailScreen(GuideDetailLayout, KioskScreen):
    """One guide: what it is, the picture steps, what to bring, where and how long; 照此办理 and 扫码带走."""
    name_text = StringProperty("")
    summary = StringProperty("")
    facts = StringProperty("")           # the page of facts shown now
    fact_page = NumericProperty(0)
    fact_pages = NumericProperty(1)
    is_theme = BooleanProperty(False)
    step = NumericProperty(0)
    steps = NumericProperty(0)
    step_title = StringProperty("")
    step_text = StringProperty("")
    step_picture = StringProperty("")
    can_apply = BooleanProperty(False)
    can_speak = BooleanProperty(False)
    materials_count = NumericProperty(0)
    has_video = BooleanProperty(False)     # 真人讲解 (screens/video.py)
    has_story = BooleanProperty(False)     # 经典案例 as a picture story (screens/case_story.py)
    has_agencies = BooleanProperty(False)  # 中介超市 agencies whose work this matter needs (screens/agencies.py)
    summary_in_facts = BooleanProperty(False)              # 长辈模式: 您需要做什么 heads the facts
    side_pager = BooleanProperty(False)                    # 上一页 / 下一页 beside the facts, not under them

    def prepare(self, code: str = "", theme: str = "", **_kwargs) -> None:
        self.library = self.app.library
        self.can_speak = self.app.voice.available
        pack = self.library.pack
        self.matter = pack.by_code.get(code) if code else None
        self.theme = next((t for t in pack.themes if t.id == theme), None) if theme else None
        if self.matter is None and self.theme is None:   # nothing to show: fall back to browsing
            self.matter = pack.matters[0] if pack.matters else None
        self.is_theme = self.theme is not None
        m = self.matter if self.theme is None else None
        self.has_video = bool(m and m.video)
        self.has_story = bool(m and m.case and m.case.panels)
        self.has_agencies = bool(m and any(m.code in a.matters for a in pack.agencies))
        box = self.ids.theme_matters
        box.clear_widgets()
        if self.theme is not None:
            t = self.theme
            self.name_text, self.summary = t.name, t.summary
            mats = pack.theme_materials(t)
            self.materials_count = len(mats)
            self.can_apply = t.submit_at_terminal        # 一件事: one form, one 办件 (我要办 with theme=)
            self.step_picture = str(pack.asset(t.form)) if t.form else ""
            self.set_facts(self._theme_facts(t, mats))
            self.steps = 0
        elif self.matter is not None:
            m = self.matter
            self.name_text, self.summary = m.name, m.hint
            self.materials_count = len(m.materials)
            self.can_apply = m.submit_at_terminal
            self.steps = len(m.steps)
            self.show_step(0)
            self.set_facts(self._facts(m))
        self.ids.scroll.scroll_y = 1
        self._arrange()

    def _theme_list(self) -> None:
        """A theme's matters, in the order they are handled; 长辈模式 keeps each one's plain line only (all of
        them fit under the summary with the bigger words)."""
        box = self.ids.theme_matters
        box.clear_widgets()
        if self.theme is None:
            return
        for m in self.library.pack.theme_matters(self.theme):
            hint = m.hint.split("\n", 1)[0] if self.app.elderly else m.hint
            item = Factory.GuideItem(text=m.name, hint=hint, key=m.code, badge=matter_badge(m))
            item.bind(on_release=lambda w: self.app.go("guide_detail", code=w.key))
            box.add_widget(item)
        box.add_widget(Widget())   # keeps the list at the top

    # -- the text blocks --------------------------------------------------------------------
    def _facts(self, m) -> str:
        pack = self.library.pack
        dep = pack.departments.get(m.department)
        rows = [("办理时间", m.time_limit.text), ("收费", m.fee), ("在哪办", m.place), ("什么时候去", m.hours),
                ("结果怎么拿", "、".join(m.delivery)), ("要跑几次", "不用跑" if m.visits == 0 else f"{m.visits} 次"),
                ("哪个部门", f"{dep.name if dep else m.department}（{m.implementing_body}）"),
                ("问问题打", m.phone_ask), ("不满意打", m.phone_complain)]
        parts = ["\n".join(f"[b]{k}：[/b]{v}" for k, v in rows if v)]
        if m.conditions:
            parts.append("[b]谁能办：[/b]" + "".join(f"\n· {c}" for c in m.conditions))
        words = self._explained(m)
        if words:
            parts.append("[b]词语解释：[/b]" + "".join(f"\n· {w}：{e}" for w, e in words))
        for f in m.faq:
            parts.append(f"[b]问：{f.q}[/b]\n答：{f.a}")
        if m.case:
            parts.append(f"[b]办事故事：{m.case.title}[/b]\n{m.case.story}")
        parts.append("[b]依据：[/b]" + "；".join(m.legal_basis))
        if pack.notice:
            parts.append(pack.notice)
        return SECTION_GAP.join(parts)

    def _explained(self, m) -> list[tuple[str, str]]:
        """Jargon and matter words used in this guide, with their plain explanations."""
        pack = self.library.pack
        text = " ".join([m.summary, *m.conditions, *(s.text for s in m.steps), *(f.a for f in m.faq)])
        words = list(dict.fromkeys([*m.glossary, *pack.jargon]))
        return [(w, pack.explain(w, m)) for w in words if w in text and pack.explain(w, m)]

    def _theme_facts(self, t, mats) -> str:
        # the materials are one tap away (要带的材料); the form gets the room
        return (f"[b]一次带齐{len(mats)}样材料：[/b]点下面的「要带的材料」看是哪些。\n"
                "[b]只填一张表：[/b]右边是联办申请表的样子。")

    # -- steps ------------------------------------------------------------------------------
    def show_step(self, index: int) -> None:
        """Show picture step `index` of the guide."""
        if self.matter is None or not self.matter.steps:
            return
        self.step = max(0, min(index, len(self.matter.steps) - 1))
        s = self.matter.steps[self.step]
        self.step_title, self.step_text = s.title, s.text
        self.step_picture = str(self.library.pack.asset(s.picture)) if s.picture else ""

    def speak_step(self) -> None:
        """Read the step (or the theme) aloud."""
        if self.matter is not None and self.steps:
            self.app.say(f"第{self.step + 1}步，{self.step_title}。{self.step_text}")
        elif self.theme is not None:
            self.app.say(f"{self.theme.name}。{self.theme.summary}")

    def on_leave(self, *_args) -> None:
        if getattr(self, "voice", None):
            self.app.voice.stop()

    # -- actions ----------------------------------------------------------------------------
    def open_materials(self) -> None:
        """The materials with their annotated samples."""
        if self.theme is not None:
            self.app.go("materials", theme=self.theme.id)
        elif self.matter is not None:
            self.app.go("materials", code=self.matter.code)

    def where(self) -> None:
        """在哪里办: the nearest places that handle this matter (a 一件事: all of its matters), with the map and
        the route QR."""
        if self.theme is not None:
            self.app.go("where", theme=self.theme.id)
        elif self.matter is not None:
            self.app.go("where", code=self.matter.code)

    def share(self) -> None:
        """扫码带走: the guide as a QR code for the phone."""
        pack = self.library.pack
        text = theme_text(pack, self.theme) if self.theme else matter_text(pack, self.matter)
        popup = QrPopup(heading=self.name_text)
        popup.show(qr_png(text))
        self._popup = popup

    def apply(self) -> None:
        """照此办理: start the application flow for this matter (or the whole theme), or say it is not built yet."""
        from kiosk.services import by_key
        service = by_key("apply")
        start = {"theme": self.theme.id} if self.theme is not None else {"matter": self.matter.code}
        if service.screen is None or service.screen not in SCREENS:
            self.app.go("coming_soon", title=service.title, picto=service.picto)
        elif service.needs_identity and not self.session.identified and "identify" in SCREENS:
            self.app.go("identify", next=service.screen, next_kwargs=start)
        else:
            self.app.go(service.screen, **start)

    @classmethod
    def tour_states(cls, app):
        return [("", {"code": "HZ-GA-001"}), ("-theme", {"theme": "newborn"})]


Factory.register("QrPopup", cls=QrPopup)
__all__ = ["GuideDetailScreen", "QrPopup", "Image"]
