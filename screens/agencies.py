"""中介超市: intermediary agencies from the content pack (the platform's market catalogue), by service
(测绘, 评估, 设计 …) with qualification, promised time, fee standard and rating; one agency's details go
to the phone as a QR code (扫码带走). Read only: the terminal signs no contract (kiosk/guides/agencies.py)."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ListProperty, NumericProperty, StringProperty

from kiosk.guides.agencies import SERVICES
from screens.widgets import guide_widgets, qr_image  # noqa: F401  (register GuideItem and QRImage for the .kv)
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class AgenciesScreen(KioskScreen):
    """Agencies by service, best rated first; one agency with its QR code."""
    service = StringProperty("")           # "" = every service
    view = StringProperty("list")          # list | agency
    services = ListProperty([])            # [(key, word)] of the services the pack has
    page = NumericProperty(0)
    pages = NumericProperty(1)
    details = StringProperty("")
    share = StringProperty("")             # the text in the QR code
    agency_name = StringProperty("")

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show_page(self.page) if self.view == "list" else None)

    @property
    def per_page(self) -> int:
        """Agencies per page in this mode (长辈模式 in landscape: two, as three ran up under the top bar)."""
        return (3 if self.app.portrait else 2) if self.app.elderly else 5

    def prepare(self, service: str = "", code: str = "", agency: str = "", **_kwargs) -> None:
        pack = self.app.library.pack
        matter = pack.by_code.get(code)
        self.all = [a for a in pack.agencies if matter is None or code in a.matters]
        self.title = f"中介超市：{matter.name}" if matter else "中介超市"
        present = {a.service for a in self.all}
        self.services = [("", "全部")] + [(k, w) for k, w in SERVICES.items() if k in present]
        self.service = service if service in present else ""
        if agency and any(a.id == agency for a in self.all):
            self.show_agency(agency)
        else:
            self.choose(self.service)

    def on_services(self, _instance, services) -> None:
        tabs = self.ids.tabs
        tabs.clear_widgets()
        for key, word in services:
            button = Factory.BigButton(text=word, primary=key == self.service, size_hint_y=1)
            button.bind(on_release=lambda _b, k=key: self.choose(k))
            tabs.add_widget(button)

    def on_service(self, _instance, service) -> None:
        for button, (key, _word) in zip(reversed(self.ids.tabs.children), self.services):
            button.primary = key == service

    def choose(self, service: str) -> None:
        """Show the agencies of one service (or all)."""
        self.service = service
        self.view = "list"
        self.show_page(0)

    def _shown(self) -> list:
        return sorted((a for a in self.all if not self.service or a.service == self.service),
                      key=lambda a: (-a.rating, a.promised_days, a.name))

    def show_page(self, page: int) -> None:
        """List page `page`."""
        if not hasattr(self, "all"):
            return
        items = self._shown()
        per = self.per_page
        self.pages = max(1, -(-len(items) // per))
        self.page = max(0, min(page, self.pages - 1))
        box = self.ids.agency_list
        box.clear_widgets()
        for a in items[self.page * per:(self.page + 1) * per]:
            item = Factory.GuideItem(text=a.name, key=a.id, badge=f"{a.service_name}　{a.stars}",
                                     hint=f"承诺 {a.promised_days} 个工作日　{a.fee}")
            item.bind(on_release=lambda w: self.show_agency(w.key))
            box.add_widget(item)
        if not items:
            box.add_widget(Factory.KLabel(text="这件事暂时没有可选的中介机构。"))

    def show_agency(self, agency_id: str) -> None:
        """One agency: everything about it and its details as a QR code."""
        a = next(x for x in self.all if x.id == agency_id)
        self.view = "agency"
        self.ids.agency_list.clear_widgets()    # hidden items would still catch taps (disabled widgets do)
        self.agency_name = a.name
        rows = [("服务", a.service_name), ("资质", a.qualification), ("承诺时限", f"{a.promised_days} 个工作日"),
                ("收费标准", a.fee), ("评分", f"{a.stars}（满分5分）"), ("电话", a.phone), ("地址", a.address)]
        self.details = "\n".join(f"[b]{k}：[/b]{v}" for k, v in rows if v)
        self.share = a.share_text()

    def back_to_list(self) -> None:
        """From one agency back to the list."""
        self.view = "list"
        self.show_page(self.page)

    @classmethod
    def tour_states(cls, app):
        return [("", {}), ("-agency", {"agency": "survey_heyuan"}), ("-matter", {"code": "HZ-ZR-001"})]
