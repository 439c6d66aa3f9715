"""Textures of the pictograms with their mipmap levels computed on the CPU, one per file, shared.

Kivy 2.3's loader uploads the base image and asks the GL driver for the mipmap levels
(glGenerateMipmap). On the software GL of a terminal without a GPU (Mesa llvmpipe) the first such
call compiles a blit pipeline: 150-600 ms, all of it before the attract screen's first frame (bench/
cold_start.py). Here the PNG is decoded by the same SDL2 loader Kivy uses, the levels are the same 2x2
box filter per channel that the driver applies (Pillow's `reduce`; Pillow is loaded by Kivy's image
providers anyway), and they are uploaded as the texture's levels, so the driver never generates any.
"""
from __future__ import annotations

import os
import struct
from pathlib import Path

from kivy import kivy_home_dir
from kivy.core.image import ImageData, ImageLoader
from kivy.graphics.texture import Texture
from PIL import Image as PILImage

_TEXTURES: dict[str, Texture] = {}
CACHE_DIR = Path(kivy_home_dir) / "picto-mipmaps"   # Kivy's home: data_dir/kivy on a terminal (private)
_MAGIC = b"KMIP1"


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


def _cache_file(path: str) -> Path:
    stat = os.stat(path)
    return CACHE_DIR / f"{Path(path).stem}-{stat.st_size}-{stat.st_mtime_ns}.mip"


def cached_levels(path: str) -> ImageData:
    """`mipmap_levels(path)`, kept from one start to the next in a file of raw levels under Kivy's home
    (named by the picture's size and time, so a changed picture is made again). Decoding the PNG and
    reducing it cost ~1.5 ms a pictogram, a third of them before the attract screen's first frame;
    reading the levels back costs a tenth of that."""
    try:
        cache = _cache_file(path)
    except OSError:
        return mipmap_levels(path)
    try:
        with open(cache, "rb") as cached:   # writable: Kivy's blit_buffer takes no read-only buffer
            blob = bytearray(os.fstat(cached.fileno()).st_size)
            cached.readinto(blob)
    except OSError:
        blob = bytearray()
    if blob.startswith(_MAGIC):
        try:
            return _unpack(memoryview(blob), path)
        except (ValueError, struct.error):
            pass
    levels = mipmap_levels(path)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for stale in CACHE_DIR.glob(f"{Path(path).stem}-*.mip"):
            stale.unlink(missing_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(_pack(levels))
        os.replace(partial, cache)
    except OSError:
        pass   # a read-only home: made again at the next start
    return levels


def _pack(levels: ImageData) -> bytes:
    parts = [_MAGIC]
    for _level, width, height, data, _rowlength in levels.iterate_mipmaps():
        parts += [struct.pack("<II", width, height), bytes(data)]
    return b"".join(parts)


def _unpack(blob: memoryview, path: str) -> ImageData:
    offset, data = len(_MAGIC), None
    while offset < len(blob):
        width, height = struct.unpack_from("<II", blob, offset)
        offset += 8
        pixels = blob[offset:offset + width * height * 4]
        if len(pixels) != width * height * 4:
            raise ValueError(f"{path}: cached levels cut short")
        offset += len(pixels)
        if data is None:
            data = ImageData(width, height, "rgba", pixels, source=path)
        else:
            data.add_mipmap(len(data.mipmaps), width, height, pixels, 0)
    if data is None or (data.mipmaps[len(data.mipmaps) - 1][0], data.mipmaps[len(data.mipmaps) - 1][1]) != (1, 1):
        raise ValueError(f"{path}: cached levels incomplete")
    return data


def mipmapped_texture(path: str) -> Texture:
    """The texture of the pictogram file `path` (made once, then shared by every Pictogram)."""
    texture = _TEXTURES.get(path)
    if texture is None:
        levels = cached_levels(path)

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
