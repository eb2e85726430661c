"""Coverage, admin units, containment and seas in the real index (issue 13)."""

from __future__ import annotations

import gzip
import itertools

import pytest

from geoevents.gazetteer import containment
from geoevents.gazetteer._sources import find_sources
from geoevents.geo import haversine_km
from tests._gaz_fixtures import gazetteer  # noqa: F401

NEW_COUNTRIES = (
    *("YE", "SD", "SS", "SO", "NG", "AF", "PK", "LY", "ML", "BF", "NE"),
    *("TD", "CM", "UA", "EG", "SA", "PS", "CF", "CD", "KE", "ET", "MZ"),
)


def _unit(gazetteer, name, code, cc):  # noqa: F811
    hits = [p for p in gazetteer.candidates(name, country=cc, limit=50) if p.feature_code == code]
    assert hits, (name, code, cc)
    return hits[0]


@pytest.mark.parametrize("cc", NEW_COUNTRIES)
def test_new_country_places_are_in_the_index(gazetteer, cc):  # noqa: F811
    path = find_sources() / f"{cc}_geonames_via_wof.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        ids = [int(line.split("\t", 1)[0]) for line in itertools.islice(fh, 0, None, 37)]
    missing = [gid for gid in ids if gazetteer.by_geonameid(gid) is None]
    # only records with a point far outside their country are skipped (coordinate errors)
    assert len(ids) >= 10 and len(missing) <= 0.01 * len(ids), (cc, missing[:5])


def test_records_with_a_point_outside_their_country_are_skipped(gazetteer):  # noqa: F811
    assert gazetteer.by_geonameid(8282146) is None  # "Font Al-Da'da", YE, filed at 0.25 N 0.78 E
    zumbo = gazetteer.by_geonameid(1024693)  # MZ's westernmost town, outside MZ's cities500 box
    assert zumbo is not None and zumbo.country_code == "MZ"


def test_nad_ali_district_of_helmand(gazetteer):  # noqa: F811
    helmand = _unit(gazetteer, "Helmand Province", "ADM1", "AF")
    district = _unit(gazetteer, "Nad Ali district", "ADM2", "AF")
    assert district.admin1_id == helmand.place_id and district.admin1_name == "Helmand"
    assert containment.within(district, helmand)
    town = next(
        p for p in gazetteer.candidates("Nad Ali") if p.feature_class == "P" and p.country_code == "AF"
    )
    # the district seat knows its district although its admin-2 code is newer than the code table
    assert town.admin2_id == district.place_id and containment.within(town, district)
    assert haversine_km(town.lat, town.lon, district.lat, district.lon) < 40


def test_konduga_lga_of_borno_state(gazetteer):  # noqa: F811
    borno = _unit(gazetteer, "Borno State", "ADM1", "NG")
    lga = _unit(gazetteer, "Konduga LGA", "ADM2", "NG")
    assert containment.within(lga, borno) and lga.admin2_name == "Konduga"
    town = next(p for p in gazetteer.candidates("Konduga", country="NG") if p.feature_class == "P")
    assert containment.within(town, lga) and containment.within(town, borno)
    assert haversine_km(town.lat, town.lon, lga.lat, lga.lon) < 60
    villages = gazetteer._query(
        "SELECT COUNT(*) FROM places WHERE admin2_id=? AND feature_class='P'", (lga.place_id,)
    )[0][0]
    assert villages > 20  # the villages of the LGA know it


def test_governorates_and_districts_elsewhere(gazetteer):  # noqa: F811
    for name, code, cc in [
        ("Idlib Governorate", "ADM1", "SY"),
        ("Hama Governorate", "ADM1", "SY"),
        ("Marib", "ADM1", "YE"),
        ("Sangin District", "ADM2", "AF"),
        ("Gwoza", "ADM2", "NG"),
        ("Bakool", "ADM1", "SO"),
        ("North Darfur", "ADM1", "SD"),
        ("Jonglei State", "ADM1", "SS"),
        ("Donetsk Oblast", "ADM1", "UA"),
    ]:
        unit = _unit(gazetteer, name, code, cc)
        assert unit.country_code == cc


def test_within_rules(gazetteer):  # noqa: F811
    iraq = gazetteer.country("IQ")
    baghdad_city = gazetteer.by_geonameid(98182)
    mosul = gazetteer.by_geonameid(99072)
    assert containment.within(mosul, iraq) and not containment.within(iraq, iraq)
    assert not containment.within(mosul, baghdad_city)  # 350 km apart
    sadr = gazetteer.candidates("Sadr City", country="IQ")[0]
    assert containment.within(sadr, baghdad_city)
    assert containment.is_container(iraq) and containment.is_container(baghdad_city)
    assert not containment.is_container(gazetteer.candidates("Red Sea")[0])


def test_seas_are_features(gazetteer):  # noqa: F811
    for name, code in [
        ("Red Sea", "SEA"),
        ("Gulf of Aden", "GULF"),
        ("Persian Gulf", "GULF"),
        ("Black Sea", "SEA"),
    ]:
        first = gazetteer.candidates(name)[0]
        assert first.feature_code == code and first.feature_class == "H", name
    # the Sudanese state of the same name stays a candidate, after the sea
    assert any(p.feature_code == "ADM1" and p.country_code == "SD" for p in gazetteer.candidates("Red Sea"))


@pytest.mark.parametrize(
    ("name", "code", "cc"),
    [
        ("Strait of Hormuz", "STRT", ""),
        ("Sinai", "PEN", "EG"),
        ("Eastern Ghouta", "RGN", "SY"),
        ("Sambisa Forest", "FRST", "NG"),
        ("Donbass", "RGN", "UA"),
    ],
)
def test_curated_regions_and_waters(gazetteer, name, code, cc):  # noqa: F811
    first = gazetteer.candidates(name)[0]
    assert (first.feature_code, first.country_code, first.source) == (code, cc, "curated")


def test_curated_entries_kept(gazetteer):  # noqa: F811
    tower = gazetteer.candidates("Tower 22")[0]
    assert tower.source == "curated" and tower.country_code == "JO"
    assert gazetteer.candidates("Akashat")[0].source == "curated"


def test_admin2_units_are_placed_for_most_of_the_table(gazetteer):  # noqa: F811
    n_adm2 = gazetteer._query("SELECT COUNT(*) FROM places WHERE feature_code='ADM2'")[0][0]
    assert n_adm2 > 25_000
    for cc in ("NG", "YE", "AF", "CF"):
        n = gazetteer._query(
            "SELECT COUNT(*) FROM places WHERE feature_code='ADM2' AND country_code=?", (cc,)
        )[0][0]
        assert n >= 60, cc


def test_admin_units_of_a_village(gazetteer):  # noqa: F811
    town = next(p for p in gazetteer.candidates("Konduga", country="NG") if p.feature_class == "P")
    province, district = gazetteer.admin_units(town)
    assert province.feature_code == "ADM1" and province.name == "Borno"
    assert district.feature_code == "ADM2" and district.name == "Konduga"
    baghdad = gazetteer.by_geonameid(98182)
    province, _ = gazetteer.admin_units(baghdad)
    assert province.feature_code == "ADM1" and province.country_code == "IQ"
    sea = gazetteer.candidates("Red Sea")[0]
    assert gazetteer.admin_units(sea) == (None, None)
