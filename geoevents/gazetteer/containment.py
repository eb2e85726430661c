"""Containment: whether a gazetteer place lies inside another (a country, province, district or town).

One rule for every caller that reads "X, Y" or "X in Y" (the geocoder's qualifiers, the geoparser's
"Kawuri village of Konduga LGA"): a place is inside a country, admin-1 or admin-2 unit when its
GeoNames admin codes say so (``Place.admin1_id``/``admin2_id``, filled by the build), and "inside"
a populated place when it is within ``NEAR_PLACE_KM`` of it (a neighbourhood of Baghdad, a village
outside a town), because towns have no boundaries in the data.
"""

from __future__ import annotations

from geoevents.gazetteer.feature_codes import COUNTRY_FEATURE_CODES
from geoevents.geo import haversine_km
from geoevents.records import Place

__all__ = ["NEAR_PLACE_KM", "is_container", "within"]

NEAR_PLACE_KM = 30.0
"""A place counts as "in" a town or city when it lies within this many km of its point."""


def is_container(unit: Place) -> bool:
    """Tell whether ``unit`` can qualify another place: a country, an admin unit or a populated place."""
    fc = unit.feature_code
    return (
        fc in COUNTRY_FEATURE_CODES
        or (fc in ("ADM1", "ADM2") and bool(unit.country_code))
        or unit.feature_class == "P"
    )


def within(place: Place, unit: Place, *, near_km: float = NEAR_PLACE_KM) -> bool:
    """Tell whether ``place`` lies inside ``unit`` (module docstring); a place is not inside itself."""
    if place.place_id == unit.place_id:
        return False
    fc = unit.feature_code
    if fc in COUNTRY_FEATURE_CODES:
        return bool(unit.country_code) and place.country_code == unit.country_code
    if fc == "ADM1":
        if place.admin1_id is not None and place.admin1_id == unit.place_id:
            return True
        return bool(unit.admin1) and place.country_code == unit.country_code and place.admin1 == unit.admin1
    if fc == "ADM2":
        return place.admin2_id is not None and place.admin2_id == unit.place_id
    if unit.feature_class == "P":
        return haversine_km(place.lat, place.lon, unit.lat, unit.lon) <= near_km
    return False
