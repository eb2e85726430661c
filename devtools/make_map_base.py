"""Build ``geoevents/outputs/map_base_labels.json.gz``: the HTML/static map's offline place labels.

Everything comes from data the project already ships (no download):

- country names at a label point inside the largest polygon of the vendored Natural Earth
  1:110m countries (``geoevents/outputs/ne_110m_countries.json``);
- first-order regions (provinces, governorates) from Natural Earth's admin-1 label points
  (``gazetteer/ne_10m_admin_1_points.tsv.gz``);
- rivers, seas, gulfs and lakes named at Natural Earth's label points
  (``gazetteer/ne_10m_physical_points.tsv.gz``; no river linework ships with the project);
- towns and cities from GeoNames ``cities500`` (``gazetteer/cities500.txt.gz``; no city
  sections, historical or abandoned places): every place of 15,000+ people, and in the
  Middle East window (lat 10-45, lon 25-65) every place of 1,000+.

Rerun after the gazetteer extract changes::

    python -m devtools.make_map_base
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
GAZ = ROOT / "gazetteer"
OUT = ROOT / "geoevents" / "outputs" / "map_base_labels.json.gz"
WINDOW = (10.0, 45.0, 25.0, 65.0)  # lat_min, lat_max, lon_min, lon_max: full town detail here
_PHYSICAL = {
    "River": "river",
    "sea": "sea",
    "gulf": "sea",
    "bay": "sea",
    "strait": "sea",
    "ocean": "sea",
    "Lake": "lake",
    "Reservoir": "lake",
    "Desert": "region",
    "Plateau": "region",
    "Range/mtn": "region",
}


def _r(x: float) -> float:
    return round(float(x), 3)


def _tsv(name: str) -> list[dict[str, str]]:
    text = gzip.decompress((GAZ / name).read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def countries() -> list[list[object]]:
    """[name, lat, lon, iso_a2] at a point inside each country's largest polygon."""
    data = json.loads((ROOT / "geoevents" / "outputs" / "ne_110m_countries.json").read_text("utf-8"))
    out = []
    for f in data["features"]:
        geom = shape(f["geometry"])
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        pt = part.representative_point()
        out.append([f["properties"]["name"], _r(pt.y), _r(pt.x), f["properties"].get("iso_a2") or ""])
    return sorted(out, key=lambda r: str(r[0]))


def regions() -> list[list[object]]:
    """[name, lat, lon, iso_a2] of admin-1 units (Natural Earth label points)."""
    rows = [
        [r["name_en"] or r["name"], _r(r["latitude"]), _r(r["longitude"]), r["iso_a2"]]
        for r in _tsv("ne_10m_admin_1_points.tsv.gz")
        if (r["name_en"] or r["name"]) and r["latitude"]
    ]
    return sorted(rows, key=lambda r: (str(r[3]), str(r[0]), r[1]))


def physical() -> list[list[object]]:
    """[name, lat, lon, kind, length_km] of rivers, seas, lakes and large landforms."""
    rows = []
    for r in _tsv("ne_10m_physical_points.tsv.gz"):
        kind = _PHYSICAL.get(r["featurecla"])
        name = (r["name_en"] or r["name"]).strip()
        if not kind or not name:
            continue
        length = int(float(r["length_km"])) if r.get("length_km") else 0
        rows.append([name.title() if name.isupper() else name, _r(r["lat"]), _r(r["lon"]), kind, length])
    return sorted(rows, key=lambda r: (str(r[0]), r[1], r[2]))


def cities() -> list[list[object]]:
    """[name, lat, lon, population, capital(1/0)] from GeoNames cities500."""
    lat0, lat1, lon0, lon1 = WINDOW
    rows = []
    with gzip.open(GAZ / "cities500.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if len(c) < 15:
                continue
            lat, lon, pop, code = float(c[4]), float(c[5]), int(c[14] or 0), c[7]
            if code in ("PPLX", "PPLH", "PPLQ", "PPLW"):  # city sections and ruins are not towns
                continue
            in_window = lat0 <= lat <= lat1 and lon0 <= lon <= lon1
            if pop >= 15_000 or code == "PPLC" or (in_window and pop >= 1_000):
                rows.append([c[1], _r(lat), _r(lon), pop, 1 if code == "PPLC" else 0])
    return sorted(rows, key=lambda r: (-int(r[3]), str(r[0]), r[1], r[2]))  # type: ignore[call-overload]


def main() -> None:
    """Write the label file (gzip with a fixed mtime: byte-identical when the data is)."""
    data = {"countries": countries(), "regions": regions(), "physical": physical(), "cities": cities()}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with OUT.open("wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    print(OUT, {k: len(v) for k, v in data.items()}, f"{OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
