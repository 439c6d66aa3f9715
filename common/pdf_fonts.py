"""A CJK TrueType font that reportlab embeds in a PDF, so that Chinese comes out on paper (no tofu).

reportlab cannot embed the CFF-outline Noto CJK fonts, and its built-in CID fonts are not embedded
(the printer would substitute); WenQuanYi Zen Hei (fonts-wqy-zenhei) is TrueType and embeds.
"""
from __future__ import annotations

import threading

CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
)
FONT_NAME = "KioskCJK"
_lock = threading.Lock()
_registered: str | None = None


def cjk_font() -> str:
    """The reportlab font name of an embeddable CJK font (registered on first use).

    Raises RuntimeError naming the package to install when none is found."""
    global _registered
    with _lock:
        if _registered:
            return _registered
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        for path, index in CANDIDATES:
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
            except Exception:
                continue
            _registered = FONT_NAME
            return _registered
        raise RuntimeError("no embeddable CJK TrueType font: install fonts-wqy-zenhei")
