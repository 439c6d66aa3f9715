"""Textures of the pictograms with their mipmap levels computed on the CPU, one per file, shared.

Kivy 2.3's loader uploads the base image and asks the GL driver for the mipmap levels
(glGenerateMipmap). On the software GL of a terminal without a GPU (Mesa llvmpipe) the first such
call compiles a blit pipeline: 150-600 ms, all of it before the attract screen's first frame (bench/
cold_start.py). Here the PNG is decoded by the same SDL2 loader Kivy uses, the levels are the same 2x2
box filter per channel that the driver applies (Pillow's `reduce`; Pillow is loaded by Kivy's image
providers anyway), and they are uploaded as the texture's levels, so the driver never generates any.
"""
from __future__ import annotations

from kivy.core.image import ImageData, ImageLoader
from kivy.graphics.texture import Texture
from PIL import Image as PILImage

_TEXTURES: dict[str, Texture] = {}


def _decode_rgba(path: str) -> tuple[int, int, bytes]:
    """(width, height, RGBA bytes with rows top to bottom) of the picture at `path`."""
    try:   # Kivy's own (SDL2) loader: already loaded, faster than Pillow's PNG plugin
        data = ImageLoader.load(path, keep_data=True, nocache=True)._data[0]
        if data.fmt == "rgba" and data.rowlength in (0, data.width * 4):
            return data.width, data.height, bytes(data.data)
    except (AttributeError, IndexError):   # another loader or Kivy version: Pillow decodes it
        pass
    with PILImage.open(path) as opened:
        rgba = opened.convert("RGBA")
    return rgba.width, rgba.height, rgba.tobytes()


def mipmap_levels(path: str) -> ImageData:
    """The RGBA picture at `path` with every mipmap level down to 1x1 (rows top to bottom, as Kivy's
    loaders give them; the texture is flipped for GL).

    Each level averages 2x2 texels of the one above, every channel on its own (not premultiplied by
    alpha), which is what the driver's glGenerateMipmap gives; so the pictograms look as they did. The
    bytes go through Pillow as 4 plain channels ("CMYK"): Pillow's `reduce` of an "RGBA" image would
    premultiply and change the edges' colour."""
    width, height, pixels = _decode_rgba(path)
    data = ImageData(width, height, "rgba", pixels, source=path)
    image = PILImage.frombytes("CMYK", (width, height), pixels)
    level = 0
    while image.width > 1 or image.height > 1:
        level += 1
        image = image.reduce((2 if image.width > 1 else 1, 2 if image.height > 1 else 1))
        data.add_mipmap(level, image.width, image.height, image.tobytes(), 0)
    return data


def mipmapped_texture(path: str) -> Texture:
    """The texture of the pictogram file `path` (made once, then shared by every Pictogram)."""
    texture = _TEXTURES.get(path)
    if texture is None:
        levels = mipmap_levels(path)

        def upload(texture: Texture) -> None:   # Kivy calls it when the texture is first bound
            for level, width, height, data, _rowlength in levels.iterate_mipmaps():
                texture.blit_buffer(data, size=(width, height), colorfmt="rgba", mipmap_level=level,
                                    mipmap_generation=False)

        # mipmap=False on purpose: Kivy 2.3 calls glGenerateMipmap after every upload into a texture
        # made with mipmap=True, given levels or not; the filter below samples the levels uploaded here
        texture = Texture.create(size=levels.size, colorfmt="rgba", mipmap=False, callback=upload)
        texture.min_filter = "linear_mipmap_nearest"
        texture.flip_vertical()
        _TEXTURES[path] = texture
    return texture
