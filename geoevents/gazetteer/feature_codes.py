"""GeoNames feature-code sets and the gazetteer build's default rank bonus, in one place.

Two different bonus tables exist in geoevents, for two different jobs: ``BUILD_RANK_BONUS`` here
sets the *default order of candidates for one name* stored in the index (``rank`` column); the
geoparser keeps its own resolution weights in ``geoevents.geoparse`` (context-aware scoring).
Change this one to change what ``SQLiteGazetteer.candidates`` lists first for a bare name.
"""

from __future__ import annotations

__all__ = [
    "ADMIN_FEATURE_CODES",
    "BUILD_RANK_BONUS",
    "COUNTRY_FEATURE_CODES",
    "FEATURE_CLASS_OF",
    "NE_MARINE_CODES",
    "NE_REGION_CODES",
    "WATER_FEATURE_CODES",
    "is_country",
]

COUNTRY_FEATURE_CODES: frozenset[str] = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
"""Feature codes of countries and dependent territories (GeoNames class A, PCL*)."""
ADMIN_FEATURE_CODES: frozenset[str] = frozenset({"ADM1", "ADM2", "ADM3", "ADM4", "ADMD"})
"""Feature codes of administrative divisions below the country (governorate, province, district, LGA)."""
WATER_FEATURE_CODES: frozenset[str] = frozenset(
    {"OCN", "SEA", "GULF", "BAY", "STRT", "SD", "CHN", "LGN", "FJD", "INLT", "STM", "LK", "RSV"}
)
"""Feature codes of named water bodies (seas, gulfs, straits, lakes, rivers)."""


def is_country(feature_code: str) -> bool:
    """Tell whether a feature code is a country or territory (``PCLI``, ``PCLD``, ``TERR`` ...)."""
    return feature_code in COUNTRY_FEATURE_CODES


# Rank = log10(population + 1) + a bonus per feature code: the default order of candidates
# for the same key (countries before towns of the same name, a capital before its governorate).
# Admin units get a malus because their population is the sum of their member cities, which
# would otherwise always outrank the city they are named after ("New York", "Baghdad").
BUILD_RANK_BONUS: dict[str, float] = {
    "PCLI": 4.0,
    "PCLD": 3.5,
    "PCLS": 3.5,
    "PCLIX": 3.0,
    "TERR": 3.0,
    "CONT": 2.0,
    "PPLC": 2.0,
    "PPLA": 1.0,
    "PPLA2": 0.5,
    "PPLA3": 0.25,
    "PPLG": 0.5,
    "ADM1": -1.0,
    "ADM2": -1.0,
    "PPLX": -0.5,
    "PPLH": -1.0,
    "PPLQ": -1.0,
    "PPLW": -1.0,
    "OCN": 8.0,
    "SEA": 6.5,
    "GULF": 6.5,
    "STRT": 5.0,
    "BAY": 4.5,
    "CHN": 4.0,
    "SD": 4.0,
    "DSRT": 5.0,
    "MTS": 5.0,
    "RGN": 5.0,
    "PLAT": 4.0,
    "PLN": 4.0,
    "PEN": 4.5,
    "VAL": 4.0,
    "DLTA": 4.0,
    "STM": 5.0,
    "LK": 4.0,
    "ISL": 3.5,
    "ISLS": 4.0,
    "MT": 3.5,
    "CAPE": 3.0,
    "FLLS": 3.0,
    "AIRB": 3.0,
    "AIRP": 2.0,
    "AIRS": 0.5,
    "MILB": 3.0,
}

NE_MARINE_CODES: dict[str, str] = {
    "ocean": "OCN",
    "sea": "SEA",
    "gulf": "GULF",
    "bay": "BAY",
    "strait": "STRT",
    "sound": "SD",
    "channel": "CHN",
    "lagoon": "LGN",
    "fjord": "FJD",
    "inlet": "INLT",
    "river": "STM",
    "reef": "RF",
}
NE_REGION_CODES: dict[str, str] = {
    "desert": "DSRT",
    "range/mtn": "MTS",
    "range/mtns": "MTS",
    "mountains": "MTS",
    "plateau": "PLAT",
    "plain": "PLN",
    "island": "ISL",
    "island group": "ISLS",
    "peninsula": "PEN",
    "basin": "BSNU",
    "valley": "VAL",
    "delta": "DLTA",
    "lowland": "LWL",
    "wetlands": "WTLD",
    "depression": "DPR",
    "tundra": "TUND",
    "gorge": "GRGE",
    "pen/cape": "CAPE",
    "cape": "CAPE",
    "coast": "CST",
    "geoarea": "RGN",
    "region": "RGN",
    "foothills": "HLLS",
    "isthmus": "ISTH",
    "waterfall": "FLLS",
    "mountain": "MT",
    "pole": "PT",
    "archipelago": "ISLS",
    "continent": "CONT",
}
FEATURE_CLASS_OF: dict[str, str] = {
    "OCN": "H",
    "SEA": "H",
    "GULF": "H",
    "BAY": "H",
    "STRT": "H",
    "SD": "H",
    "CHN": "H",
    "LGN": "H",
    "FJD": "H",
    "INLT": "H",
    "STM": "H",
    "LK": "H",
    "RF": "U",
    "FLLS": "H",
    "WTLD": "H",
    "DSRT": "T",
    "MTS": "T",
    "PLAT": "T",
    "PLN": "T",
    "ISL": "T",
    "ISLS": "T",
    "PEN": "T",
    "BSNU": "H",
    "VAL": "T",
    "DLTA": "T",
    "LWL": "T",
    "DPR": "T",
    "TUND": "L",
    "GRGE": "T",
    "CAPE": "T",
    "CST": "L",
    "RGN": "L",
    "HLLS": "T",
    "ISTH": "T",
    "MT": "T",
    "PT": "T",
    "CONT": "L",
}
