"""Widgets of 我要办's paperwork steps: the live document-camera picture, the reviewed sample and the
signature pad. They show what the flow (kiosk/flows/paperwork.py) and the document camera say; the
only thing they keep is the newest frame's texture (gone when the step is left)."""
from __future__ import annotations

import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.image import Image
from kivy.uix.widget import Widget


def _drawn_rect(image: Image) -> tuple[float, float, float, float]:
    """Where an Image (fit_mode contain) draws its picture: x, y, width, height."""
    w, h = image.norm_image_size
    return image.center_x - w / 2, image.center_y - h / 2, w, h


class LivePage(FloatLayout):
    """The document camera's live picture with the found page outlined (green when good, orange
    while something is wrong) and a bar filling up towards the automatic shot."""

    texture = ObjectProperty(None, allownone=True)
    quad = ListProperty([])            # 8 numbers: the page's corners, 0..1 of the frame, top-left clockwise
    good = ObjectProperty(False)
    steady = NumericProperty(0.0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lock = threading.Lock()
        self._frame = None
        self._verdict = None
        self._draw = Clock.create_trigger(self._update)
        self.picture = Image(fit_mode="contain", size_hint=(1, 1), pos_hint={"x": 0, "y": 0})
        self.add_widget(self.picture)
        self.bind(quad=self._outline, good=self._outline, steady=self._outline, size=self._outline, pos=self._outline)

    def on_device_event(self, event: str, payload) -> None:
        """Driver thread: keep the newest frame and verdict, draw them on the next frame."""
        if event == "frame":
            with self._lock:
                self._frame = payload
            self._draw()
        elif event == "verdict":
            with self._lock:
                self._verdict = payload
            self._draw()

    def _update(self, _dt=None) -> None:
        with self._lock:
            frame, self._frame = self._frame, None
            verdict, self._verdict = self._verdict, None
        if frame is not None:
            h, w = frame.shape[:2]
            texture = self.texture
            if texture is None or texture.size != (w, h):
                texture = Texture.create(size=(w, h), colorfmt="bgr")
                texture.flip_vertical()
            texture.blit_buffer(frame.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
            self.texture = self.picture.texture = texture
            self.picture.canvas.ask_update()
        if verdict is not None:
            fw, fh = verdict.frame_size
            self.quad = [] if verdict.quad is None else [v for x, y in verdict.quad for v in (x / fw, y / fh)]
            self.good = not verdict.codes
            self.steady = verdict.steady

    def _outline(self, *_args) -> None:
        self.canvas.after.clear()
        if len(self.quad) != 8 or self.texture is None:
            return
        app = App.get_running_app()
        x0, y0, w, h = _drawn_rect(self.picture)
        points = []
        for i in range(4):
            points += [x0 + self.quad[2 * i] * w, y0 + (1 - self.quad[2 * i + 1]) * h]
        with self.canvas.after:
            Color(*(app.col_ok if self.good else app.col_warn))
            Line(points=points, close=True, width=dp(4))
            if self.good and self.steady > 0:
                Line(points=[x0, y0 + dp(6), x0 + w * self.steady, y0 + dp(6)], width=dp(6))

    def clear(self) -> None:
        """Forget the picture (the step is left)."""
        with self._lock:
            self._frame = self._verdict = None
        self.texture = self.picture.texture = None
        self.quad = []


class ReviewedSample(FloatLayout):
    """The guide's annotated sample with each numbered point in a green ring (holds), a red ring
    (does not) or grey (not checked); the words are beside it in the step, never colour alone."""

    source = StringProperty("")
    points = ListProperty([])          # [(x, y, n, ok)] with ok True / False / None
    max_height = NumericProperty(None, allownone=True)   # the picture's height at most (None: the widget's)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.picture = Image(fit_mode="contain", size_hint=(1, 1), pos_hint={"x": 0, "center_y": 0.5},
                             size_hint_max_y=self.max_height)
        self.add_widget(self.picture)
        self.bind(source=lambda *_: setattr(self.picture, "source", self.source))
        self.bind(max_height=lambda *_: setattr(self.picture, "size_hint_max_y", self.max_height))
        # the rings are drawn once the frame's layout has settled, where the picture really is: the picture is
        # laid out after this widget, and its drawn size (norm_image_size) after its own size and texture
        self._rings_soon = Clock.create_trigger(self._rings, -1)
        self.bind(points=self._rings_soon, size=self._rings_soon, pos=self._rings_soon)
        self.picture.bind(texture=self._rings_soon, size=self._rings_soon, pos=self._rings_soon,
                          norm_image_size=self._rings_soon)

    def _rings(self, *_args) -> None:
        self.canvas.after.clear()
        if not self.picture.texture:
            return
        app = App.get_running_app()
        x0, y0, w, h = _drawn_rect(self.picture)
        r = max(dp(22), min(w, h) / 16)
        for x, y, n, ok in self.points:
            cx, cy = x0 + x * w, y0 + (1 - y) * h
            colour = app.col_ok if ok is True else app.col_warn if ok is False else app.col_muted
            with self.canvas.after:
                Color(*colour)
                Line(circle=(cx, cy, r), width=dp(5))
                if ok is None:
                    continue
                bx, by, b = cx + r * 0.9, cy + r * 0.9, r * 0.5      # a badge: ✓ or ✗ drawn, not written
                Ellipse(pos=(bx - b, by - b), size=(2 * b, 2 * b))
                Color(1, 1, 1, 1)
                if ok:
                    Line(points=[bx - b * 0.5, by, bx - b * 0.1, by - b * 0.45, bx + b * 0.55, by + b * 0.45],
                         width=dp(3))
                else:
                    Line(points=[bx - b * 0.45, by - b * 0.45, bx + b * 0.45, by + b * 0.45], width=dp(3))
                    Line(points=[bx - b * 0.45, by + b * 0.45, bx + b * 0.45, by - b * 0.45], width=dp(3))


class SignaturePad(Widget):
    """Write with a finger: thick ink where the finger goes. `signature` (kiosk.forms.signature) gets
    each stroke in the pad's own units (top-left origin) when the finger lifts."""

    signature = ObjectProperty(None, allownone=True)
    ink_width = NumericProperty(dp(5))
    strokes_drawn = NumericProperty(0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._points: list[tuple[float, float]] = []
        self._line = None
        # drawn again once the frame's layout has settled: the pad is sized to the room left after it is
        # built, so strokes drawn at once would stay where the pad was (below it, over 重写)
        self._redraw_soon = Clock.create_trigger(self._redraw, -1)
        self.bind(size=self._redraw_soon, pos=self._redraw_soon, signature=self._redraw_soon)

    def _local(self, touch) -> tuple[float, float]:
        sw, sh = self.signature.size if self.signature is not None else (self.width, self.height)
        return ((touch.x - self.x) / max(1.0, self.width) * sw, (self.top - touch.y) / max(1.0, self.height) * sh)

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos) or self.signature is None:
            return super().on_touch_down(touch)
        touch.grab(self)
        self._points = [self._local(touch)]
        with self.canvas:
            Color(0.08, 0.16, 0.43, 1)
            self._line = Line(points=[touch.x, touch.y], width=self.ink_width, cap="round", joint="round")
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self or self._line is None:
            return super().on_touch_move(touch)
        if self.collide_point(*touch.pos):
            self._points.append(self._local(touch))
            self._line.points += [touch.x, touch.y]
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return super().on_touch_up(touch)
        touch.ungrab(self)
        if self.signature is not None and self._points:
            self.signature.add_stroke(self._points)
            self.strokes_drawn += 1
        self._points, self._line = [], None
        return True

    def _redraw(self, *_args) -> None:
        """Draw the signature's strokes (after a rebuild, 长辈模式 or a resize)."""
        self.canvas.clear()
        with self.canvas.before:
            Color(1, 1, 1, 1)
        self.canvas.before.clear()
        with self.canvas.before:
            Color(1, 1, 1, 1)
            from kivy.graphics import Rectangle
            Rectangle(pos=self.pos, size=self.size)
            Color(0.55, 0.58, 0.62, 1)
            Line(rectangle=(self.x, self.y, self.width, self.height), width=dp(2))
            Line(points=[self.x + dp(30), self.y + self.height * 0.25, self.right - dp(30), self.y + self.height * 0.25],
                 width=dp(1.5), dash_length=dp(10), dash_offset=dp(6))
        if self.signature is None:
            return
        sw, sh = self.signature.size
        with self.canvas:
            Color(0.08, 0.16, 0.43, 1)
            for stroke in self.signature.strokes:
                pts = [v for x, y in stroke for v in (self.x + x / sw * self.width, self.top - y / sh * self.height)]
                if len(pts) >= 4:
                    Line(points=pts, width=self.ink_width, cap="round", joint="round")
