"""Demonyms ("Iraqi", "Sudanese") -> country, singular and plural, from mledoze + Mordecai nat_df."""

from __future__ import annotations

import csv

from geoevents.gazetteer.builder import (
    Builder,
    open_gz,
)
from geoevents.gazetteer.normalize import normalize_name

NAME = "demonyms"
ID_OFFSET = None  # no places, a table of its own
ATTRIBUTION = "Mordecai nat_df (MIT); mledoze/countries (ODbL 1.0)"


def load_demonyms(b: Builder) -> None:
    """Fill the demonyms table (singular and plural forms -> ISO2, with the country's population)."""
    rows = []
    with open_gz(b.src / "demonyms.tsv.gz") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            cc = (r["iso2"] or "").strip()
            dem = (r["demonym"] or "").strip()
            if not cc or not dem:
                continue
            pop = b.countries.get(cc, {}).get("population", 0)
            forms = {dem}
            if not dem.endswith(("s", "sh", "ch", "ese", "i")) or dem.endswith("i"):
                forms.add(dem + "s")
            for f in forms:
                k = normalize_name(f)
                if k:
                    rows.append((k, cc, pop))
    b.conn.executemany("INSERT OR IGNORE INTO demonyms VALUES (?,?,?)", rows)
