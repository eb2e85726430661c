"""Who's On First rows GeoNames lacks (IQ SY JO IR TR LB KW IL): campuses, regions, counties, localities.

A WOF record with a GeoNames concordance only adds names to that GeoNames place; a campus whose
ICAO code OurAirports has merges into that airport.
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
    to_int,
)

NAME = "wof"
ID_OFFSET = 10_000_000_000  # + wof_id, for records without a GeoNames id
ATTRIBUTION = "Data from Who's On First (https://whosonfirst.org/docs/licenses/)"


def load_wof(b: Builder) -> None:
    """Add WOF campuses, regions, counties and WOF-native places; merge the rest into GeoNames places."""
    with open_gz(b.src / "wof_extract.tsv.gz") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    region_a1: dict[str, str] = {}
    for r in rows:
        if r["placetype"] == "region" and r["geonameid"]:
            code = b.admin1_by_gid.get(to_int(r["geonameid"]))
            if code:
                region_a1[r["wof_id"]] = code
    for r in rows:
        pt = r["placetype"]
        names_all = [n for n in (r["all_names"] or "").split("|") if n]
        main = r["name"]
        alts = [r["name_eng"], r["name_ara"]]
        gid = to_int(r["geonameid"]) or None
        cc = r["country"]
        a1code = (
            region_a1.get(r["region_id"] or "")
            or (region_a1.get(r["wof_id"]) if pt == "region" else "")
            or ""
        )
        a1 = a1code.split(".", 1)[1] if a1code and a1code.startswith(cc + ".") else ""
        lat, lon = to_float(r["latitude"]), to_float(r["longitude"])
        if pt == "campus":
            icao = next(
                (
                    n
                    for n in names_all
                    if len(n) == 4 and n.isalpha() and n.isupper() and n in b.airport_by_icao
                ),
                None,
            )
            if icao:
                pid = b.airport_by_icao[icao]
                b.add_names(pid, [main, *alts], PRIO_ALT)
                b.add_names(pid, names_all, PRIO_WEAK)
                continue
            pid = ID_OFFSET + int(r["wof_id"])
            low = f" {' '.join([main, r['name_eng']]).lower()} "
            fcode = "AIRB" if (" air base " in low or " airbase " in low) else "AIRP"
            b.add_place(pid, main, lat, lon, "S", fcode, cc, a1, "", 0, None, "wof")
        elif gid and gid in b.by_gid:
            pid = b.by_gid[gid]
            b.add_names(pid, [main, *alts], PRIO_ALT)
            b.add_names(pid, names_all, PRIO_WEAK)
            continue
        elif pt == "region":
            pid = gid or ID_OFFSET + int(r["wof_id"])
            b.add_place(pid, main, lat, lon, "A", "ADM1", cc, a1, "", b.adm1_pop.get(a1code, 0), gid, "wof")
        elif pt == "county":
            pid = gid or ID_OFFSET + int(r["wof_id"])
            a2code = b.admin2_by_gid.get(gid or -1, "")
            a2 = a2code.rsplit(".", 1)[-1] if a2code else ""
            b.add_place(
                pid,
                main,
                lat,
                lon,
                "A",
                "ADM2",
                cc,
                a1,
                a2,
                b.adm2_pop.get(a2code, 0) if a2code else 0,
                gid,
                "wof",
            )
        elif pt in ("locality", "neighbourhood"):
            pid = ID_OFFSET + int(r["wof_id"])
            b.add_place(
                pid,
                main,
                lat,
                lon,
                "P",
                "PPL" if pt == "locality" else "PPLX",
                cc,
                a1,
                "",
                0,
                None,
                "wof",
            )
        else:
            continue
        b.add_names(pid, (main,), PRIO_MAIN)
        b.add_names(pid, alts, PRIO_ALT)
        b.add_names(pid, names_all, PRIO_WEAK)
