"""Every number resolution and recognition weigh evidence with, in one frozen table.

Scores are in log10(population) units: a candidate's prior is its log population plus a bonus
for its feature class (:data:`PRIOR_FEATURE_BONUS`); qualifiers, document context and distance
add to that. Change a weight by passing ``Geoparser(gaz, weights=replace(DEFAULT_WEIGHTS, ...))``.

This bonus table is the *resolution prior* (what an unqualified name in news usually means).
The gazetteer build has a different table (the rank of an entry among its namesakes); the two
are tuned for different questions and deliberately kept apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geoevents.gazetteer.feature_codes import COUNTRY_FEATURE_CODES
from geoevents.records import Place

__all__ = [
    "ADMIN_CODES",
    "COUNTRY_CODES",
    "DEFAULT_WEIGHTS",
    "PRIOR_FEATURE_BONUS",
    "Weights",
    "pop_term",
]

COUNTRY_CODES = COUNTRY_FEATURE_CODES  # the gazetteer's one list of country/territory codes
ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3"})

# Resolution prior bonus by GeoNames feature code, in log10(population) units: a country or a
# first-order admin unit is what an unqualified name usually means in news, far more often than
# its population says.
PRIOR_FEATURE_BONUS: dict[str, float] = {
    "PCLI": 5.0,
    "PCLD": 4.0,
    "PCLF": 4.0,
    "PCLS": 4.0,
    "PCLIX": 3.5,
    "PCL": 4.0,
    "TERR": 3.0,
    "CONT": 6.0,
    "RGN": 1.0,
    "ADM1": 1.0,
    "ADM1H": 0.0,
    "PPLC": 2.5,
    "PPLA": 1.2,
    "ADM2": 1.0,
    "PPLA2": 0.6,
    "ADM3": 0.2,
    "PPLA3": 0.3,
    "PPLA4": 0.1,
    "PPL": 0.0,
    "PPLG": 0.8,
    "PPLX": -0.6,
    "PPLL": -0.3,
    "PPLF": -0.5,
    "PPLQ": -1.5,
    "PPLH": -1.5,
    "PPLW": -1.5,
    "PPLR": -0.4,
    "PPLS": -0.3,
    "STLMT": -0.3,
    "AIRB": 0.5,
    "MILB": 0.5,
    "OCN": 6.0,
    "SEA": 4.0,
    "GULF": 3.0,
    "STRT": 2.0,
    "AIRP": 0.0,
    "AIRF": -0.2,
}

# a typical log10 population for entries without a figure (admin units, seats)
_IMPUTED_LOG_POP = {
    "PCLI": 7.0,
    "PCLD": 6.0,
    "PCLF": 6.0,
    "PCLS": 6.0,
    "PCLIX": 6.0,
    "PCL": 6.0,
    "TERR": 5.0,
    "CONT": 8.0,
    "ADM1": 5.5,
    "ADM2": 4.0,
    "ADM3": 3.5,
    "ADM4": 3.0,
    "PPLC": 5.5,
    "PPLA": 4.7,
    "PPLA2": 4.0,
    "PPLA3": 3.3,
    "PPLA4": 3.0,
}


def pop_term(p: Place) -> float:
    """log10 of the population; a typical figure where the gazetteer has none (admin units)."""
    pop = p.population or 0
    if pop <= 0:
        # admin seats without a figure are still towns of some size
        return _IMPUTED_LOG_POP.get(p.feature_code, 1.7 if p.feature_class == "P" else 0.0)
    return math.log10(pop + 1)


@dataclass(frozen=True, slots=True)
class Weights:
    """Hand-set weights of the rule-based resolver and of the recognizer's acceptance test."""

    # resolution, in log10(population) units
    country: float = 4.0  # x the document's share of evidence for the candidate's country
    mentioned_country: float = 1.0  # the article names the candidate's country
    admin1: float = 4.5  # x the document's share for the candidate's first-order admin unit
    qual_admin: float = 4.0  # "Paris, Texas": the qualifier is the candidate's admin unit
    qual_country: float = 2.5  # "Paris, France"
    near: float = 2.0  # x exp(-d/150 km) to the nearest confidently resolved other place
    type_hint: float = 1.5  # "Anbar province": the following word asks for this feature class
    type_level: float = 2.5  # ... and for this admin level ("district": ADM2, "governorate": ADM1)
    type_in_name: float = 3.0  # "the Red Sea", "Euphrates River": the name's own head word
    exact: float = 2.5  # the candidate's own name (not an alternate name) matches
    city_over_admin: float = 2.0  # a big city beats the admin unit named after it
    variant: float = -0.8  # "Barrow" matched only as "Barrow County"
    metonymic_capital: float = 2.0  # "talks with Washington": at least the right city
    admin2_as_admin1: bool = True  # a town's admin2 may meet a context admin1 (Philippines)
    # recognition: evidence that a matched span is a place mention at all
    accept: float = 0.5
    context_accept: float = 0.0  # looser for names only used as context for given spans
    person_name: float = 1.0
    strong_soften: float = 0.2  # how much an org-like follower counts against a well-known place
    same_name_sure: float = 1.5  # a name accepted with this evidence is a place all through the text
    same_name_margin: float = 3.5  # ... also where its own evidence falls this far short ("Fargo Mayor")
    doc_country_rare: float = 0.75
    doc_country_common: float = 0.3
    fuzzy_min: int = 75  # rapidfuzz ratio a fuzzy match of a given span needs in a named country
    fuzzy_sure: int = 88  # ... and anywhere (a typo a reader forgives: "Baghdadd")
    inner_name: bool = True  # a given span with no entry takes the place named inside it
    inner_context: float = 0.3  # how much such a span counts as document context


DEFAULT_WEIGHTS = Weights()
