"""Reading the pack's folders of one kind of item (places, agencies, policies) and keeping file
references inside the pack."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from kiosk.guides.loader import Problem, _Ctx, _read


def inside_pack(root: Path, path: Path) -> bool:
    """Whether `path` (links followed) lies inside the pack folder `root`; an unreadable path does not."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def parse_folder(root: Path, folder: str, what: str, problems: list[Problem],
                 build: Callable[[_Ctx, Any, str], Any]) -> list:
    """Every `folder`/*.yaml of the pack, each built by `build(ctx, data, file)` (None when refused); an
    `id` used by two files is a problem and the second is left out. Problems are added to `problems`."""
    out: list = []
    seen: dict[str, str] = {}
    for path in sorted((root / folder).glob("*.yaml")):
        data, c = _read(path, root, problems)
        if data is None:
            continue
        item = build(c, data, c.file)
        if item is None:
            continue
        if item.id in seen:
            c.err(("id",), f"{what} id '{item.id}' is also used by {seen[item.id]}")
            continue
        seen[item.id] = c.file
        out.append(item)
    return out
