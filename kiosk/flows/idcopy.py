"""身份证复印: both sides of the ID card under the document camera, on one A4 page at true size with
"仅供…使用" written across, previewed, then printed on the A4 printer.

Steps: purpose → front → back → preview → printing. The two pictures (straightened, BGR) live in the
flow's state, that is in the Session, and nowhere else: the copy's PDF is made in memory, written to
data_dir/print/ (0600) only while its job runs (kiosk/printing.py), and the pictures, the PDF and the
preview are overwritten as soon as the job is sent, or when the session is wiped. No picture, no
purpose the citizen typed and no page reaches a log line.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from kiosk.flows.base import FlowState, Step
from kiosk.flows.certificates import PrintingFlow

PURPOSES = ("办理社保", "办理银行业务", "办理户口", "入学报名", "求职入职", "办理房产")
MAX_PURPOSE = 12
SIDES = {"front": "正面", "back": "反面"}


def _zero(image: Any) -> None:
    """Overwrite a picture in place (a screen or thread still holding it sees black)."""
    try:
        image.fill(0)
    except (AttributeError, ValueError):
        pass


def clean_purpose(text: str) -> str:
    """What the citizen wrote, without the 仅供 … 使用 they may have typed around it."""
    text = "".join((text or "").split())
    if text.startswith("仅供"):
        text = text[2:]
    if text.endswith("使用"):
        text = text[:-2]
    return text


def watermark(purpose: str) -> str:
    """The words written across the copy: 仅供{purpose}使用."""
    return f"仅供{clean_purpose(purpose)}使用"


@dataclass
class IdCopyState(FlowState):
    purpose: str = ""
    front: Any = field(default=None, repr=False)   # the straightened front (BGR), personal
    back: Any = field(default=None, repr=False)
    front_codes: list = field(default_factory=list)   # quality problems of the picture (devices/doccam/quality)
    back_codes: list = field(default_factory=list)
    document: Any = None                             # kiosk.documents.Document: the copy's PDF, in memory
    preview: Any = field(default=None, repr=False)   # PIL image of the page
    job: Any = None                                  # kiosk.printing.PrintJob

    def forget_pictures(self) -> None:
        """Overwrite and drop the pictures, the PDF and the preview (the job keeps its own file)."""
        for name in ("front", "back"):
            _zero(getattr(self, name))
            setattr(self, name, None)
        if self.document is not None:
            self.document.wipe()
        self.preview = None

    def clear(self) -> None:
        self.forget_pictures()
        super().clear()


class IdCopyFlow(PrintingFlow):
    """身份证复印: purpose → front → back → preview → printing."""

    name = "idcopy"
    title = "身份证复印"
    finish_words = "打印"
    choice_fields = ("purpose",)
    State = IdCopyState

    def steps(self) -> list[Step]:
        return [Step("purpose", "复印件做什么用", "复印件上会写「仅供…使用」，别人就不能拿去办别的事。"),
                Step("front", "拍正面", "把身份证有照片的一面朝上，放在灯下。"),
                Step("back", "拍反面", "把身份证翻过来，有国徽的一面朝上，放在灯下。"),
                Step("preview", "看一看，没问题就打印", "和真的身份证一样大，印在一张A4纸上。"),
                Step("printing", "打印", "纸会从下面的出纸口出来。")]

    # -- 用途 -------------------------------------------------------------------------------------
    def purposes(self) -> list[tuple[str, str]]:
        """The usual purposes as (key, words): the key is the purpose itself."""
        return [(p, p) for p in PURPOSES]

    def set_purpose(self, text: str) -> None:
        """A purpose tapped or written; it is what goes across the copy."""
        self.state.purpose = clean_purpose(text)[:MAX_PURPOSE]
        if self.state.purpose and self.state.purpose not in PURPOSES:
            self.terminal.session.remember_personal(self.state.purpose)
        self._drop_copy()

    def choose(self, field: str, value: str) -> None:
        if field == "purpose":
            self.set_purpose(value)
        else:
            super().choose(field, value)

    def check_purpose(self) -> str:
        return "" if self.state.purpose else "请点一个用途，或者点「自己写」写上用途。"

    # -- 正面 / 反面 --------------------------------------------------------------------------------
    def side_of(self, key: str) -> str:
        """正面 or 反面 for a capture step ("" for any other step)."""
        return SIDES.get(key, "")

    def picture(self, side: str):
        """The taken picture of `side` ("front" / "back"), or None."""
        return getattr(self.state, side) if side in SIDES else None

    def problems(self, side: str) -> list[str]:
        """The quality problems (codes) seen in the picture of `side`."""
        return list(getattr(self.state, f"{side}_codes")) if side in SIDES else []

    def take(self, side: str, image, codes=()) -> None:
        """The document camera took `side`: keep a copy of the straightened picture and its problems."""
        if side not in SIDES:
            raise ValueError(side)
        _zero(getattr(self.state, side))
        setattr(self.state, side, image.copy())
        setattr(self.state, f"{side}_codes", list(codes))
        self._drop_copy()

    def retake(self, side: str) -> None:
        """重拍: forget the picture of `side`; the camera takes it again."""
        if side in SIDES:
            _zero(getattr(self.state, side))
            setattr(self.state, side, None)
            setattr(self.state, f"{side}_codes", [])
            self._drop_copy()

    def check_front(self) -> str:
        return "" if self.state.front is not None else "请把身份证正面朝上放在灯下，机器会自己拍；也可以点「拍照」。"

    def check_back(self) -> str:
        return "" if self.state.back is not None else "请把身份证反面朝上放在灯下，机器会自己拍；也可以点「拍照」。"

    # -- 看一看 ----------------------------------------------------------------------------------
    def _drop_copy(self) -> None:
        if self.state.document is not None:
            self.state.document.wipe()
        self.state.document = self.state.preview = None

    def compose(self, preview_width: int = 900) -> None:
        """Lay both sides on the A4 page with the purpose across, as a PDF and a preview (about a
        second of CPU: call it off the UI thread)."""
        from kiosk.documents import Document
        from kiosk.review.idcopy import DPI, id_copy_page
        state = self.state
        if state.front is None or state.back is None or not state.purpose:
            return
        import io
        page = id_copy_page(state.front, state.back, state.purpose)
        buffer = io.BytesIO()
        page.save(buffer, "PDF", resolution=DPI)
        number = f"FY{time.strftime('%Y%m%d%H%M%S')}{secrets.randbelow(10 ** 4):04d}"   # CUPS job title: no name
        self._drop_copy()
        state.document = Document("id_copy", "身份证复印件", number, "", 1, buffer.getvalue())
        scale = preview_width / page.width
        state.preview = page.resize((preview_width, int(page.height * scale)))

    def next(self) -> bool:
        """From 反面 on to 看一看 composes the copy first (blocking)."""
        if self.step.key == "back" and not self.problem():
            self.compose()
        return super().next()

    def check_preview(self) -> str:
        return "" if self.state.document is not None else "正在排版，请稍候……"

    def print_document(self) -> None:
        """Print the copy; once the job has its own file, the pictures and the PDF are forgotten."""
        if self.state.document is None:
            self.compose()
        super().print_document()
        if self.state.job is not None:
            self.state.forget_pictures()

    def receipt_matter(self) -> str:
        return self.title
