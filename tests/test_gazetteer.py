"""Tests of the offline gazetteer: normalization, the real index, faults, the geopy geocoder."""

from __future__ import annotations

import os
import threading
import time

import pytest

from geoevents.errors import GazetteerCorrupt, GazetteerError, GazetteerNotFound
from geoevents.gazetteer import (
    SCHEMA_VERSION,
    Gazetteer,
    SQLiteGazetteer,
    build_gazetteer,
    default_gazetteer_path,
    name_skeleton,
    name_variants,
    normalize_name,
    search,
)
from geoevents.records import Place
from tests._gaz_fixtures import gazetteer, make_tiny_index  # noqa: F401

# --------------------------------------------------------------------------- normalization


@pytest.mark.parametrize(
    "variants",
    [
        ["Al Qaim", "al-Qa'im", "Qaim", "Al Qā’im", "AL-QAIM", "El Qa'im", "al‐Qaʿim", "Kaim"],
        ["Jurf al-Sakhar", "jurf al sakhar", "Jurf Al Sakhar", "Jurf  al–Sakhar"],
        ["Fallujah", "Falluja", "Al-Fallujah", "Al Fallūjah"],
        ["Hillah", "Hilla", "al-Hillah"],
        ["Ramadi", "Ar-Ramadi", "ar Ramādī"],
        ["Ḩuşaybah", "Husaybah", "Husaybah"],
        ["القائم", "القائِم", "قائم"],
        ["جرف الصخر", "جُرف الصَّخر"],
        ["the Netherlands", "Netherlands"],
        ["Baghdād", "Baghdad", "BAGHDAD"],
    ],
)
def test_normalize_folds_variants_to_one_key(variants):
    keys = {normalize_name(v) for v in variants}
    assert len(keys) == 1, keys
    assert keys.pop()


def test_normalize_keeps_arabic_and_unifies_letters():
    assert normalize_name("بغداد") == "بغداد"
    assert normalize_name("إربيل") == normalize_name("اربيل")
    assert normalize_name("دهوكـــ") == normalize_name("دهوك")  # tatweel
    assert normalize_name("الموصل") == "موصل"
    assert normalize_name("حصيبة") == normalize_name("حصيبه")


def test_normalize_does_not_merge_different_places():
    assert normalize_name("Baghdad") != normalize_name("Basra")
    assert normalize_name("Tower 22") == "tower 22"
    assert normalize_name("Al") == "al"  # an article alone stays
    assert normalize_name("") == ""
    assert normalize_name("  -- ") == ""


def test_skeleton_meets_vowel_variants():
    assert name_skeleton(normalize_name("Jurf as Sakhr")) == name_skeleton(normalize_name("Jurf al-Sakhar"))
    assert name_skeleton(normalize_name("Ayn al-Asad")) == name_skeleton(normalize_name("Ain al-Asad"))
    assert name_skeleton(normalize_name("Akkashat")) == name_skeleton(normalize_name("Akashat"))


def test_variants_strip_generic_words():
    assert name_variants("Ain al-Asad airbase") == ["ain asad airbase", "ain asad"]
    assert "jurf sakhr" in name_variants("Nahiyat Jurf as Sakhr")
    assert name_variants("") == []


def test_normalize_is_fast():
    words = [f"Town{i} al-Qa'im" for i in range(2000)]
    for w in words:
        normalize_name(w)
    t = time.perf_counter()
    n = 0
    for _ in range(50):
        for w in words:
            normalize_name(w)
            n += 1
    rate = n / (time.perf_counter() - t)
    assert rate > 200_000, f"{rate:.0f} calls/s"


# --------------------------------------------------------------------------- required lookups


def _ids(places):
    return [p.geonameid for p in places]


@pytest.mark.parametrize("query", ["Al Qaim", "al-Qa'im", "Qaim", "القائم"])
def test_al_qaim(gazetteer, query):  # noqa: F811
    assert 92138 in _ids(gazetteer.candidates(query))


def test_jurf_al_sakhar(gazetteer):  # noqa: F811
    assert 95069 in _ids(gazetteer.candidates("Jurf al-Sakhar"))
    assert 95069 in _ids(gazetteer.candidates("Jurf as Sakhr"))  # skeleton tier
    assert 95069 in _ids(gazetteer.candidates("جرف الصخر"))


def test_akashat_is_curated(gazetteer):  # noqa: F811
    top = gazetteer.candidates("Akashat")[0]
    assert top.source == "curated" and top.country_code == "IQ" and top.geonameid is None
    assert abs(top.lat - 33.66667) < 1e-4 and abs(top.lon - 39.96667) < 1e-4
    assert top.admin1_name == "Anbar"
    assert gazetteer.candidates("عكاشات")[0].place_id == top.place_id


@pytest.mark.parametrize("query", ["Ain al-Asad airbase", "Ain al-Asad", "Al Asad Air Base", "Ayn al-Asad"])
def test_ain_al_asad_air_base(gazetteer, query):  # noqa: F811
    top = gazetteer.candidates(query, country="IQ")[0]
    assert top.feature_code == "AIRB"
    assert abs(top.lat - 33.7836) < 0.01 and abs(top.lon - 42.4388) < 0.01


def test_ain_al_asad_is_one_place(gazetteer):  # noqa: F811
    """The curated entry replaces OurAirports ORAA and WOF campus 102542465: no duplicates 2 km apart."""
    bases = [
        p
        for p in gazetteer.candidates("Al Asad Airbase", limit=50)
        if p.feature_code.startswith("AIR") and abs(p.lat - 33.79) < 0.1
    ]
    assert len(bases) == 1
    assert gazetteer.candidates("ORAA")[0].place_id == bases[0].place_id


def test_baghdad_first(gazetteer):  # noqa: F811
    assert gazetteer.candidates("Baghdad")[0].geonameid == 98182
    assert gazetteer.candidates("بغداد")[0].geonameid == 98182


def test_jordan_is_the_country(gazetteer):  # noqa: F811
    top = gazetteer.candidates("Jordan")[0]
    assert top.feature_code == "PCLI" and top.country_code == "JO"


def test_tower_22(gazetteer):  # noqa: F811
    top = gazetteer.candidates("Tower 22")[0]
    assert top.country_code == "JO" and abs(top.lat - 33.31417) < 1e-3


def test_country_filter_excludes_other_countries(gazetteer):  # noqa: F811
    assert all(p.country_code == "SY" for p in gazetteer.candidates("Al Qaim", country="SY"))
    assert gazetteer.candidates("Ain al-Asad", country="LB")[0].country_code == "LB"


def test_codes_need_capitals(gazetteer):  # noqa: F811
    assert gazetteer.candidates("US")[0].country_code == "US"
    assert gazetteer.candidates("USA")[0].feature_code == "PCLI"
    assert all(p.feature_code != "PCLI" or p.country_code != "US" for p in gazetteer.candidates("us"))


def test_nonsense_finds_nothing(gazetteer):  # noqa: F811
    assert gazetteer.candidates("zzzqxq") == []
    assert gazetteer.candidates("") == []


def test_persian_gulf_is_the_sea_not_the_province(gazetteer):  # noqa: F811
    assert gazetteer.candidates("Persian Gulf")[0].feature_code == "GULF"


# --------------------------------------------------------------------------- contract


def test_contract(gazetteer):  # noqa: F811
    assert isinstance(gazetteer, Gazetteer)
    assert gazetteer.count() > 400_000
    assert gazetteer.n_names() > gazetteer.count()
    assert gazetteer.meta()["schema_version"] == str(SCHEMA_VERSION)
    assert "GeoNames" in gazetteer.meta()["attribution"]
    p = gazetteer.by_geonameid(98182)
    assert isinstance(p, Place) and p.name == "Baghdad" and p.feature_code == "PPLC"
    assert p.admin1_name == "Baghdad" and p.country_code == "IQ"
    assert gazetteer.get(p.place_id) == p
    assert gazetteer.get(-1) is None and gazetteer.by_geonameid(-1) is None
    jo = gazetteer.country("jo")
    assert jo.feature_code == "PCLI" and jo.geonameid == 248816 and jo.population > 1_000_000
    assert gazetteer.country("XX") is None


def test_lookup_keys_one_query_and_only_matches(gazetteer):  # noqa: F811
    gaz = SQLiteGazetteer(gazetteer.path)
    gaz._connect()
    statements = []
    gaz._conn.set_trace_callback(statements.append)
    keys = [normalize_name("Baghdad"), normalize_name("Al-Qaim"), "no such place key xyz"]
    res = gaz.lookup_keys(keys)
    assert set(res) == set(keys[:2])
    assert res["baghdad"][0].geonameid == 98182
    assert len([s for s in statements if "FROM names" in s]) == 1
    gaz.close()


def test_lookup_keys_chunks_large_batches(gazetteer):  # noqa: F811
    keys = [f"nokey{i}" for i in range(2500)] + ["baghdad"]
    res = gazetteer.lookup_keys(keys)
    assert list(res) == ["baghdad"]


def test_lookup_keys_can_drop_code_matches(gazetteer):  # noqa: F811
    with_codes = gazetteer.lookup_keys(["usa"])
    without = gazetteer.lookup_keys(["usa"], include_codes=False)
    assert any(p.feature_code == "PCLI" for p in with_codes["usa"])
    assert not any(p.feature_code == "PCLI" for p in without.get("usa", []))


def test_has_key_and_iter_keys(gazetteer):  # noqa: F811
    assert gazetteer.has_key("baghdad") and not gazetteer.has_key("no such place key xyz")
    it = gazetteer.iter_keys()
    first = [next(it) for _ in range(1000)]
    assert first == sorted(set(first))


def test_demonyms_and_country_names(gazetteer):  # noqa: F811
    dem = gazetteer.demonyms()
    assert dem[normalize_name("Iraqi")] == "IQ"
    assert dem[normalize_name("Iraqis")] == "IQ"
    assert dem[normalize_name("American")] == "US"
    assert dem[normalize_name("Syrian")] == "SY"
    names = gazetteer.country_names()
    for name, cc in [
        ("United States", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Iraq", "IQ"),
        ("العراق", "IQ"),
        ("Britain", "GB"),
    ]:
        assert names.get(normalize_name(name)) == cc, name


def test_thread_safe_reads(gazetteer):  # noqa: F811
    errors = []

    def work():
        try:
            for _ in range(30):
                assert gazetteer.candidates("Baghdad")[0].geonameid == 98182
                assert "kaim" in gazetteer.lookup_keys(["kaim", "faluja"])
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_search_uses_given_gazetteer(gazetteer):  # noqa: F811
    assert search("Baghdad", gazetteer=gazetteer, limit=1)[0].geonameid == 98182
    assert search("Baghdad", gazetteer=gazetteer.path, limit=3)[0].geonameid == 98182


def test_pickles_as_path(gazetteer):  # noqa: F811
    import pickle

    clone = pickle.loads(pickle.dumps(gazetteer))
    assert clone.path == gazetteer.path
    assert clone.candidates("Baghdad")[0].geonameid == 98182
    clone.close()


# --------------------------------------------------------------------------- faults


def test_constructing_does_no_io(tmp_path):
    gaz = SQLiteGazetteer(tmp_path / "missing.sqlite")  # no error yet
    with pytest.raises(GazetteerNotFound, match="geoevents gazetteer build"):
        gaz.candidates("Baghdad")


def test_missing_without_build(tmp_path):
    with pytest.raises(GazetteerNotFound, match="--gazetteer PATH") as info:
        SQLiteGazetteer.open(tmp_path / "nope.sqlite", build=False)
    assert isinstance(info.value, FileNotFoundError)


def test_random_bytes_are_corrupt(tmp_path):
    p = tmp_path / "junk.sqlite"
    p.write_bytes(os.urandom(10_000))
    with pytest.raises(GazetteerCorrupt, match="--force"):
        SQLiteGazetteer.open(p, build=False)


def test_text_file_is_corrupt(tmp_path):
    p = tmp_path / "notes.sqlite"
    p.write_text("hello, not a database\n")
    with pytest.raises(GazetteerCorrupt, match="--force"):
        SQLiteGazetteer(p).count()


def test_truncated_is_corrupt(tmp_path):
    p = make_tiny_index(tmp_path / "t.sqlite", padding_rows=200)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(GazetteerCorrupt, match="--force"):
        SQLiteGazetteer.open(p, build=False)


def test_empty_file_is_corrupt(tmp_path):
    p = tmp_path / "empty.sqlite"
    p.write_bytes(b"")
    with pytest.raises(GazetteerCorrupt):
        SQLiteGazetteer.open(p, build=False)


def test_wrong_schema_version(tmp_path):
    p = make_tiny_index(tmp_path / "old.sqlite", schema_version="0")
    with pytest.raises(GazetteerCorrupt, match="schema version 0"):
        SQLiteGazetteer.open(p, build=False)


def test_sqlite_without_meta_is_corrupt(tmp_path):
    import sqlite3

    p = tmp_path / "other.sqlite"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE x(a)")
    conn.commit()
    conn.close()
    with pytest.raises(GazetteerCorrupt, match="not a valid geoevents index"):
        SQLiteGazetteer.open(p, build=False)


def test_directory_is_not_an_index(tmp_path):
    with pytest.raises(GazetteerCorrupt):
        SQLiteGazetteer.open(tmp_path, build=False)


def test_unwritable_destination(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(GazetteerError, match="--gazetteer PATH") as info:
        build_gazetteer(blocker / "gaz.sqlite")
    assert "GEOEVENTS_GAZETTEER" in str(info.value)
    assert not isinstance(info.value, GazetteerNotFound)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_cache_dir(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(GazetteerError, match="GEOEVENTS_GAZETTEER"):
            SQLiteGazetteer.open(ro / "gaz.sqlite")
    finally:
        ro.chmod(0o700)


def test_missing_sources(tmp_path):
    with pytest.raises(GazetteerNotFound, match="source extract"):
        build_gazetteer(tmp_path / "g.sqlite", sources=tmp_path)


def test_default_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("GEOEVENTS_GAZETTEER", str(tmp_path / "x.sqlite"))
    assert default_gazetteer_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("GEOEVENTS_GAZETTEER")
    assert default_gazetteer_path().name == f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def test_sources_found_from_checkout():
    from geoevents.gazetteer._sources import find_sources

    src = find_sources()
    assert (src / "cities500.txt.gz").is_file() and (src / "curated.tsv").is_file()
    assert "/work/shared" not in str(src)


def test_curated_rows_cite_sources():
    from geoevents.gazetteer._sources import find_sources

    lines = [
        ln
        for ln in (find_sources() / "curated.tsv").read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    header = lines[0].split("\t")
    for ln in lines[1:]:
        row = dict(zip(header, ln.split("\t"), strict=True))
        assert row["source"].strip(), row["name"]


# --------------------------------------------------------------------------- geopy geocoder


def test_geocoder_geocode(gazetteer):  # noqa: F811
    from geopy.location import Location

    from geoevents.gazetteer.geocoder import OfflineGeocoder

    geo = OfflineGeocoder(gazetteer)
    loc = geo.geocode("Al-Qaim, Iraq")
    assert isinstance(loc, Location)
    assert loc.raw["geonameid"] == 92138 and loc.address == "Al Qā’im, Anbar, Iraq"
    assert loc.point.latitude == pytest.approx(34.39251)
    assert geo.geocode("Ain al-Asad", country_codes=["IQ"]).raw["feature_code"] == "AIRB"
    assert geo.geocode("Ain al-Asad, Lebanon").raw["country_code"] == "LB"
    many = geo.geocode("Paris", exactly_one=False, limit=3)
    assert len(many) == 3 and many[0].raw["country_code"] == "FR"
    assert geo.geocode("zzzqxq") is None
    assert geo.geocode("zzzqxq", exactly_one=False) == []


def test_geocoder_reverse(gazetteer):  # noqa: F811
    from geoevents.gazetteer.geocoder import OfflineGeocoder

    geo = OfflineGeocoder(gazetteer)
    assert geo.reverse((33.34, 44.40)).raw["geonameid"] == 98182
    near = geo.reverse("33.31417, 38.70333")
    assert near.raw["name"] == "Rukban" and near.raw["distance_km"] < 1
    assert len(geo.reverse((33.34, 44.40), exactly_one=False, limit=5)) == 5


def test_geopandas_geocode(gazetteer, monkeypatch):  # noqa: F811
    geopandas = pytest.importorskip("geopandas")
    from geoevents.gazetteer.geocoder import OfflineGeocoder

    monkeypatch.setenv("GEOEVENTS_GAZETTEER", str(gazetteer.path))
    df = geopandas.tools.geocode(["Baghdad", "Akashat"], provider=OfflineGeocoder)
    assert df.crs.to_epsg() == 4326
    assert df.geometry.iloc[0].x == pytest.approx(44.40088)
    assert df.address.iloc[1].startswith("Akashat")


def test_initialisms_and_abbreviations(gazetteer):  # noqa: F811
    assert normalize_name("U.S.") == normalize_name("US") == "us"
    assert gazetteer.candidates("U.S.")[0].country_code == "US"
    assert gazetteer.candidates("U.K.")[0].country_code == "GB"
    dc = gazetteer.candidates("D.C.")[0]
    assert dc.feature_code == "ADM1" and dc.admin1 == "DC"
    assert gazetteer.candidates("Ky.")[0].admin1 == "KY"


def test_demonym_puts_country_first(gazetteer):  # noqa: F811
    assert gazetteer.candidates("Iraqi")[0].feature_code == "PCLI"
    assert gazetteer.candidates("Iraqi")[0].country_code == "IQ"
    assert gazetteer.candidates("Sudanese")[0].country_code == "SD"


def test_admin1_units_natural_earth_lacks(gazetteer):  # noqa: F811
    eng = gazetteer.candidates("England")[0]
    assert eng.feature_code == "ADM1" and eng.country_code == "GB"
    assert 50 < eng.lat < 55 and -3 < eng.lon < 1


def test_admin1_country_matches_its_admin1_code(gazetteer):  # noqa: F811
    # Natural Earth's de-facto iso_a2 (RU) with the GeoNames unit UA.11 once made Crimea an RU
    # unit whose admin1 name was RU.11's (Buryatia): the code's own country must win
    for name, want in (("Crimea", "Republic of Crimea"), ("Sevastopol", "Gorod Sevastopol")):
        units = [
            p for p in gazetteer.candidates(name, limit=10) if p.feature_code.startswith(("ADM1", "PPL"))
        ]
        assert units and units[0].country_code == "UA" and units[0].admin1_name == want


def test_city_beats_its_admin_unit(gazetteer):  # noqa: F811
    assert gazetteer.candidates("New York")[0].feature_class == "P"
    assert gazetteer.candidates("Baghdad")[1].feature_code == "ADM1"


@pytest.mark.parametrize(
    "name",
    [
        "All Saints",
        "Ann Arbor",
        "11ème Arr.",
        "آلالان",
        "تل الألباوي",
        "Antouua",
        "Alphen aan den Rijn",
        "Qaqqa",
        "U.S.A.",
    ],
)
def test_normalize_is_idempotent_on_tricky_names(name):
    key = normalize_name(name)
    assert normalize_name(key) == key


def test_normalize_properties():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("abcdeghiklmnoqrstuwyzAEQ -'.’ʿḩşāīū") + list("القائمبغدادةأإى"))

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(st.text(alphabet, max_size=30))
    def check(s):
        key = normalize_name(s)
        assert normalize_name(key) == key  # keys are fixed points: re-normalizing a key is safe
        assert key == key.strip() and "  " not in key
        assert key == "" or key.lower() == key

    check()


def test_sources_found_in_installed_data_package(tmp_path, monkeypatch):
    import sys

    from geoevents.gazetteer._sources import find_sources

    pkg = tmp_path / "geoevents_gazetteer_data"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "cities500.txt.gz").write_bytes(b"")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("geoevents_gazetteer_data", None)
    import geoevents

    # an installed wheel: no gazetteer/ folder beside the package
    monkeypatch.setattr(geoevents, "__file__", str(tmp_path / "site" / "geoevents" / "__init__.py"))
    assert find_sources() == pkg


def test_checkout_data_comes_before_an_installed_data_package(tmp_path, monkeypatch):
    """A worktree builds from its own gazetteer/ even when another checkout is installed editable."""
    import sys
    from pathlib import Path

    import geoevents
    from geoevents.gazetteer._sources import find_sources

    pkg = tmp_path / "geoevents_gazetteer_data"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "cities500.txt.gz").write_bytes(b"")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("geoevents_gazetteer_data", None)
    assert find_sources() == Path(geoevents.__file__).resolve().parents[1] / "gazetteer"


def test_outdated_indexes_are_removed(tmp_path):
    from geoevents.gazetteer.store import _remove_outdated

    current = tmp_path / f"gazetteer-v{SCHEMA_VERSION}.sqlite"
    current.write_bytes(b"x")
    old = tmp_path / "gazetteer-v1.sqlite"
    old.write_bytes(b"x")
    old_lock = tmp_path / "gazetteer-v1.sqlite.lock"
    old_lock.write_bytes(b"")
    lock = tmp_path / f"gazetteer-v{SCHEMA_VERSION}.sqlite.lock"
    lock.write_bytes(b"")
    stale_tmp = tmp_path / "gazetteer-v1.sqlite.abc.tmp"
    stale_tmp.write_bytes(b"x")
    os.utime(stale_tmp, (time.time() - 200_000, time.time() - 200_000))
    fresh_tmp = tmp_path / f"gazetteer-v{SCHEMA_VERSION}.sqlite.def.tmp"  # maybe a build in progress
    fresh_tmp.write_bytes(b"x")
    other = tmp_path / "notes.txt"
    other.write_text("keep")
    _remove_outdated(current)
    assert current.exists() and fresh_tmp.exists() and other.exists() and lock.exists()
    assert not old.exists() and not stale_tmp.exists() and not old_lock.exists()


def test_air_bases_by_short_name(gazetteer):  # noqa: F811
    udeid = gazetteer.candidates("Al Udeid")[0]
    assert udeid.feature_code == "AIRB" and udeid.country_code == "QA"
    assert gazetteer.candidates("Muwaffaq Salti", country="JO")[0].feature_code == "AIRB"
    assert gazetteer.candidates("Baghdad International Airport")[0].feature_code in ("AIRP", "AIRB")
    # a city still beats the airport named after it
    assert gazetteer.candidates("Erbil")[0].feature_class == "P"


def test_open_into_unwritable_destination(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(GazetteerError, match="GEOEVENTS_GAZETTEER"):
        SQLiteGazetteer.open(blocker / "gaz.sqlite")
