"""政务服务地图: the service points of the four-level network (places/*.yaml of a content pack).

A place has a name, a level (city, county, township, village), an address, a phone, its position
(latitude/longitude, WGS 84), its opening hours as data (so the terminal can say "现在开门" by its own
clock, lunch break and weekends included), the matters it handles (matter codes), whether it offers
帮办代办 and 邮政居家办, and — for city and county halls — a floor plan: the hall's areas, its windows
(窗口号) with the matters each handles, the entrance and where the self-service terminals stand.

Parsed and checked here the way kiosk/guides/loader.py reads matters (every problem with file and line);
kiosk/service_map.py ranks places and draws the pictures. docs/content-pack.md is the format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.guides.folders import parse_folder
from kiosk.guides.loader import Problem, _Ctx
from kiosk.guides.model import LEVEL_NAMES, LEVELS

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Opening:
    """Open on `days` (0 = Monday) from `start` to `end` (minutes after midnight)."""
    days: tuple[int, ...]
    start: int
    end: int


def _hm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass
class Hours:
    """Opening hours as data: a list of (days, time span); a lunch break is two spans the same day."""
    spans: list[Opening] = field(default_factory=list)
    note: str = ""          # e.g. 法定节假日休息 — shown as it is

    def is_open(self, when: datetime) -> bool:
        """Open at `when` (the terminal's local clock)."""
        minute = when.hour * 60 + when.minute
        return any(when.weekday() in s.days and s.start <= minute < s.end for s in self.spans)

    def next_change(self, when: datetime) -> datetime | None:
        """When it next opens (if closed now) or closes (if open now), within eight days; None if never."""
        now_open = self.is_open(when)
        midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
        bounds = sorted({midnight + timedelta(days=k, minutes=m) for k in range(9)
                         for s in self.spans if (when.weekday() + k) % 7 in s.days for m in (s.start, s.end)})
        return next((t for t in bounds if t > when and self.is_open(t) != now_open), None)

    def status(self, when: datetime) -> tuple[bool, str]:
        """(open now, plain words): 现在开门，12:00 午休 / 现在没开门，13:30 开门 / 现在没开门，周一 9:00 开门."""
        is_open = self.is_open(when)
        change = self.next_change(when)
        if change is None:
            return is_open, "现在开门" if is_open else "现在没开门"
        at = _hm(change.hour * 60 + change.minute)
        if is_open:
            reopen = self.next_change(change)
            lunch = reopen is not None and reopen.date() == change.date()
            return True, f"现在开门，{at} {'午休' if lunch else '下班'}"
        if change.date() == when.date():
            return False, f"现在没开门，{at} 开门"
        if change.date() == (when + timedelta(days=1)).date():
            return False, f"现在没开门，明天 {at} 开门"
        return False, f"现在没开门，{DAY_NAMES[change.weekday()]} {at} 开门"

    @property
    def text(self) -> str:
        """周一至周五 9:00–12:00、13:30–17:00；周六 9:00–12:00"""
        groups: dict[tuple[int, ...], list[Opening]] = {}
        for s in self.spans:
            groups.setdefault(s.days, []).append(s)
        parts = []
        for days, spans in groups.items():
            times = "、".join(f"{_hm(s.start)}–{_hm(s.end)}" for s in sorted(spans, key=lambda s: s.start))
            parts.append(f"{_days_text(days)} {times}")
        return "；".join(parts) + (f"（{self.note}）" if self.note else "")


def _days_text(days: tuple[int, ...]) -> str:
    if len(days) == 7:
        return "每天"
    if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}至{DAY_NAMES[days[-1]][-1]}"
    return "、".join(DAY_NAMES[d] for d in days)


def parse_days(text: str) -> tuple[int, ...]:
    """'mon-fri' / 'sat' / 'mon,wed,fri' / 'mon-fri,sat' -> weekday numbers; ValueError when wrong."""
    out: list[int] = []
    for part in str(text).lower().replace(" ", "").split(","):
        first, sep, last = part.partition("-")
        if first not in DAY_KEYS or (sep and last not in DAY_KEYS):
            raise ValueError(f"days '{text}' should be like mon-fri, sat or mon,wed")
        a, b = DAY_KEYS.index(first), DAY_KEYS.index(last) if sep else DAY_KEYS.index(first)
        if b < a:
            raise ValueError(f"days '{text}': {last} comes before {first}")
        out += [d for d in range(a, b + 1) if d not in out]
    return tuple(sorted(out))


def parse_times(text: str) -> list[tuple[int, int]]:
    """'9:00-12:00, 13:30-17:00' -> [(540, 720), (810, 1020)]; ValueError when wrong."""
    spans = []
    for part in str(text).split(","):
        m = _TIME.match(part)
        if not m:
            raise ValueError(f"times '{part.strip()}' should look like 9:00-12:00")
        h0, m0, h1, m1 = (int(g) for g in m.groups())
        start, end = h0 * 60 + m0, h1 * 60 + m1
        if not (0 <= start < end <= 24 * 60) or m0 > 59 or m1 > 59:
            raise ValueError(f"times '{part.strip()}' do not make a span of one day")
        spans.append((start, end))
    return spans


@dataclass
class Window:
    """A counter (窗口) of a hall: its number, where it is on the plan (metres), what it handles."""
    number: str
    x: float
    y: float
    label: str = ""
    matters: list[str] = field(default_factory=list)


@dataclass
class Area:
    """A named rectangle of the floor plan (自助服务区, 等候区 …), metres from the top-left corner."""
    name: str
    x: float
    y: float
    w: float
    h: float


@dataclass
class FloorPlan:
    """One floor of a hall, in metres: width × depth, areas, windows, the entrance, the terminals."""
    width: float
    depth: float
    entrance: tuple[float, float]
    terminals: tuple[float, float]       # where the self-service terminals stand (您在这里)
    floor: str = "一楼"
    areas: list[Area] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    aisles: list[float] = field(default_factory=list)   # x of the walkways from front to back

    def window_for(self, code: str) -> Window | None:
        """The window that handles matter `code`, if the plan names one."""
        return next((w for w in self.windows if code in w.matters), None)


@dataclass
class Place:
    """A service point of the network (市/县区政务服务中心, 乡镇便民服务中心, 村便民服务站)."""
    id: str
    name: str
    level: str
    address: str
    phone: str
    lat: float
    lon: float
    hours: Hours
    matters: list[str]
    help_desk: bool = False          # 帮办代办
    postal: bool = False             # 邮政居家办
    plan: FloorPlan | None = None
    source: str = ""

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)

    def offers(self, code: str) -> bool:
        return code in self.matters


_PLACE_KEYS = {"id", "name", "level", "address", "phone", "position", "hours", "hours_note", "matters",
               "help_desk", "postal", "floor_plan"}
_PLAN_KEYS = {"floor", "width", "depth", "entrance", "terminals", "areas", "windows", "aisles"}


def _point(c: _Ctx, obj: Any, path: tuple, key: str, w: float, d: float) -> tuple[float, float]:
    raw = c.get(obj, path, key, list, True, [0, 0])
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, (int, float)) for v in raw)):
        c.err(path + (key,), f"'{key}' should be [x, y] in metres")
        return 0.0, 0.0
    x, y = float(raw[0]), float(raw[1])
    if not (0 <= x <= w and 0 <= y <= d):
        c.err(path + (key,), f"'{key}' [{x:g}, {y:g}] is outside the floor plan ({w:g} × {d:g} m)")
    return x, y


def _plan(c: _Ctx, raw: Any, codes: list[str]) -> FloorPlan | None:
    p = ("floor_plan",)
    if not isinstance(raw, dict):
        c.err(p, "floor_plan should be a mapping")
        return None
    c.unknown(raw, p, _PLAN_KEYS)
    w = float(c.get(raw, p, "width", (int, float), True, 1) or 1)
    d = float(c.get(raw, p, "depth", (int, float), True, 1) or 1)
    plan = FloorPlan(width=w, depth=d, entrance=_point(c, raw, p, "entrance", w, d),
                     terminals=_point(c, raw, p, "terminals", w, d),
                     floor=c.get(raw, p, "floor", str, False, "一楼"))
    for i, x in enumerate(c.get(raw, p, "aisles", list, False, [])):
        if not isinstance(x, (int, float)) or not 0 <= x <= w:
            c.err(p + ("aisles", i), "an aisle is the x (metres) of a walkway inside the floor plan")
        else:
            plan.aisles.append(float(x))
    for i, a in enumerate(c.get(raw, p, "areas", list, False, [])):
        ap = p + ("areas", i)
        c.unknown(a, ap, {"name", "x", "y", "w", "h"})
        box = [float(c.get(a, ap, k, (int, float), True, 0)) for k in ("x", "y", "w", "h")]
        if box[0] < 0 or box[1] < 0 or box[0] + box[2] > w or box[1] + box[3] > d:
            c.err(ap, "area is outside the floor plan")
        plan.areas.append(Area(c.get(a, ap, "name", str, True, ""), *box))
    numbers = set()
    for i, win in enumerate(c.get(raw, p, "windows", list, False, [])):
        wp = p + ("windows", i)
        c.unknown(win, wp, {"number", "at", "label", "matters"})
        number = c.get(win, wp, "number", str, True, "")
        if number in numbers:
            c.err(wp, f"window {number} is listed twice")
        numbers.add(number)
        x, y = _point(c, win, wp, "at", w, d)
        handled = c.strings(win, wp, "matters")
        for j, code in enumerate(handled):
            if code not in codes:
                c.err(wp + ("matters", j), f"window {number} handles matter {code}, which the place does not list")
        plan.windows.append(Window(number, x, y, c.get(win, wp, "label", str, False, ""), handled))
    return plan


def _place(c: _Ctx, d: Any, source: str, matter_codes: set[str]) -> Place | None:
    if not isinstance(d, dict):
        c.err((), "a place file should be a mapping")
        return None
    c.unknown(d, (), _PLACE_KEYS)
    pid, name = c.get(d, (), "id", str), c.get(d, (), "name", str)
    label = f"place '{pid or source}'"
    level = c.get(d, (), "level", str, True, "village")
    if level not in LEVELS:
        c.err(("level",), f"{label}: level '{level}' should be one of {', '.join(LEVELS)}")
    pos = c.get(d, (), "position", list, True, [0, 0])
    lat = lon = 0.0
    if isinstance(pos, list) and len(pos) == 2 and all(isinstance(v, (int, float)) for v in pos):
        lat, lon = float(pos[0]), float(pos[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            c.err(("position",), f"{label}: position [{lat:g}, {lon:g}] is not [latitude, longitude]")
    else:
        c.err(("position",), f"{label}: position should be [latitude, longitude]")
    spans: list[Opening] = []
    for i, h in enumerate(c.get(d, (), "hours", list, True, [])):
        hp = ("hours", i)
        c.unknown(h, hp, {"days", "times"})
        try:
            days = parse_days(c.get(h, hp, "days", str, True, "mon"))
            spans += [Opening(days, a, b) for a, b in parse_times(c.get(h, hp, "times", str, True, "9:00-17:00"))]
        except ValueError as exc:
            c.err(hp, f"{label}: {exc}")
    codes = c.strings(d, (), "matters", True)
    for i, code in enumerate(codes):
        if code not in matter_codes:
            c.err(("matters", i), f"{label}: matter {code} is not in the pack")
    plan = _plan(c, d["floor_plan"], codes) if d.get("floor_plan") is not None else None
    if plan is None and level in ("city", "county"):
        c.problems.append(Problem(c.file, 1, f"{label}: a {level} hall should have a floor_plan", "warning"))
    fields = (pid, name)
    if any(v is None for v in fields):
        return None
    return Place(id=pid, name=name, level=level, address=c.get(d, (), "address", str, True, ""),
                 phone=c.get(d, (), "phone", str, True, ""), lat=lat, lon=lon,
                 hours=Hours(spans, c.get(d, (), "hours_note", str, False, "")), matters=codes,
                 help_desk=c.get(d, (), "help_desk", bool, False, False),
                 postal=c.get(d, (), "postal", bool, False, False), plan=plan, source=source)


def parse_places(root: Path, problems: list[Problem], matter_codes: set[str]) -> list[Place]:
    """Every places/*.yaml of the pack; problems are added to `problems`."""
    return parse_folder(root, "places", "place", problems,
                        lambda c, data, file: _place(c, data, file, matter_codes))
