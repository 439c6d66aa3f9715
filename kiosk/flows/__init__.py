"""Kivy-free logic of the citizen flows: validation, pre-review and the payloads they submit."""
