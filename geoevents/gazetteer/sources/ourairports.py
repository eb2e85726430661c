"""OurAirports airports and air bases (AIRP / AIRB / AIRS) with ICAO/IATA codes as code names."""

from __future__ import annotations

import csv
import re

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_CODE,
    PRIO_MAIN,
    PRIO_WEAK,
    Builder,
    open_gz,
    to_float,
)

NAME = "ourairports"
ID_OFFSET = 20_000_000_000  # + OurAirports id
ATTRIBUTION = "Airport data from OurAirports (public domain)"

_AIRPORT_TAIL = re.compile(
    r"\s+(?:international\s+|regional\s+|municipal\s+|domestic\s+)?"
    r"(?:airport|air\s*base|air\s+force\s+base|army\s+air\s+field|air\s*field|airstrip|ab|afb)$",
    re.IGNORECASE,
)


def airport_base_name(name: str) -> str:
    """Return an airport's name without its generic tail ("Al Udeid Air Base" -> "Al Udeid"), or ""."""
    base = _AIRPORT_TAIL.sub("", name.strip())
    return base if base != name.strip() and len(base) >= 4 else ""


def load_airports(b: Builder) -> None:
    """Add airports and air bases, with their name without the generic tail and their codes."""
    with open_gz(b.src / "ourairports_airports.csv.gz") as fh:
        for r in csv.DictReader(fh):
            pid = ID_OFFSET + int(r["id"])
            name = r["name"]
            low = f" {name.split(' / ')[0].lower()} "
            military = any(
                w in low
                for w in (
                    " air base ",
                    " airbase ",
                    " ab ",
                    " air force base ",
                    " army air field ",
                    " air station ",
                    " afb ",
                    " naval air ",
                    " military ",
                )
            )
            if r["type"] == "seaplane_base":
                fcode = "AIRS"
            else:
                fcode = "AIRB" if military else "AIRP"
            size = {"large_airport": 2.0, "medium_airport": 1.0}.get(r["type"], 0.0)
            cc = r["iso_country"]
            a1code = b.iso3166_to_a1.get(r["iso_region"], "")
            a1 = a1code.split(".", 1)[1] if a1code.startswith(cc + ".") else ""
            b.add_place(
                pid,
                name,
                to_float(r["latitude_deg"]),
                to_float(r["longitude_deg"]),
                "S",
                fcode,
                cc,
                a1,
                "",
                0,
                None,
                "ourairports",
            )
            b.places[pid].append(size)
            b.add_names(pid, (name,), PRIO_MAIN)
            parts = [x.strip() for x in name.split(" / ")] if " / " in name else []
            b.add_names(pid, parts, PRIO_ALT)  # "Baghdad International Airport / New Al Muthana Air Base"
            # "Muwaffaq Salti Air Base" is also called "Muwaffaq Salti": the name without its generic tail
            b.add_names(pid, [b for b in map(airport_base_name, [name, *parts]) if b], PRIO_WEAK)
            b.add_names(pid, [k for k in (r["keywords"] or "").split(",")], PRIO_WEAK)
            codes = [
                c
                for c in (r["ident"], r["gps_code"], r["iata_code"])
                if c and c.isalpha() and len(c) in (3, 4)
            ]
            b.add_names(pid, codes, PRIO_CODE, codes=True)
            for c in codes:
                if len(c) == 4:
                    b.airport_by_icao.setdefault(c, pid)
