"""Home: 您可能可以享受 first once the citizen identified (免申即享), then a tile per service, paged
(fewer, larger tiles and one benefit card, the biggest, in 长辈模式)."""
from __future__ import annotations

import threading

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import NumericProperty

from kiosk import wording as W
from kiosk.services import SERVICES
from screens import SCREENS
from screens.benefits import claim_button
from screens.widgets.base import KioskScreen, load_kv

load_kv(__file__)


class HomeScreen(KioskScreen):
    """The benefits band, then one tile per service, paged so that no tile hides below a scroll."""
    page = NumericProperty(0)
    pages = NumericProperty(1)
    shown_matches = NumericProperty(0)   # benefit cards on the band now (tiles make room for them)

    _stale = False                       # 长辈模式 changed while another screen was shown

    def on_kv_post(self, base_widget):
        self._exit_button = self.ids.exit.__self__   # strong ref: it leaves the tree in 长辈模式
        self._page_bar = self.ids.pagebar.__self__   # and this one while there is one page
        self.app.bind(elderly=lambda *_: self._mode_changed())
        self.show_all()

    def _mode_changed(self) -> None:
        """长辈模式 switched: the tiles follow now if home is on the screen, else when it is shown again
        (showing the band opens the benefits flow, which must not replace the flow the citizen is in)."""
        if self.manager is not None and self.manager.current == self.name:
            self.show_all()
        else:
            self._stale = True

    def on_pre_enter(self, *_args) -> None:
        if self._stale:          # back to home (app.back() does not prepare) after the mode changed
            self.show_all()

    def prepare(self, **kwargs) -> None:
        self.show_all()
        self.ask_platform()

    def show_all(self) -> None:
        """The benefits band, then the first page of tiles (fewer when the band takes room)."""
        self._stale = False
        self.show_benefits()
        self.show_page(0)

    def clear_personal(self) -> None:
        self.ids.band.clear_widgets()
        self.shown_matches = 0

    @property
    def per_page(self) -> int:
        """Tiles per page: every service on the first page (a person should not have to know that there
        is a second page to find 预约取号 or 呼叫帮办); the benefit cards of normal mode take one row."""
        return len(SERVICES)

    @property
    def cols(self) -> int:
        """Tile columns in this mode and orientation."""
        if self.app.portrait:
            return 2
        # normal mode: 4 columns give the 11 services the same 3 rows as 5 would, and tiles wide enough for
        # their hint on one line (at 5, 吐槽找茬's hint took two lines and pushed its title onto the border)
        return 3 if self.app.elderly else 4

    def show_page(self, page: int) -> None:
        """Show tile page `page` (长辈模式: 办完了，退出 as the last tile, all on one page)."""
        per = self.per_page
        self.pages = max(1, -(-len(SERVICES) // per))
        self.page = max(0, min(page, self.pages - 1))
        grid = self.ids.tiles
        grid.clear_widgets()
        grid.cols = self.cols
        elderly = self.app.elderly
        for service in SERVICES[self.page * per:(self.page + 1) * per]:
            ready = service.screen is not None and service.screen in SCREENS
            tile = Factory.ServiceTile(key=service.key, text=service.title, hint=service.hint,
                                       picto=service.picto, ready=ready)
            tile.bind(on_release=lambda t: self.app.start_service(t.key))
            grid.add_widget(tile)
        for detached in (self._exit_button, self._page_bar):
            if detached.parent is not None:
                detached.parent.remove_widget(detached)
        if self.pages > 1:
            grid.parent.add_widget(self._page_bar)
        exit_button = self._exit_button
        if elderly:
            tile = Factory.ServiceTile(key="exit", text=W.FINISH, hint="结束，清除您的信息", picto="back")
            tile.bind(on_release=lambda _t: self.app.end_session())
            grid.add_widget(tile)
        else:
            grid.parent.add_widget(exit_button)

    # -- 您可能可以享受 -----------------------------------------------------------------------------
    def _flow(self):
        terminal = self.app.terminal
        return terminal.current_flow("benefits") or terminal.open_flow("benefits")

    def ask_platform(self) -> None:
        """Ask the platform for the facts the policies need, once per visit, off the UI thread."""
        session = self.app.session
        if not session.identified or "benefits" not in SCREENS:
            return
        flow = self._flow()
        if flow.asked:
            return

        def work():
            flow.refresh()          # never raises; keeps the answer in the session
            Clock.schedule_once(lambda _dt: self.show_all() if self.manager and self.manager.current == self.name
                                else None, 0)
        threading.Thread(target=work, name="benefit-facts", daemon=True).start()

    def show_benefits(self) -> None:
        """The biggest matches as cards, biggest first: the benefit, 为什么我能享受 and one button (确认领取 /
        去申请). 长辈模式: only the biggest, with 看全部 on its card (the larger tiles need the room)."""
        band = self.ids.band
        band.clear_widgets()
        self.shown_matches = 0
        if not self.app.session.identified or "benefits" not in SCREENS:
            return
        flow = self._flow()
        matches = flow.matches()
        if not flow.asked:
            matches = [m for m in matches if m.sure]   # the platform has not answered yet: nothing to doubt
        if not matches:
            return
        app = self.app
        shown = matches[:1] if app.elderly else matches[:2]
        more = None
        if len(matches) > len(shown):
            more = Factory.BigButton(text=f"看全部{len(matches)}项", primary=False)
            more.bind(on_release=lambda _b: app.go("benefits"))
        if app.elderly:
            band.add_widget(self._card(shown[0], more, kicker="您可能可以享受：", wide=not app.portrait))
            self.shown_matches = 1
            return
        head = Factory.BoxLayout(size_hint_y=None, height=app.target_h, spacing=app.pad)
        title = Factory.Label(text=f"您可能可以享受（{len(matches)}项）", color=app.col_fg, bold=True,
                              font_size=app.fs_button, halign="left", valign="middle")
        title.bind(size=lambda w, *_: setattr(w, "text_size", w.size))
        head.add_widget(title)
        if more is not None:
            more.size_hint_x, more.width = None, app.fs_button * 7
            head.add_widget(more)
        band.add_widget(head)
        row = Factory.BoxLayout(orientation="vertical" if app.portrait else "horizontal",
                                spacing=app.pad * 0.6, size_hint_y=None)
        row.bind(minimum_height=row.setter("height"))
        for m in shown:          # left to right (top to bottom in portrait): the biggest first
            row.add_widget(self._card(m))
        band.add_widget(row)
        self.shown_matches = len(shown)

    def _card(self, match, more=None, kicker: str = "", wide: bool = False):
        """A match's card. `kicker` (长辈模式) starts its name line; `wide` (长辈模式, landscape): the words
        on the left, the buttons on their right, so that the card takes one row and the tiles keep their size."""
        app = self.app
        policy = match.policy
        card = Factory.BenefitCard()
        card.policy_id = policy.id
        words = card
        if kicker:   # 长辈模式's one card: close together, the tiles below need the room
            card.spacing = app.pad * 0.4
        if wide:
            card.orientation, card.padding, card.spacing = "horizontal", (app.pad * 0.5, app.pad * 0.25), app.pad
            words = Factory.BoxLayout(orientation="vertical", size_hint_y=None,
                                      pos_hint={"center_y": 0.5})
            words.bind(minimum_height=words.setter("height"))
            card.add_widget(words)
        amount = policy.amount.text if policy.amount else ""
        if kicker:   # the amount starts the sentence: the name line stays one line, beside the buttons too
            head, sentence = kicker + policy.name, (amount + "。" if amount else "") + policy.benefit
        else:
            head, sentence = kicker + policy.name + ("　" + amount if amount else ""), policy.benefit
        name = Factory.KLabel(text=head)
        name.font_size, name.bold = app.fs_button, True
        words.add_widget(name)
        words.add_widget(Factory.KLabel(text=sentence))
        if match.check_words:
            words.add_widget(Factory.KLabel(text=match.check_words, color=app.col_muted))
        buttons = Factory.BoxLayout(size_hint_y=None, height=app.target_h, spacing=app.pad * 0.6)
        if wide:
            buttons.size_hint_x, buttons.pos_hint = None, {"center_y": 0.5}
            buttons.bind(minimum_width=buttons.setter("width"))
        why = Factory.BigButton(text="为什么我能享受", primary=False)
        why.bind(on_release=lambda _b: app.go("benefits", why=policy.id))
        act = claim_button(app, self._flow(), match)
        for button in (why, act, more):
            if button is None:
                continue
            if kicker:   # as wide as its words: three in a row, in portrait too
                button.size_hint_x, button.padding, button.spacing = None, (app.pad * 0.5, 0), app.pad * 0.2
                button.bind(minimum_width=button.setter("width"))
            buttons.add_widget(button)
        card.add_widget(buttons)
        return card

    @classmethod
    def tour_states(cls, app):
        def with_matches(app):
            from kiosk.demo import demo_elder_identity
            app.identified(demo_elder_identity())
            app.terminal.open_flow("benefits").refresh()
            app.go("home")
        return [("", {}), ("-identified", {"_identify_demo": True}), ("-benefits", with_matches)]
