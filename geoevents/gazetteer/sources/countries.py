"""Countries: GeoNames country points (gvenzl), mledoze names (and points of territories), OurAirports names.

place_id = the country's geonameid (countryInfo), else ``ID_OFFSET`` + the ISO code's bytes.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_CODE,
    PRIO_MAIN,
    PRIO_WEAK,
    Builder,
    allowed_script,
    is_code,
    open_gz,
    to_int,
)
from geoevents.gazetteer.normalize import normalize_name

NAME = "countries"
ID_OFFSET = 60_000_000_000
ATTRIBUTION = "mledoze/countries (ODbL 1.0); country points from GeoNames via gvenzl/sample-data (CC BY 4.0)"


def load_countries(b: Builder) -> None:
    """Add every country (PCLI/PCLD) with its names, codes and country-name table rows."""
    points: dict[str, dict] = {}
    with open_gz(b.src / "countries_geonames_points_gvenzl.csv.gz") as fh:
        for r in csv.DictReader(fh):
            points[r["COUNTRY_CODE"]] = r
    with open_gz(b.src / "countries.json.gz") as fh:
        mledoze = {c["cca2"]: c for c in json.load(fh)}
    oa_names: dict[str, list[str]] = defaultdict(list)
    with open_gz(b.src / "ourairports_countries.csv.gz") as fh:
        for r in csv.DictReader(fh):
            oa_names[r["code"]].append(r["name"])
            oa_names[r["code"]].extend(k for k in (r.get("keywords") or "").split(",") if k.strip())
    codes = sorted(set(b.countries) | set(mledoze))
    cn_rows = []
    for cc in codes:
        info = b.countries.get(cc, {})
        m = mledoze.get(cc)
        pt = points.get(cc)
        gid = info.get("geonameid")
        if pt:
            lat, lon, fcode, source = float(pt["LATITUDE"]), float(pt["LONGITUDE"]), "PCLI", "geonames"
        elif m and m.get("latlng"):
            lat, lon = float(m["latlng"][0]), float(m["latlng"][1])
            fcode = "PCLI" if m.get("independent") else "PCLD"
            source = "mledoze"
        else:
            continue
        pid = gid if gid else ID_OFFSET + sum(ord(c) << (8 * i) for i, c in enumerate(cc))
        name = info.get("name") or (m["name"]["common"] if m else cc)
        pop = info.get("population") or (to_int(pt["POPULATION"]) if pt else 0)
        b.add_place(pid, name, lat, lon, "A", fcode, cc, "", "", pop, gid, source)
        b.country_gid[cc] = pid
        main = [name]
        alts: list[str] = []
        weak: list[str] = []
        if pt:
            alts += [pt["NAME"], pt["OFFICIAL_NAME"]]
        if m:
            alts += [m["name"]["common"], m["name"]["official"]]
            alts += [n for n in m.get("altSpellings", []) if not is_code(n)]
            for tr in m.get("translations", {}).values():
                weak += [tr.get("common", ""), tr.get("official", "")]
            for nat in m.get("name", {}).get("native", {}).values():
                weak += [nat.get("common", ""), nat.get("official", "")]
        alts += oa_names.get(cc, [])[:1]
        weak += oa_names.get(cc, [])[1:]
        codes_ = [cc]
        if info.get("iso3"):
            codes_.append(info["iso3"])
        if m:
            codes_ += [n for n in m.get("altSpellings", []) if is_code(n) and n.isalpha()]
            if m.get("cca3"):
                codes_.append(m["cca3"])
        b.add_names(pid, main, PRIO_MAIN)
        b.add_names(pid, alts, PRIO_ALT)
        b.add_names(pid, weak, PRIO_WEAK)
        b.add_names(pid, codes_, PRIO_CODE, codes=True)
        for prio, group in ((0, main), (1, alts), (2, weak), (3, codes_)):
            for n in group:
                if n and allowed_script(n):
                    k = normalize_name(n)
                    if k:
                        cn_rows.append((k, cc, prio))
    b.conn.executemany("INSERT OR IGNORE INTO country_names VALUES (?,?,?)", cn_rows)
