"""A QR code (segno) shown as a Kivy image, for 扫码带走: the citizen's phone takes it along."""
from __future__ import annotations

import io

import segno
from kivy.core.image import Image as CoreImage
from kivy.properties import StringProperty
from kivy.uix.image import Image


class QRImage(Image):
    """A QR code drawn from `text` (segno), crisp at any size."""
    data = StringProperty("")

    def on_data(self, _instance, value):
        if not value:
            self.texture = None
            return
        buf = io.BytesIO()
        segno.make(value, error="m").save(buf, kind="png", scale=10, border=2)
        buf.seek(0)
        self.texture = CoreImage(buf, ext="png").texture
        self.texture.mag_filter = "nearest"
