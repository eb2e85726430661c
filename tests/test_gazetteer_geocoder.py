"""The geopy geocoder on the real index: qualifiers, country_codes, exactly_one, reverse's distance limit."""

from __future__ import annotations

import pytest

from tests._gaz_fixtures import gazetteer  # noqa: F401

pytest.importorskip("geopy")


@pytest.fixture(scope="module")
def geo(gazetteer):  # noqa: F811
    from geoevents.gazetteer.geocoder import OfflineGeocoder

    return OfflineGeocoder(gazetteer)


@pytest.mark.parametrize(
    ("query", "cc", "admin1_name"),
    [
        ("Paris, Texas", "US", "Texas"),
        ("Paris, TX", "US", "Texas"),
        ("Paris, Tennessee", "US", "Tennessee"),
        ("Springfield, Missouri", "US", "Missouri"),
        ("Springfield, MO", "US", "Missouri"),
        ("Springfield, Illinois", "US", "Illinois"),
        ("Springfield, Massachusetts", "US", "Massachusetts"),
        ("London, Ontario", "CA", "Ontario"),
        ("Mashtal, Baghdad", "IQ", "Baghdad"),
        ("Al-Qaim, Anbar, Iraq", "IQ", "Anbar"),
    ],
)
def test_qualifier_picks_the_place_inside_it(geo, query, cc, admin1_name):
    loc = geo.geocode(query)
    assert loc is not None, query
    assert loc.raw["country_code"] == cc and loc.raw["admin1_name"] == admin1_name, (query, loc.raw)


def test_unqualified_name_keeps_its_default(geo):
    assert geo.geocode("Paris").raw["country_code"] == "FR"
    assert geo.geocode("Springfield").raw["admin1_name"] == "Illinois"  # the most populous one


def test_qualifier_by_district(geo):
    loc = geo.geocode("Konduga, Borno")
    assert loc.raw["country_code"] == "NG" and loc.raw["admin1_name"] == "Borno"


def test_known_qualifier_without_such_place_gives_none(geo):
    # no Fallujah in Texas: no homonym from elsewhere either
    assert geo.geocode("Fallujah, Texas") is None
    assert geo.geocode("Fallujah, Texas", exactly_one=False) == []


def test_unknown_qualifier_is_ignored(geo):
    assert geo.geocode("Fallujah, Qxzqxzvv").raw["country_code"] == "IQ"


def test_country_codes_restrict(geo):
    assert geo.geocode("London", country_codes="CA").raw["admin1_name"] == "Ontario"
    assert geo.geocode("Paris", country_codes=["US"]).raw["country_code"] == "US"
    assert geo.geocode("Mashtal", country_codes=["IQ"]).raw["country_code"] == "IQ"
    assert geo.geocode("Baghdad", country_codes=["FR"]) is None


def test_exactly_one_false_lists_only_places_inside(geo):
    many = geo.geocode("Springfield, Missouri", exactly_one=False, limit=5)
    assert 1 <= len(many) <= 5
    assert all(loc.raw["admin1_name"] == "Missouri" for loc in many)
    assert len(geo.geocode("Paris", exactly_one=False, limit=4)) == 4


def test_dict_query(geo):
    loc = geo.geocode({"city": "Paris", "state": "Texas", "country": "United States"})
    assert loc.raw["admin1_name"] == "Texas"


def test_reverse_far_from_any_place_is_none(geo):
    from geoevents.gazetteer.geocoder import REVERSE_MAX_KM

    assert geo.reverse((0, 0)) is None  # Gulf of Guinea, 560 km from Takoradi
    assert geo.reverse((0, 0), exactly_one=False) == []
    assert geo.reverse((-30.0, -140.0)) is None  # South Pacific
    far = geo.reverse((0, 0), max_distance_km=1000)
    assert far is not None and far.raw["distance_km"] > REVERSE_MAX_KM


def test_reverse_near_a_place(geo):
    loc = geo.reverse((33.34, 44.40))
    assert loc.raw["geonameid"] == 98182 and loc.raw["distance_km"] < 5
