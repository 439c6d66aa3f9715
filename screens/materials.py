"""要带的材料: the checklist, and for each material a sample with numbered review points that
answer when tapped ("这里要本人签字"). For a theme, one list for all its matters."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from screens.widgets.base import KioskScreen, load_kv
from screens.widgets.guide_widgets import CalloutButton

load_kv(__file__)

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


class MaterialsScreen(KioskScreen):
    """What to bring, one material at a time, with an annotated sample and numbered callouts."""
    heading = StringProperty("")
    sample = StringProperty("")
    material_name = StringProperty("")
    point_text = StringProperty("")      # the review point last tapped
    points_text = StringProperty("")     # every review point, so none hides behind a tap
    selected = NumericProperty(-1)
    page = NumericProperty(0)
    pages = NumericProperty(1)
    can_speak = BooleanProperty(False)
    annotations = ListProperty([])
    count = NumericProperty(0)
    side_points = BooleanProperty(False)  # 长辈模式 in landscape: the points go under the list
    pic_cap_w = NumericProperty(10000)    # the sample's largest width and height on screen (materials.kv)
    pic_cap_h = NumericProperty(10000)

    # the sample's largest width and height as shares of the screen's short side (normal, 长辈模式): larger
    # in 长辈模式, and in normal mode within what 长辈模式's layout has room for, so that the sample is never
    # smaller there (landscape: the height binds; portrait: the width, which 长辈模式's wider margins cut)
    PIC_W = (0.86, 1.0)
    PIC_H = (0.48, 0.62)

    def on_kv_post(self, base_widget):
        self.ids.sample.bind(size=self._place_callouts, pos=self._place_callouts,
                             texture_size=self._place_callouts)
        self.app.bind(elderly=lambda *_: self.show_page(0))
        self.app.bind(elderly=self._fit_mode, portrait=self._fit_mode)
        Window.bind(size=self._fit_mode)
        self._fit_mode()

    def _fit_mode(self, *_args) -> None:
        """The sample's size and where the points go, for this mode and screen."""
        app = self.app
        self.side_points = bool(app.elderly and not app.portrait)
        mode = 1 if app.elderly else 0
        short = min(Window.size)
        self.pic_cap_w, self.pic_cap_h = short * self.PIC_W[mode], short * self.PIC_H[mode]

    def prepare(self, code: str = "", theme: str = "", **_kwargs) -> None:
        self.library = self.app.library
        self.can_speak = self.app.voice.available
        pack = self.library.pack
        t = next((t for t in pack.themes if t.id == theme), None) if theme else None
        if t is not None:
            self.materials = pack.theme_materials(t)
            self.heading = f"{t.name}：一次带齐"
        else:
            m = pack.by_code.get(code) or (pack.matters[0] if pack.matters else None)
            self.materials = list(m.materials) if m else []
            self.heading = f"{m.name}：要带的材料" if m else ""
        self.count = len(self.materials)
        self.show_page(0)
        self.select(0)

    @property
    def per_page(self) -> int:
        """Materials listed per page in this mode (长辈模式 in landscape: two, the points go under them)."""
        if self.app.elderly:
            return 3 if self.app.portrait else 2
        return 5

    def show_page(self, page: int) -> None:
        """Show list page `page`."""
        if not hasattr(self, "materials"):
            return
        per = self.per_page
        self.pages = max(1, -(-len(self.materials) // per))
        self.page = max(0, min(page, self.pages - 1))
        box = self.ids.mat_list
        box.clear_widgets()
        for i in range(self.page * per, min(len(self.materials), (self.page + 1) * per)):
            mat = self.materials[i]
            hint = mat.form_text + ("" if mat.required else "（有的情况才要）") + (f"。{mat.note}" if mat.note else "")
            item = Factory.GuideItem(text=f"{i + 1}. {mat.name}", hint=hint, key=str(i),
                                     badge="可以不带：机器能查到" if mat.e_certificate else "",
                                     selected=(i == self.selected))
            item.bind(on_release=lambda w: self.select(int(w.key)))
            box.add_widget(item)

    def select(self, index: int) -> None:
        """Show material `index` with its sample."""
        if not 0 <= index < len(self.materials):
            self.sample, self.material_name, self.annotations = "", "", []
            return
        self.selected = index
        mat = self.materials[index]
        self.material_name = mat.name
        self.sample = str(self.library.pack.asset(mat.sample)) if mat.sample else ""
        self.annotations = list(mat.annotations)
        self.points_text = "\n".join(f"{CIRCLED[a.n - 1] if a.n <= 10 else a.n} {a.text}" for a in mat.annotations)
        self.point_text = "点图上的数字，看看要注意什么。" if mat.annotations else \
            ("这个材料不用看样子，带上就行。" if not mat.sample else "")
        for item in self.ids.mat_list.children:
            item.selected = item.key == str(index)
        self._make_callouts()

    def _make_callouts(self) -> None:
        layer = self.ids.callouts
        layer.clear_widgets()
        for a in self.annotations:
            btn = CalloutButton(n=a.n)
            btn.a11y_text = f"第{a.n}个要点：{a.text}"     # what the keypad-and-voice ring reads
            btn.bind(on_release=lambda b: self.tap_point(b.n))
            layer.add_widget(btn)
        Clock.schedule_once(self._place_callouts, 0)

    def _place_callouts(self, *_args) -> None:
        """Put each tap target where the generator drew its number: fractions of the drawn picture."""
        image = self.ids.sample
        if not image.texture:
            return
        w, h = image.norm_image_size
        x0, y0 = image.center_x - w / 2, image.center_y - h / 2
        by_n = {a.n: a for a in self.annotations}
        for btn in self.ids.callouts.children:
            a = by_n.get(btn.n)
            if a is not None:
                btn.center = (x0 + a.x * w, y0 + (1 - a.y) * h)

    def tap_point(self, n: int) -> None:
        """A numbered callout was tapped: show (and read) what it says."""
        a = next((a for a in self.annotations if a.n == n), None)
        if a is None:
            return
        self.point_text = f"{CIRCLED[n - 1] if n <= 10 else n} {a.text}"
        for btn in self.ids.callouts.children:
            btn.selected = btn.n == n
        if self.can_speak:
            self.app.say(a.text)

    def on_leave(self, *_args) -> None:
        if getattr(self, "voice", None):
            self.app.voice.stop()

    @classmethod
    def tour_states(cls, app):
        return [("", {"code": "HZ-GA-001"}), ("-theme", {"theme": "newborn"})]
