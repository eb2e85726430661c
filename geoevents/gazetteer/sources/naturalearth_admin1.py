"""Natural Earth 10m admin-1 label points, keyed on GeoNames admin-1 geonameids (``gn_id``).

Units Natural Earth lacks get the mean point of their cities500 members (``load_admin1_fallback``).
"""

from __future__ import annotations

import csv

from geoevents.gazetteer.builder import (
    PRIO_ALT,
    PRIO_CODE,
    PRIO_MAIN,
    PRIO_WEAK,
    Builder,
    open_gz,
    to_float,
    to_int,
)

NAME = "naturalearth_admin1"
ID_OFFSET = 30_000_000_000  # + ne_id, for units without a GeoNames id
ATTRIBUTION = "Made with Natural Earth (public domain)"


def load_ne_admin1(b: Builder) -> None:
    """Add admin-1 units at their Natural Earth label point, with NE's names and abbreviations."""
    with open_gz(b.src / "ne_10m_admin_1_points.tsv.gz") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            gid = to_int(r["gn_id"]) or None
            if gid is not None and gid <= 0:
                gid = None
            code = r["gn_a1_code"] or ""
            cc = r["iso_a2"] if r["iso_a2"] and r["iso_a2"] != "-99" and len(r["iso_a2"]) == 2 else code[:2]
            if gid and gid in b.admin1_by_gid:
                code = b.admin1_by_gid[gid]
            if len(code) > 3 and code[2] == "." and code[:2] != cc:
                # NE's de-facto country may differ from the GeoNames unit it points at (Crimea:
                # iso_a2 RU, UA.11); the admin1 code only means something in its own country
                # (RU.11 is Buryatia), so the GeoNames country wins
                cc = code[:2]
            a1 = code.split(".", 1)[1] if "." in code else ""
            if r["iso_3166_2"] and code:
                b.iso3166_to_a1[r["iso_3166_2"]] = code
            pid = gid if gid else ID_OFFSET + to_int(r["ne_id"])
            if pid in b.places:
                continue
            is_gn_adm1 = bool(gid and b.admin1_by_gid.get(gid) == code)
            name = (b.admin1[code][0] if is_gn_adm1 and code in b.admin1 else "") or r["name"]
            pop = b.adm1_pop.get(code, 0) if is_gn_adm1 else 0
            b.add_place(
                pid,
                name,
                to_float(r["latitude"]),
                to_float(r["longitude"]),
                "A",
                "ADM1",
                cc,
                a1,
                "",
                pop,
                gid,
                "naturalearth",
            )
            b.add_names(pid, (name,), PRIO_MAIN)
            b.add_names(pid, (r["name"], r["name_en"], r["gn_name"], r["woe_name"], r["name_ar"]), PRIO_ALT)
            # "Jonglei State", "Nangarhar Province", "Marib Governorate": the name with the unit's own type
            kind = (r["type_en"] or "").split("|")[0].strip()
            if kind:
                typed = {
                    f"{n} {kind}"
                    for n in (name, r["name"], r["name_en"])
                    if n and kind.lower() not in n.lower()
                }
                b.add_names(pid, sorted(typed), PRIO_ALT)
            alt = [n for n in (r["name_alt"] or "").split("|") if "\xa0" not in n and "¡" not in n]
            b.add_names(pid, [*alt, r["name_local"], r.get("abbrev") or ""], PRIO_WEAK, codes=True)
            if cc in ("US", "CA") and r.get("postal"):  # "KY", "ON": the postal code as a code name
                b.add_names(pid, (r["postal"],), PRIO_CODE, codes=True)


def load_admin1_fallback(b: Builder) -> None:
    """Add GeoNames admin-1 units NE lacks (England, Scotland ...) at the mean of their cities."""
    for code, (name, gid) in b.admin1.items():
        if not gid or gid in b.by_gid or code not in b.adm1_sum:
            continue
        slat, slon, n = b.adm1_sum[code]
        cc, a1 = code.split(".", 1)
        b.add_place(
            gid,
            name,
            round(slat / n, 5),
            round(slon / n, 5),
            "A",
            "ADM1",
            cc,
            a1,
            "",
            b.adm1_pop.get(code, 0),
            gid,
            "geonames",
        )
        b.add_names(gid, (name,), PRIO_MAIN)
