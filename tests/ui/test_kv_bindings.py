"""A kv binding of a widget that has died, whose Kivy destructor has not run yet (the garbage collector ran
in another thread), does not stop a property change half-way (screens/widgets/kv_bindings.py)."""
from __future__ import annotations

import gc

import pytest

pytestmark = pytest.mark.ui

KV = """
<KvProbe>:
    Label:
        id: first
        text: kv_probe_owner.words
    Label:
        id: second
        text: kv_probe_owner.words
"""


@pytest.fixture
def pending_destructors(monkeypatch):
    """Kivy's widget destructors held back, as when the collector runs in another thread and the main
    thread runs between the weak reference being cleared and its callback."""
    import kivy.uix.widget as widget_module
    held = []
    monkeypatch.setattr(widget_module, "_widget_destructor", lambda uid, _ref: held.append(uid))
    yield held
    from kivy.lang import Builder
    for uid in held:
        widget_module._widget_destructors.pop(uid, None)
        Builder.unbind_widget(uid)


def _probe():
    from kivy.event import EventDispatcher
    from kivy.factory import Factory
    from kivy.lang import Builder
    from kivy.lang.builder import global_idmap
    from kivy.properties import StringProperty
    from kivy.uix.boxlayout import BoxLayout

    class Owner(EventDispatcher):
        words = StringProperty("旧的话")

    owner = Owner()
    global_idmap["kv_probe_owner"] = owner
    if "KvProbe" not in Factory.classes:
        Factory.register("KvProbe", cls=type("KvProbe", (BoxLayout,), {}))
        Builder.load_string(KV)
    return owner, Factory.KvProbe()


def test_a_dead_widget_is_skipped_and_the_living_ones_follow(pending_destructors):
    import screens.widgets.base  # noqa: F401  (installs the guard, as the app does)
    from kivy.lang import Builder
    from kivy.lang.builder import global_idmap
    owner, probe = _probe()
    first, second = probe.ids.first.__ref__(), probe.ids.second.__ref__()
    probe.remove_widget(first)
    del first
    gc.collect()
    assert pending_destructors, "the label died and its destructor is still to run"
    owner.words = "新的话"                      # without the guard: ReferenceError, and `second` stays behind
    assert second.text == "新的话"
    Builder.unbind_widget(probe.uid)
    global_idmap.pop("kv_probe_owner", None)


def test_alive_tells_a_freed_widget_from_a_living_one():
    from kivy.uix.label import Label
    from kivy.weakproxy import WeakProxy

    from screens.widgets.kv_bindings import alive
    living = Label()
    proxy = WeakProxy(living)
    assert alive(proxy) and alive(living)
    del living
    gc.collect()
    assert not alive(proxy)
