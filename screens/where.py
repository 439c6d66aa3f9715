"""在哪里办 (政务服务地图): the service points nearest this terminal that handle the matter — distance, open
now or not by the terminal's clock, 帮办代办 and 邮政居家办 — beside a map drawn from the pack's positions;
one place: its facts, a QR code that opens the route on the phone, and the hall's floor plan with
您在这里 and the window for the matter. A thin view of kiosk/service_map.py and kiosk/guides/draw_map.py.
"""
from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.guides.draw_map import floor_plan_png, map_png
from kiosk.service_map import ServiceMap
from screens.widgets import guide_widgets, qr_image  # noqa: F401  (register GuideItem and QRImage for the .kv)
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


def _texture(png: bytes):
    return CoreImage(io.BytesIO(png), ext="png").texture


class WhereScreen(KioskScreen):
    """The nearest places for a matter (or every place) with a map; one place with its route QR and plan."""
    code = StringProperty("")
    heading = StringProperty("")
    view = StringProperty("list")          # list | place
    page = NumericProperty(0)
    pages = NumericProperty(1)
    details = StringProperty("")
    route = StringProperty("")             # the map link in the QR code
    picture_words = StringProperty("")     # what the picture beside shows, in words
    has_plan = BooleanProperty(False)
    place_name = StringProperty("")

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show_page(self.page) if self.view == "list" else None)
        self.app.bind(elderly=self._arrange, portrait=self._arrange)
        self._arrange()

    def _arrange(self, *_args) -> None:
        """Landscape 长辈模式: the route QR under the picture, so every fact of the place stays in view."""
        row = self.ids.qr_row
        target = self.ids.picture_panel if (self.app.elderly and not self.app.portrait) else self.ids.place_box
        if row.parent is not target:
            row.parent.remove_widget(row)
            target.add_widget(row)          # last: under the facts, or under the picture's words

    @property
    def per_page(self) -> int:
        """Places per page in this mode."""
        return 3 if self.app.elderly else 4

    def prepare(self, code: str = "", place: str = "", theme: str = "", **_kwargs) -> None:
        """`code`: a matter; `theme`: a 一件事 (the places that handle all of its matters); neither: every place."""
        pack = self.app.library.pack
        self.smap = ServiceMap.from_settings(self.app.settings, pack.places)
        one = next((t for t in pack.themes if t.id == theme), None) if theme else None
        codes = tuple(c for c in one.matters if c in pack.by_code) if one else ()
        self.code = codes[0] if codes else code if code in pack.by_code else ""   # its window on the plan
        matter = pack.by_code.get(self.code)
        self.title = f"在哪里办：{one.name}" if one else f"在哪里办：{matter.name}" if matter else "政务服务网点"
        self.nearby = self.smap.nearest(self.code, codes=codes)
        self.heading = (f"离这里最近、这几件事一次都能办的 {len(self.nearby)} 个地方" if one
                        else f"离这里最近、能办这件事的 {len(self.nearby)} 个地方" if matter
                        else f"全市政务服务网点，离这里近的在前（共 {len(self.nearby)} 个）")
        if place and self.smap.place(place):
            self.show_place(place)
        else:
            self.show_list()

    # -- the list and the map ------------------------------------------------------------------
    def show_list(self) -> None:
        """The places, nearest first, beside the map."""
        self.view = "list"
        self.show_page(0)

    def show_page(self, page: int) -> None:
        """List page `page`; the map numbers the places of this page."""
        if not hasattr(self, "nearby"):
            return
        per = self.per_page
        self.pages = max(1, -(-len(self.nearby) // per))
        self.page = max(0, min(page, self.pages - 1))
        shown = self.nearby[self.page * per:(self.page + 1) * per]
        box = self.ids.place_list
        box.clear_widgets()
        for i, n in enumerate(shown, start=self.page * per + 1):
            item = Factory.GuideItem(text=f"{i}. {n.place.name}", key=n.place.id,
                                     hint=f"{n.distance_text}　{n.status}", badge=n.place.level_name)
            item.bind(on_release=lambda w: self.show_place(w.key))
            box.add_widget(item)
        if not shown:
            box.add_widget(Factory.KLabel(text="内容包里没有能办这件事的网点，请问工作人员。"))
        first = self.page * per
        numbered = [n.place for n in shown]
        png = map_png(self.smap.places, self.smap.position, numbered=numbered)
        self.ids.picture.texture = _texture(png)
        side = "上面" if self.app.portrait else "左边"     # the list is above the map in portrait
        self.picture_words = (f"地图：红色的针是您在这里，数字是{side}的第 {first + 1}–{first + len(shown)} 个地方"
                              if shown else "地图：红色的针是您在这里")

    # -- one place -------------------------------------------------------------------------------
    def show_place(self, place_id: str) -> None:
        """One place: its facts and route QR; the floor plan (city and county halls) or the map."""
        n = next((x for x in self.nearby if x.place.id == place_id), None)
        if n is None:
            return
        p = n.place
        self.view = "place"
        self.ids.place_list.clear_widgets()     # hidden items would still catch taps (disabled widgets do)
        self.place_name = f"{p.name}（{p.level_name}）"
        rows = [f"[b]离这里：[/b]{n.distance_text}",
                f"[b]{'现在开门' if n.is_open else '现在没开门'}：[/b]{n.status.split('，', 1)[-1]}",
                f"[b]开门时间：[/b]{p.hours.text}", f"[b]地址：[/b]{p.address}", f"[b]电话：[/b]{p.phone}",
                n.services_text]
        window = p.plan.window_for(self.code) if p.plan and self.code else None
        if window is not None:
            rows.insert(1, f"[b]请到 {window.number} 号窗口[/b]（{window.label}，{p.plan.floor}）")
        self.details = "\n".join(rows)
        self.ids.details_scroll.scroll_y = 1
        self.route = self.smap.route_url(p)
        self.has_plan = p.plan is not None
        if p.plan is not None:
            png = floor_plan_png(p, self.code, here=n.here)
            self.picture_words = "大厅平面图：" + ("红色的针是您在这里，" if n.here else "从大门进去，") + \
                (f"橙色的是 {window.number} 号窗口" if window else "数字是窗口号")
        else:
            png = map_png(self.smap.places, self.smap.position, numbered=[p])
            self.picture_words = "地图：红色的针是您在这里，1 是这个地方"
        self.ids.picture.texture = _texture(png)

    def back_to_list(self) -> None:
        """From one place back to the list, on the page it was on."""
        self.view = "list"
        self.show_page(self.page)

    @classmethod
    def tour_states(cls, app):
        return [("", {"code": "HZ-GA-001"}), ("-place", {"code": "HZ-GA-001", "place": "city_hall"}),
                ("-village", {"code": "HZ-MZ-001", "place": "zhangzhuang_village"}), ("-all", {}),
                ("-theme", {"theme": "newborn"})]
