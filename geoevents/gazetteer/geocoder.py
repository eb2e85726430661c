"""``OfflineGeocoder``: the gazetteer behind geopy's ``Geocoder`` interface, with no network.

So code written for geopy (and ``geopandas.tools.geocode(names, provider=OfflineGeocoder)``) can
use the offline index unchanged. ``geocode`` reads "name" or "name, ..., country"; ``reverse``
returns the nearest populated place.
"""

from __future__ import annotations

import os
from typing import Any

from geoevents._optional import import_optional
from geoevents.gazetteer.normalize import normalize_name
from geoevents.gazetteer.store import SQLiteGazetteer
from geoevents.geo import haversine_km
from geoevents.records import Place

__all__ = ["OfflineGeocoder", "place_to_location"]

_geopy_base = import_optional("geopy.geocoders.base", extra="all", needed_for="OfflineGeocoder")
_geopy_location = import_optional("geopy.location", extra="all", needed_for="OfflineGeocoder")
_geopy_point = import_optional("geopy.point", extra="all", needed_for="OfflineGeocoder")


def place_to_location(place: Place, gazetteer: SQLiteGazetteer | None = None) -> Any:
    """Return a ``geopy.location.Location`` for a place: address "name, admin1, country"."""
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

    def _country_of(self, text: str) -> str | None:
        text = text.strip()
        if len(text) == 2 and text.isalpha():
            return text.upper()
        return self.gazetteer.country_names().get(normalize_name(text))

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

        ``query`` is a name, optionally followed by comma-separated qualifiers of which the last may
        be a country ("Al-Qaim, Anbar, Iraq"); ``country_codes`` restricts to ISO alpha-2 codes.
        A dict query uses its "city"/"county"/"state" value and its "country".
        """
        if isinstance(query, dict):
            name = (
                query.get("city") or query.get("county") or query.get("state") or query.get("country") or ""
            )
            country = (
                self._country_of(query["country"])
                if query.get("country") and name != query.get("country")
                else None
            )
        else:
            parts = [p.strip() for p in str(query).split(",") if p.strip()]
            if not parts:
                return None if exactly_one else []
            name, country = parts[0], None
            if len(parts) > 1:
                country = self._country_of(parts[-1])
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        codes = [c.upper() for c in codes]
        if country:
            codes = [country] if not codes or country in codes else codes
        n = 1 if exactly_one else (limit or 10)
        places: list[Place] = []
        if codes:
            for cc in codes:
                places += self.gazetteer.candidates(name, country=cc, limit=n)
        else:
            places = self.gazetteer.candidates(name, limit=n)
        if not places:
            return None if exactly_one else []
        locs = [place_to_location(p, self.gazetteer) for p in places[:n]]
        return locs[0] if exactly_one else locs

    def reverse(
        self, query: Any, *, exactly_one: bool = True, limit: int | None = None, **_ignored: Any
    ) -> Any:
        """Return the populated place nearest to ``query`` ((lat, lon), "lat, lon" or a geopy Point).

        Candidates come from a lat/lon box widened until it holds some populated place; the nearest
        by great-circle distance wins. The raw dict carries ``distance_km``.
        """
        pt = _geopy_point.Point(query)
        lat, lon = pt.latitude, pt.longitude
        found: list[Place] = []
        for radius in (0.25, 1.0, 4.0, 15.0):
            found = self.gazetteer.nearby(lat, lon, radius_deg=radius, feature_class="P", limit=5000)
            if found:
                break
        if not found:
            return None if exactly_one else []
        scored = sorted((haversine_km(lat, lon, p.lat, p.lon), -p.population, p.place_id, p) for p in found)
        n = 1 if exactly_one else (limit or 10)
        locs = []
        for d, _, _, p in scored[:n]:
            loc = place_to_location(p, self.gazetteer)
            loc.raw["distance_km"] = round(d, 3)
            locs.append(loc)
        return locs[0] if exactly_one else locs
