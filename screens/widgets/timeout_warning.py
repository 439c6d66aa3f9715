"""The "您还在吗？" overlay that counts down before an idle session is wiped."""
from __future__ import annotations

from kivy.app import App
from kivy.properties import ColorProperty
from kivy.uix.modalview import ModalView

from screens.widgets.base import load_kv

load_kv(__file__, chrome=False)


class TimeoutWarning(ModalView):
    """The idle warning: a countdown and one big 我还需要时间 button."""
    bg_color = ColorProperty((1, 1, 1, 1))

    def __init__(self, **kwargs):
        kwargs.setdefault("auto_dismiss", False)
        super().__init__(**kwargs)

    def spoken_text(self) -> str:
        """What the voice reads when the warning opens."""
        app = App.get_running_app()
        left = app.idle_left if app is not None else 0
        return f"您还在吗？{left}秒后将回到开始页面。还要办，请点我还需要时间。"

    def on_open(self) -> None:
        """长辈模式 reads the warning aloud: a person looking away still hears it."""
        app = App.get_running_app()
        if app is not None and app.elderly:
            app.say(self.spoken_text())
