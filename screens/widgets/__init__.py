"""Widgets shared by the screens (rules in widgets.kv, loaded once by the app)."""
