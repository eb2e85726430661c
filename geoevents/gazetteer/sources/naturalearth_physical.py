"""Natural Earth 10m physical features: seas, gulfs, straits, lakes, rivers, deserts, ranges, peaks.

These have no country; their rank takes a bonus from Natural Earth's ``scalerank`` (bigger first).
"""

from __future__ import annotations

import csv

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_MAIN,
    PRIO_WEAK,
    Builder,
    open_gz,
    to_float,
)
from geoevents.gazetteer.feature_codes import FEATURE_CLASS_OF, NE_MARINE_CODES, NE_REGION_CODES

NAME = "naturalearth_physical"
ID_OFFSET = 40_000_000_000  # + row number
ATTRIBUTION = "Made with Natural Earth (public domain)"


def load_physical(b: Builder) -> None:
    """Add seas, gulfs, straits, lakes, rivers, deserts, ranges, peaks and regions."""
    with open_gz(b.src / "ne_10m_physical_points.tsv.gz") as fh:
        for i, r in enumerate(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)):
            layer, cla = r["layer"], (r["featurecla"] or "").lower().strip()
            if layer == "geography_marine_polys":
                fcode = NE_MARINE_CODES.get(cla, "BAY")
            elif layer == "lakes":
                fcode = "RSV" if "reservoir" in cla else "LK"
            elif layer.startswith("rivers"):
                fcode = "STM"
            elif layer == "geography_regions_elevation_points":
                fcode = "MT"
            else:
                fcode = NE_REGION_CODES.get(cla, "RGN")
            if fcode == "CONT":
                continue  # the GeoNames continents are loaded already
            raw = (r["name_en"] or r["name"] or "").strip()
            if not raw:
                continue
            name = raw.title() if raw.isupper() else raw
            pid = ID_OFFSET + i
            b.add_place(
                pid,
                name,
                to_float(r["lat"]),
                to_float(r["lon"]),
                FEATURE_CLASS_OF.get(fcode, "H"),
                fcode,
                "",
                "",
                "",
                0,
                None,
                "naturalearth",
            )
            b.places[pid].append(-0.25 * to_float(r["scalerank"], 5))
            b.add_names(pid, (name,), PRIO_MAIN)
            b.add_names(pid, (r["name"], r["name_en"]), PRIO_ALT)
            b.add_names(pid, (r["name_alt"] or "").split("|"), PRIO_WEAK)
