"""在哪里办: the service points nearest this terminal that handle a matter, open now or not, and the
route link a phone opens — the logic of the 政务服务地图, no Kivy.

The terminal knows where it stands (`[terminal] position`, latitude and longitude, and `[terminal] place`,
the pack's place it stands in, if any); the pack knows the places (kiosk/guides/places.py). Distances are
great-circle distances (what a citizen reads as 约 3.2 公里), open-now uses the terminal's own clock, and the
QR code carries a map link (`[map] route_url`, Amap's URI API by default) with the destination's coordinates,
so the citizen's phone opens the route. The pictures are drawn by kiosk/guides/draw_map.py.
"""
from __future__ import annotations

import logging
import string
import math
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from kiosk.guides.places import Place

log = logging.getLogger(__name__)
EARTH_KM = 6371.0088
DEFAULT_ROUTE = ("https://uri.amap.com/navigation?from={from_lon},{from_lat},{from_name}"
                 "&to={lon},{lat},{name}&mode=car&coordinate=wgs84&callnative=1&src=heze-kiosk")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Nearby:
    """A place as the list shows it: how far, whether it is open at the time asked."""
    place: Place
    km: float
    here: bool            # the terminal stands in this place
    is_open: bool
    status: str           # 现在开门，12:00 午休 / 现在没开门，明天 9:00 开门

    @property
    def distance_text(self) -> str:
        if self.here:
            return "就在这里"
        if self.km < 1:
            return f"约 {max(100, int(round(self.km * 10)) * 100)} 米"
        return f"约 {self.km:.1f} 公里"

    @property
    def services_text(self) -> str:
        """帮办代办 / 邮政居家办 in words (有 / 没有), never by a colour or an icon alone."""
        p = self.place
        return f"帮办代办：{'有' if p.help_desk else '没有'}　邮政居家办：{'有' if p.postal else '没有'}"


class ServiceMap:
    """The places of the pack seen from this terminal."""

    def __init__(self, places: list[Place], position: tuple[float, float], here: str = "",
                 route_template: str = DEFAULT_ROUTE, terminal_name: str = "自助终端"):
        self.places = list(places)
        self.position = position
        self.here = here
        self.route_template = route_template or DEFAULT_ROUTE
        self.terminal_name = terminal_name

    @classmethod
    def from_settings(cls, settings, places: list[Place]) -> "ServiceMap":
        """Built from `[terminal] position`, `[terminal] place`, `[terminal] name` and `[map] route_url`."""
        here = settings.get("terminal", "place")
        try:
            position = parse_position(settings.get("terminal", "position"))
        except ValueError:
            # a mistyped position must not take 在哪里办 away: the place the terminal stands in, else the
            # first city hall of the pack (staff see the setting's error in `run_kiosk.py config`)
            log.warning("[terminal] position is not a position; using the place's own")
            anchor = next((p for p in places if p.id == here), None) or \
                next((p for p in places if p.level == "city"), places[0] if places else None)
            position = (anchor.lat, anchor.lon) if anchor else (0.0, 0.0)
        template = settings.get("map", "route_url")
        if template and any("route_url" in p for p in settings_problems(settings)):
            log.warning("[map] route_url has placeholders the terminal does not fill; using the default link")
            template = DEFAULT_ROUTE
        return cls(places, position, here=here, route_template=template, terminal_name=settings.get("terminal", "name"))

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def nearest(self, code: str = "", when: datetime | None = None, limit: int | None = None,
                codes: tuple[str, ...] = ()) -> list[Nearby]:
        """Places that handle matter `code` (or every one of `codes`: the matters of a 一件事, done in one
        place; every place when neither is given), nearest first; the place the terminal stands in first of
        all, then by distance, then by name (a stable order)."""
        when = when or datetime.now()
        lat, lon = self.position
        wanted = tuple(codes) or ((code,) if code else ())
        out = []
        for p in self.places:
            if not all(p.offers(c) for c in wanted):
                continue
            is_open, words = p.hours.status(when)
            out.append(Nearby(p, distance_km(lat, lon, p.lat, p.lon), p.id == self.here, is_open, words))
        out.sort(key=lambda n: (not n.here, n.km, n.place.name))
        return out[:limit] if limit else out

    def route_url(self, place: Place) -> str:
        """The link in the QR code: a map app's route from this terminal to the place's coordinates."""
        lat, lon = self.position
        return self.route_template.format(lat=f"{place.lat:.6f}", lon=f"{place.lon:.6f}", name=quote(place.name),
                                          from_lat=f"{lat:.6f}", from_lon=f"{lon:.6f}",
                                          from_name=quote(self.terminal_name))


ROUTE_FIELDS = {"lat", "lon", "name", "from_lat", "from_lon", "from_name"}


def settings_problems(settings) -> list[str]:
    """What is wrong with the map's settings, in plain words for staff (`run_kiosk.py config` shows them):
    a position that is not one, a route link with a placeholder the terminal does not fill."""
    problems = []
    text = settings.get("terminal", "position")
    if text.strip():
        try:
            parse_position(text)
        except ValueError as exc:
            problems.append(f"{exc}（在哪里办用终端所在网点的位置代替）")
    template = settings.get("map", "route_url")
    try:
        unknown = {f for _, f, _, _ in string.Formatter().parse(template or DEFAULT_ROUTE) if f} - ROUTE_FIELDS
    except ValueError as exc:
        unknown = {str(exc)}
    if unknown:
        problems.append(f"[map] route_url has {', '.join(sorted(unknown))}: it may use only "
                        f"{{{'}, {'.join(sorted(ROUTE_FIELDS))}}}（在哪里办的二维码会用默认的高德地图链接）")
    return problems


def parse_position(text: str) -> tuple[float, float]:
    """'35.2436, 115.4695' -> (35.2436, 115.4695); ValueError with plain words when it is not a position."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"[terminal] position should be 'latitude, longitude', not {text!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"[terminal] position {text!r} is not a latitude and a longitude")
    return lat, lon
