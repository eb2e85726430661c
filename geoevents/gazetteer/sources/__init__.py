"""One module per gazetteer source; each declares ``NAME``, ``ID_OFFSET`` and ``ATTRIBUTION``.

``ID_OFFSET`` is the start of the source's place_id range: GeoNames records use their geonameid
(offset 0); every other record gets ``ID_OFFSET`` + the source's own id, so ids are stable across
builds of the same data. ``stages`` lists the load steps in merge order: a later source adds
names to a place an earlier one created (keyed on geonameid) instead of creating a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from geoevents.gazetteer.builder import Builder
from geoevents.gazetteer.sources import (
    countries,
    curated,  # last: it may replace records of the others
    demonyms,
    geonames,
    geonames_admin2,
    naturalearth_admin1,
    naturalearth_counties,
    naturalearth_physical,
    ourairports,
    wof,
)

__all__ = ["ATTRIBUTION", "ID_OFFSETS", "SOURCE_MODULES", "stages"]

SOURCE_MODULES: tuple[ModuleType, ...] = (
    geonames,
    countries,
    demonyms,
    naturalearth_admin1,
    naturalearth_counties,
    ourairports,
    wof,
    geonames_admin2,
    naturalearth_physical,
    curated,
)

ID_OFFSETS: dict[str, int] = {m.NAME: m.ID_OFFSET for m in SOURCE_MODULES if m.ID_OFFSET}
"""Source name -> first place_id of its range (GeoNames records use their geonameid)."""

ATTRIBUTION = (
    "; ".join(dict.fromkeys(m.ATTRIBUTION for m in SOURCE_MODULES)) + ". See gazetteer/ATTRIBUTION.md."
)
"""The credit line users of the index must show (also stored in the index's ``meta`` table)."""


def stages(b: Builder) -> list[tuple[str, Callable[[], None]]]:
    """Return the build's load steps in merge order, as (progress label, step)."""
    src = b.src
    return [
        ("admin codes and countries", lambda: geonames.load_admin_codes(b)),
        (
            "GeoNames cities500",
            lambda: geonames.load_geonames_19(b, src / "cities500.txt.gz", count_adm1_pop=True),
        ),
        (
            "GeoNames via WOF",
            lambda: geonames.load_via_wof(b, sorted(src.glob("*_geonames_via_wof.txt.gz"))),
        ),
        ("GeoNames additions", lambda: geonames.load_additions(b)),
        ("countries", lambda: countries.load_countries(b)),
        ("demonyms", lambda: demonyms.load_demonyms(b)),
        ("continents", lambda: geonames.load_continents(b)),
        ("Natural Earth admin-1", lambda: naturalearth_admin1.load_ne_admin1(b)),
        ("GeoNames admin-1 without NE point", lambda: naturalearth_admin1.load_admin1_fallback(b)),
        ("US counties", lambda: naturalearth_counties.load_us_counties(b)),
        ("OurAirports", lambda: ourairports.load_airports(b)),
        ("Who's On First", lambda: wof.load_wof(b)),
        ("GeoNames admin-2", lambda: geonames_admin2.load_admin2(b)),
        ("Natural Earth physical", lambda: naturalearth_physical.load_physical(b)),
        ("curated entries", lambda: curated.load_curated(b)),
    ]
