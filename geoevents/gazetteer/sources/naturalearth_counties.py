"""US counties at Natural Earth label points, keyed on GeoNames admin-2 geonameids."""

from __future__ import annotations

import csv

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_MAIN,
    Builder,
    open_gz,
    to_float,
    to_int,
)

NAME = "naturalearth_counties"
ID_OFFSET = 50_000_000_000  # + FIPS, for counties without a GeoNames id
ATTRIBUTION = "Made with Natural Earth (public domain)"


def load_us_counties(b: Builder) -> None:
    """Add US counties at their Natural Earth label point."""
    with open_gz(b.src / "us_counties_points_geonames.tsv.gz") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            gid = to_int(r["geonameid"]) or None
            pid = gid if gid else ID_OFFSET + to_int(r["fips"])
            code = r["gn_admin2_code"] or ""
            a2 = code.split(".")[-1] if code else r["fips"][-3:]
            if pid in b.places:
                continue
            b.add_place(
                pid,
                r["gn_name"] or r["name_alt"] or r["name"],
                to_float(r["lat"]),
                to_float(r["lon"]),
                "A",
                "ADM2",
                "US",
                r["state"],
                a2,
                b.adm2_pop.get(f"US.{r['state']}.{a2}", 0),
                gid,
                "naturalearth",
            )
            b.add_names(pid, (r["gn_name"] or r["name_alt"] or r["name"],), PRIO_MAIN)
            b.add_names(pid, (r["name"], r["name_alt"]), PRIO_ALT)
