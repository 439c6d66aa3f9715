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


def test_levels_come_back_from_the_cache_as_made_and_a_changed_picture_is_made_again(kiosk_app, tmp_path,
                                                                                     monkeypatch):
    import shutil
    from kiosk.picto_files import path
    from screens.widgets import picto_texture
    monkeypatch.setattr(picto_texture, "CACHE_DIR", tmp_path / "cache")
    picture = tmp_path / "guide.png"
    shutil.copy(path("guide"), picture)

    def levels(data):
        return [(w, h, bytes(pixels)) for _level, w, h, pixels, _row in data.iterate_mipmaps()]
    made = levels(picto_texture.mipmap_levels(str(picture)))
    assert levels(picto_texture.cached_levels(str(picture))) == made          # made, and kept
    assert len(list((tmp_path / "cache").glob("guide-*.mip"))) == 1
    assert levels(picto_texture.cached_levels(str(picture))) == made          # read back
    shutil.copy(path("idcard"), picture)                                      # the picture changes
    import os
    os.utime(picture, ns=(1, 1))
    assert levels(picto_texture.cached_levels(str(picture))) == levels(picto_texture.mipmap_levels(path("idcard")))
    assert len(list((tmp_path / "cache").glob("guide-*.mip"))) == 1           # the stale file is gone
    cache = next((tmp_path / "cache").glob("guide-*.mip"))
    cache.write_bytes(cache.read_bytes()[:1000])                              # a file cut short: made again
    assert levels(picto_texture.cached_levels(str(picture))) == levels(picto_texture.mipmap_levels(path("idcard")))
    import numpy as np
    from kivy.core.image import Image as CoreImage
    assert picto_texture.cached_levels(str(picture))    # in the cache now: the texture is made from the file
    drivers = CoreImage(str(picture), mipmap=True, nocache=True).texture
    for size in (42, 100):
        difference = np.abs(_draw(picto_texture.mipmapped_texture(str(picture)), size) - _draw(drivers, size))
        assert difference.max() <= 3
