"""Hand-curated entries (``curated.tsv``): places the data lacks or gets wrong, each row citing its source."""

from __future__ import annotations

import csv
import logging

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_MAIN,
    Builder,
    to_int,
)
from geoevents.gazetteer.normalize import normalize_name
from geoevents.gazetteer.sources import wof

log = logging.getLogger(__name__)

NAME = "curated"
ID_OFFSET = 90_000_000_000  # + place_id_hint
ATTRIBUTION = "Curated entries: sources cited per row in gazetteer/curated.tsv"


def load_curated(b: Builder) -> None:
    """Apply ``curated.tsv`` last: new entries, name fixes, and records they replace."""
    path = b.src / "curated.tsv"
    if not path.is_file():
        return
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        gid = to_int(r["geonameid"]) or None
        pid = (b.by_gid.get(gid) if gid else None) or gid or ID_OFFSET + to_int(r["place_id_hint"])
        alts = [n for n in (r["alternatenames"] or "").split("|") if n]
        for ref in (r.get("replaces") or "").split(";"):
            ref = ref.strip()
            if not ref:
                continue
            kind, _, val = ref.partition(":")
            rid = None
            if kind == "ourairports":
                rid = b.airport_by_icao.get(val)
            elif kind == "wof":
                rid = wof.ID_OFFSET + int(val)
            elif kind == "geonames":
                rid = int(val)
            if rid is not None and rid != pid and rid in b.places:
                b.replaced.add(rid)
                b.conn.execute("UPDATE raw_names SET place_id=? WHERE place_id=?", (pid, rid))
                b.names = [(k, pid if p == rid else p, pr, n) for k, p, pr, n in b.names]
                del b.places[rid]
        old = b.places.get(pid)
        if r["lat"] and r["lon"]:
            b.add_place(
                pid,
                r["name"] or (old[0] if old else ""),
                float(r["lat"]),
                float(r["lon"]),
                r["feature_class"] or (old[3] if old else "P"),
                r["feature_code"] or (old[4] if old else "PPL"),
                r["country_code"] or (old[5] if old else ""),
                r["admin1"] or (old[6] if old else ""),
                old[7] if old else "",
                to_int(r["population"]) or (old[8] if old else 0),
                gid,
                "curated",
            )
        elif old is None:
            log.warning("curated row %r has no coordinates and matches no place; skipped", r["name"])
            continue
        b.add_names(pid, (r["name"],), PRIO_MAIN)
        b.add_names(pid, alts, PRIO_ALT, codes=True)
        place = b.places[pid]
        if place[4].startswith("PCL") and place[5]:  # a country: its new names are country names too
            b.conn.executemany(
                "INSERT OR IGNORE INTO country_names VALUES (?,?,?)",
                [(normalize_name(n), place[5], PRIO_ALT) for n in alts if normalize_name(n)],
            )


# ---------------------------------------------------------------- output
