"""Pictograms keep their look with mipmap levels made on the CPU (screens/widgets/picto_texture.py):
drawn at the sizes the screens use, they match what Kivy's own loader with the driver's glGenerateMipmap
draws, and one texture per file is shared by every Pictogram."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def _draw(texture, size: int):
    """The texture tinted like a pictogram, drawn at size x size over white; RGBA rows as a numpy array."""
    import numpy as np
    from kivy.graphics import ClearBuffers, ClearColor, Color, Fbo, Rectangle
    fbo = Fbo(size=(size, size))
    with fbo:
        ClearColor(1, 1, 1, 1)
        ClearBuffers()
        Color(0.05, 0.33, 0.65, 1)
        Rectangle(texture=texture, pos=(0, 0), size=(size, size))
    fbo.draw()
    return np.frombuffer(fbo.pixels, dtype=np.uint8).reshape(size, size, 4).astype(int)


@pytest.mark.parametrize("name", ["guide", "idcard", "face1", "elderly"])
def test_cpu_mipmaps_draw_like_the_drivers(kiosk_app, name):
    import numpy as np
    from kivy.core.image import Image as CoreImage
    from kiosk.picto_files import path
    from screens.widgets.picto_texture import mipmap_levels, mipmapped_texture
    levels = mipmap_levels(path(name))
    assert [(w, h) for _level, w, h, _data, _row in levels.iterate_mipmaps()] == \
        [(256 >> i, 256 >> i) for i in range(9)]
    drivers = CoreImage(path(name), mipmap=True, nocache=True).texture
    for size in (20, 42, 64, 100, 180):
        difference = np.abs(_draw(mipmapped_texture(path(name)), size) - _draw(drivers, size))
        assert difference.max() <= 3, f"{name} at {size}px differs by up to {difference.max()}"


def test_pictograms_share_one_texture_per_file(kiosk_app):
    app, ui = kiosk_app
    attract = app.sm.get_screen("attract")
    pictograms = [w for w in ui.find(root=attract, cls_name="Pictogram") if w.name]
    assert len(pictograms) >= 12
    by_file = {}
    for picto in pictograms:
        assert picto.texture is not None and picto.texture.min_filter == "linear_mipmap_nearest"
        by_file.setdefault(picto.source, set()).add(id(picto.texture))
    assert all(len(ids) == 1 for ids in by_file.values())
