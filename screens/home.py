"""Home: a tile per service, paged (fewer, larger tiles in 长辈模式)."""
from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import NumericProperty

from kiosk.services import SERVICES
from screens import SCREENS
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    """One tile per service, paged so that no tile hides below a scroll."""
    page = NumericProperty(0)
    pages = NumericProperty(1)

    def on_kv_post(self, base_widget):
        self.app.bind(elderly=lambda *_: self.show_page(0))
        self.show_page(0)

    def prepare(self, **kwargs) -> None:
        self.show_page(0)

    @property
    def per_page(self) -> int:
        """Tiles per page in this mode and orientation."""
        return 4 if self.app.elderly else 8

    @property
    def cols(self) -> int:
        """Tile columns in this mode and orientation."""
        if self.app.portrait:
            return 1 if self.app.elderly else 2
        return 2 if self.app.elderly else 4

    def show_page(self, page: int) -> None:
        """Show tile page `page`."""
        per = self.per_page
        self.pages = max(1, -(-len(SERVICES) // per))
        self.page = max(0, min(page, self.pages - 1))
        grid = self.ids.tiles
        grid.clear_widgets()
        grid.cols = self.cols
        for service in SERVICES[self.page * per:(self.page + 1) * per]:
            ready = service.screen is not None and service.screen in SCREENS
            tile = Factory.ServiceTile(key=service.key, text=service.title, hint=service.hint,
                                       picto=service.picto, ready=ready)
            tile.bind(on_release=lambda t: self.app.start_service(t.key))
            grid.add_widget(tile)

    @classmethod
    def tour_states(cls, app):
        return [("", {}), ("-identified", {"_identify_demo": True})]
