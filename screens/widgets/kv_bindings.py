"""A kv binding whose widget has just died does nothing, instead of breaking the property change.

Kivy's kv rules bind a widget's properties to other objects' properties (`color: app.col_fg`) through a
weak proxy of the widget, and unbind them from the widget's weak-reference callback once it is freed.
When Python's cyclic garbage collector runs in another thread (the sync worker, a device reader), it
clears the weak reference first and runs the callbacks afterwards, and the main thread can run in
between: a change of `app.elderly` or of the theme colours then reaches a binding of a widget that is
already gone, `setattr` on its proxy raises ReferenceError, and the change stops half-way (seen in the
tour as "could not show certificates-choose-elderly"). Kivy's own delayed bindings (canvas rules) already
skip a dead widget (kivy/lang/builder.py `delayed_call_fn`); `install` gives the immediate ones the
same treatment. A ReferenceError from a widget that is still alive is raised as before.
"""
from __future__ import annotations

from kivy.weakproxy import WeakProxy

_installed = False


def alive(element) -> bool:
    """False for the weak proxy of a freed widget."""
    if not isinstance(element, WeakProxy):
        return True
    try:
        element.__ref__()
    except ReferenceError:
        return False
    return True


def install() -> None:
    """Route the kv rules' immediate bindings through the dead-widget check (before widgets are built)."""
    global _installed
    if _installed:
        return
    import kivy.lang.builder as builder
    original = builder.call_fn

    def call_fn(args, instance, value):
        try:
            original(args, instance, value)
        except ReferenceError:
            if alive(args[0]):
                raise

    builder.call_fn = call_fn
    _installed = True
