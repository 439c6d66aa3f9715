"""Application forms at the terminal, no Kivy: filled from what the terminal already knows
(prefill.py) and signed on the touchscreen (signature.py)."""
