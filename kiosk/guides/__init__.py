"""Picture-based plain-language guides: the content pack, its checks and its search.

Kivy-free: the screens (screens/guides*.py) and the staff commands (kiosk/commands/content_cmd.py)
both use it. The pack format is docs/content-pack.md.
"""
from kiosk.guides.loader import PackError, Problem, load_pack, parse_pack
from kiosk.guides.model import LEVELS, Material, Matter, Pack, Step, Theme

__all__ = ["PackError", "Problem", "load_pack", "parse_pack", "LEVELS", "Material", "Matter", "Pack",
           "Step", "Theme"]
