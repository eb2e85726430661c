"""``OfflineGeocoder``: the gazetteer behind geopy's ``Geocoder`` interface, with no network.

So code written for geopy (and ``geopandas.tools.geocode(names, provider=OfflineGeocoder)``) can
use the offline index unchanged. ``geocode`` reads "name, qualifier, ..., country": every qualifier
("Texas", "TX", "Baghdad", "Missouri") must contain the result (``containment.within``), so
"Paris, Texas" is the Texan Paris. ``reverse`` returns the nearest populated place within
``REVERSE_MAX_KM`` (None farther out, as Nominatim returns nothing at sea).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from geoevents._optional import import_optional
from geoevents.gazetteer.containment import is_container, within
from geoevents.gazetteer.normalize import normalize_name
from geoevents.gazetteer.store import SQLiteGazetteer
from geoevents.geo import haversine_km
from geoevents.records import Place

__all__ = ["REVERSE_MAX_KM", "OfflineGeocoder", "place_to_location"]

log = logging.getLogger(__name__)

_geopy_base: Any = import_optional("geopy.geocoders.base", extra="all", needed_for="OfflineGeocoder")
_geopy_location = import_optional("geopy.location", extra="all", needed_for="OfflineGeocoder")
_geopy_point = import_optional("geopy.point", extra="all", needed_for="OfflineGeocoder")

REVERSE_MAX_KM = 100.0
"""``reverse`` returns None when no populated place lies within this many km (open sea, empty desert)."""
_NAME_POOL = 300  # candidates of the name looked at when qualifiers filter them
_QUALIFIER_POOL = 10  # readings of one qualifier ("Baghdad": the city, the governorate, ...)


def place_to_location(place: Place, gazetteer: SQLiteGazetteer | None = None) -> Any:
    """Return a ``geopy.location.Location`` for a place: address "name, admin1, country".

    The raw dict holds every ``Place`` field (``admin2_name``, ``admin1_id`` ... included).
    """
    parts = [place.name]
    if place.admin1_name and place.admin1_name != place.name:
        parts.append(place.admin1_name)
    if place.country_code and not place.feature_code.startswith("PCL"):
        country = gazetteer.country(place.country_code) if gazetteer is not None else None
        parts.append(country.name if country else place.country_code)
    raw = {f: getattr(place, f) for f in place.__slots__}
    return _geopy_location.Location(", ".join(parts), _geopy_point.Point(place.lat, place.lon), raw)


class OfflineGeocoder(_geopy_base.Geocoder):
    """geopy geocoder over the offline gazetteer (no network, no rate limit).

    Parameters
    ----------
    gazetteer
        A ``SQLiteGazetteer``, a path to an index, or None for the default index (built on first use).

    """

    def __init__(
        self, gazetteer: SQLiteGazetteer | str | os.PathLike[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(gazetteer, SQLiteGazetteer):
            self.gazetteer = gazetteer
        else:
            self.gazetteer = SQLiteGazetteer.open(gazetteer, build=gazetteer is None)

    def _containers(self, text: str) -> list[Place]:
        """Return the places a qualifier may mean that can contain another, best reading first.

        A country name or a code of an existing country ("Iraq", "IQ") comes first; then the admin
        units and towns of that name ("Texas", "TX" in capitals, "Baghdad").
        """
        text = text.strip()
        out: list[Place] = []
        cc = self.gazetteer.country_names().get(normalize_name(text))
        if cc is None and len(text) in (2, 3) and text.isalpha() and text.isupper():
            cc = text if len(text) == 2 else None
        country = self.gazetteer.country(cc) if cc else None
        if country is not None:
            out.append(country)
        for p in self.gazetteer.candidates(text, limit=_QUALIFIER_POOL):
            if is_container(p) and all(p.place_id != q.place_id for q in out):
                out.append(p)
        return out

    def _resolve(self, name: str, qualifiers: list[str], codes: list[str], n: int) -> list[Place]:
        """Return up to ``n`` places named ``name`` inside every qualifier that the gazetteer knows."""
        readings = []
        for q in qualifiers:
            cont = self._containers(q)
            if cont:
                readings.append(cont)
            else:
                log.info("geocode: qualifier %r matches no place; ignored", q)
        pool = n if not readings else _NAME_POOL
        if codes:
            places = [p for cc in codes for p in self.gazetteer.candidates(name, country=cc, limit=pool)]
        else:
            places = self.gazetteer.candidates(name, limit=pool)
        if not readings:
            return places[:n]
        scored = []
        for order, p in enumerate(places):
            cost = 0
            for cont in readings:
                idx = next((i for i, unit in enumerate(cont) if within(p, unit)), None)
                if idx is None:
                    break
                cost += idx
            else:
                scored.append((cost, order, p))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [p for _, _, p in scored[:n]]

    def geocode(
        self,
        query: str | dict[str, str],
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
        limit: int | None = None,
        **_ignored: Any,
    ) -> Any:
        """Return the best ``Location`` for ``query`` (or a list with ``exactly_one=False``), None if none.

        ``query`` is a name, optionally followed by comma-separated qualifiers ("Al-Qaim, Anbar,
        Iraq", "Paris, TX", "Mashtal, Baghdad"). Each qualifier the gazetteer knows must contain the
        result: a country by its code, a province or district by the admin codes of the place, a
        town by distance (``containment.NEAR_PLACE_KM``). When a known qualifier contains no place
        of that name the answer is None, not a homonym elsewhere; an unknown qualifier is ignored.
        ``country_codes`` restricts to ISO alpha-2 codes. A dict query uses its
        "city"/"county"/"state" value as the name and the others ("state", "country") as qualifiers.
        """
        if isinstance(query, dict):
            name = (
                query.get("city") or query.get("county") or query.get("state") or query.get("country") or ""
            )
            qualifiers = [
                query[k] for k in ("county", "state", "country") if query.get(k) and query[k] != name
            ]
        else:
            parts = [p.strip() for p in str(query).split(",") if p.strip()]
            if not parts:
                return None if exactly_one else []
            name, qualifiers = parts[0], parts[1:]
        if not name.strip():
            return None if exactly_one else []
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        codes = [c.upper() for c in codes]
        n = 1 if exactly_one else (limit or 10)
        places = self._resolve(name, qualifiers, codes, n)
        if not places:
            return None if exactly_one else []
        locs = [place_to_location(p, self.gazetteer) for p in places[:n]]
        return locs[0] if exactly_one else locs

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        limit: int | None = None,
        max_distance_km: float = REVERSE_MAX_KM,
        **_ignored: Any,
    ) -> Any:
        """Return the populated place nearest to ``query`` ((lat, lon), "lat, lon" or a geopy Point).

        Candidates come from a lat/lon box widened until it holds some populated place; the nearest
        by great-circle distance wins. None (or ``[]``) when the nearest is farther than
        ``max_distance_km`` (default ``REVERSE_MAX_KM``, 100 km): a point at sea or in an empty
        desert has no address. The raw dict carries ``distance_km``.
        """
        pt = _geopy_point.Point(query)
        lat, lon = pt.latitude, pt.longitude
        found: list[Place] = []
        for radius in (0.25, 1.0, max(1.0, max_distance_km / 100.0)):
            found = self.gazetteer.nearby(lat, lon, radius_deg=radius, feature_class="P", limit=5000)
            if found:
                break
        scored = sorted((haversine_km(lat, lon, p.lat, p.lon), -p.population, p.place_id, p) for p in found)
        scored = [t for t in scored if t[0] <= max_distance_km]
        if not scored:
            return None if exactly_one else []
        n = 1 if exactly_one else (limit or 10)
        locs = []
        for d, _, _, p in scored[:n]:
            loc = place_to_location(p, self.gazetteer)
            loc.raw["distance_km"] = round(d, 3)
            locs.append(loc)
        return locs[0] if exactly_one else locs
