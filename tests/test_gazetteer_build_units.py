"""Build pieces that need no index: source declarations, admin-2 name helpers, containment rules."""

from __future__ import annotations

import itertools

import pytest

from geoevents.gazetteer import containment
from geoevents.gazetteer.feature_codes import BUILD_RANK_BONUS, COUNTRY_FEATURE_CODES, is_country
from geoevents.gazetteer.normalize import normalize_name
from geoevents.gazetteer.sources import ATTRIBUTION, ID_OFFSETS, SOURCE_MODULES
from geoevents.gazetteer.sources.geonames_admin2 import _seat_key, base_name
from geoevents.records import Place


def test_every_source_declares_name_id_range_and_attribution():
    names = [m.NAME for m in SOURCE_MODULES]
    assert len(set(names)) == len(names)
    for m in SOURCE_MODULES:
        assert isinstance(m.NAME, str) and m.NAME
        assert m.ID_OFFSET is None or isinstance(m.ID_OFFSET, int)
        assert m.ATTRIBUTION.strip() and m.ATTRIBUTION in ATTRIBUTION
    offsets = sorted(ID_OFFSETS.values())
    assert len(set(offsets)) == len(offsets)  # one id range per source
    assert offsets[0] >= 10_000_000_000  # above every GeoNames id
    assert all(b - a >= 10_000_000_000 for a, b in itertools.pairwise(offsets))


def test_feature_code_tables():
    assert is_country("PCLI") and not is_country("ADM1")
    assert BUILD_RANK_BONUS["SEA"] > BUILD_RANK_BONUS["ADM1"]
    assert BUILD_RANK_BONUS["PCLI"] > BUILD_RANK_BONUS["PPLC"]
    assert {"PCLI", "PCLD", "TERR"} <= COUNTRY_FEATURE_CODES


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("Nād ‘Alī District", "Nād ‘Alī"),
        ("Konduga LGA", "Konduga"),
        ("District of Columbia", "Columbia"),
        ("Brovary Raion", "Brovary"),
        ("Kent", ""),
        ("City", ""),
    ],
)
def test_admin2_base_name(name, base):
    assert base_name(name) == base


def test_seat_names_lose_their_district_centre_head():
    assert _seat_key("Ḩukūmat-e Nād ‘Alī") == normalize_name("Nād ‘Alī")
    assert _seat_key("Wulêswālī Bihsūd") == normalize_name("Bihsūd")
    assert _seat_key("‘Alāqahdārī Shāh Jōy") == normalize_name("Shāh Jōy")
    assert _seat_key("Hukumat") == "hukumat"  # a name that is only the head stays


def _p(pid, fcode, cc="NG", a1="", a1_id=None, a2_id=None, lat=11.0, lon=13.0, fclass=None):
    fclass = fclass or ("A" if fcode.startswith(("ADM", "PCL")) else "P")
    return Place(pid, f"p{pid}", lat, lon, fclass, fcode, cc, a1, admin1_id=a1_id, admin2_id=a2_id)


def test_within_by_admin_codes_and_distance():
    nigeria = _p(1, "PCLI")
    borno = _p(2, "ADM1", a1="27", a1_id=2)
    konduga = _p(3, "ADM2", a1="27", a1_id=2, a2_id=3)
    village = _p(4, "PPL", a1="27", a1_id=2, a2_id=3)
    elsewhere = _p(5, "PPL", a1="23", a1_id=9, a2_id=8)
    for unit in (nigeria, borno, konduga):
        assert containment.within(village, unit) and containment.is_container(unit)
    assert not containment.within(elsewhere, borno) and not containment.within(elsewhere, konduga)
    assert containment.within(elsewhere, nigeria)
    assert not containment.within(borno, borno)  # nothing is inside itself
    assert not containment.within(_p(6, "PPL", cc="CM"), nigeria)
    town = _p(7, "PPLA2", lat=11.0, lon=13.0)
    near = _p(8, "PPL", lat=11.1, lon=13.1)  # 15 km
    far = _p(9, "PPL", lat=12.0, lon=13.0)  # 111 km
    assert containment.within(near, town) and not containment.within(far, town)
    sea = Place(10, "Red Sea", 20.3, 38.8, "H", "SEA")
    assert not containment.is_container(sea) and not containment.within(near, sea)
