"""Gazetteer coverage: the share of gold places that have an entry of that name near their point.

Usage::

    python benchmarks/gazetteer_coverage.py --gazetteer PATH [--gazetteer OLD_PATH ...] [--out FILE.md]

For each gold toponym of the geoparsing corpora (``eval-data/*.jsonl`` with ``toponyms`` that
carry a point) the question is: does the index hold a place whose name key is one of
``name_variants(name)`` within 25 km / 161 km of the gold point? For ``pitf-dev.jsonl`` event
places (free text such as "Wase town, Wadata community") each comma/slash-separated part is tried
without its generic words (town, village, LGA, district ...), and the place counts as covered when
some part has such an entry. No fuzzy matching: this measures the data, not the resolver.

Several indexes can be given (e.g. main's ``gazetteer-v5.sqlite`` and this branch's): each is
read with plain SQL (``names`` joined to ``places``), so an index of an older schema version works
too, and all are scored with the same query code. Figures are given on the whole file and on the
held-out ``test`` part of ``benchmarks/splits.py`` (split on record id).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.splits import split_of
from geoevents.gazetteer.normalize import name_variants
from geoevents.geo import haversine_km

EVAL = Path("/work/shared/eval-data")  # dev-time data; --eval-data to point elsewhere
CORPORA = (
    "lgl",
    "geowebnews",
    "geovirus",
    "geocorpora",
    "tud-loc-2013",
    "wiktor",
)  # event-location-halterman2019 has no gold points
RADII = (25.0, 161.0)
_SPLIT = re.compile(r"\s*(?:[,;/()]|\band\b|\bnear\b|\bbetween\b)\s*", re.IGNORECASE)
_GENERIC = re.compile(
    r"\b(?:(?:town|village|community|communit(?:y|ies)|city|district|lga|local government area|area|region|"
    r"state|province|governorate|county|camp|market|suburb|neighbou?rhood|outskirt|township|municipality|"
    r"sub-?district|division|zone|ward|locality|chiefdom|barangay|location|settlement)s?|the|of|other)\b",
    re.IGNORECASE,
)


class Index:
    """Name key -> points, read with plain SQL from an index of any schema version."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.cache: dict[str, list[tuple[float, float]]] = {}
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        self.version = meta.get("schema_version", "?")
        self.n_places = int(meta.get("n_places", 0))

    def points(self, keys: list[str]) -> list[tuple[float, float]]:
        """Return the points of every place holding one of ``keys`` (codes excluded)."""
        todo = [k for k in keys if k not in self.cache]
        if todo:
            found: dict[str, list[tuple[float, float]]] = {k: [] for k in todo}
            for i in range(0, len(todo), 900):
                chunk = todo[i : i + 900]
                rows = self.conn.execute(
                    "SELECT n.key, p.lat, p.lon FROM names n JOIN places p ON p.place_id = n.place_id "
                    f"WHERE n.prio < 3 AND n.key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for k, lat, lon in rows:
                    found[k].append((lat, lon))
            self.cache.update(found)
        return [pt for k in keys for pt in self.cache.get(k, ())]


def _nearest_km(index: Index, names: list[str], lat: float, lon: float) -> float:
    keys = list(dict.fromkeys(k for n in names for k in name_variants(n)))
    pts = index.points(keys)
    return min((haversine_km(lat, lon, a, b) for a, b in pts), default=float("inf"))


def gold_toponyms(corpus: str, data: Path = EVAL) -> Iterator[tuple[str, list[str], float, float]]:
    """Yield (record id, [name], lat, lon) for every gold toponym with a point."""
    with open(data / f"{corpus}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for t in rec.get("toponyms", []):
                if t.get("lat") is not None and t.get("lon") is not None and t.get("name"):
                    yield rec["id"], [t["name"]], float(t["lat"]), float(t["lon"])


def pitf_places(data: Path = EVAL) -> Iterator[tuple[str, list[str], float, float]]:
    """Yield (record id, [name parts], lat, lon) for every pitf-dev event place."""
    with open(data / "pitf-dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            place = (rec.get("place") or "").strip()
            if not place or rec.get("lat") is None:
                continue
            parts = [place] + [_GENERIC.sub(" ", p).strip() for p in _SPLIT.split(place)]
            parts = [re.sub(r"\s+", " ", p) for p in parts if p and len(p.strip()) > 1]
            yield rec["id"], list(dict.fromkeys(parts)), float(rec["lat"]), float(rec["lon"])


def score(index: Index, items: list[tuple[str, list[str], float, float]]) -> dict[str, dict[str, float]]:
    """Return {"all"/"test": {"n": count, "25": share within 25 km, "161": share within 161 km}}."""
    out: dict[str, dict[str, float]] = {}
    dists = [(split_of(rid), _nearest_km(index, names, lat, lon)) for rid, names, lat, lon in items]
    for part in ("all", "test"):
        ds = [d for p, d in dists if part == "all" or p == part]
        row: dict[str, float] = {"n": len(ds)}
        for r in RADII:
            row[str(int(r))] = sum(d <= r for d in ds) / len(ds) if ds else 0.0
        out[part] = row
    return out


def main(argv: list[str] | None = None) -> int:
    """Score every index on every corpus; print (and optionally write) a markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gazetteer", action="append", required=True, help="index path (repeat to compare)")
    ap.add_argument("--corpora", default=",".join(CORPORA))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--eval-data", type=Path, default=EVAL)
    args = ap.parse_args(argv)
    indexes = [Index(Path(p)) for p in args.gazetteer]
    sets = {c: list(gold_toponyms(c, args.eval_data)) for c in args.corpora.split(",") if c}
    sets["pitf-dev (event places)"] = list(pitf_places(args.eval_data))
    head = " | ".join(f"v{ix.version} ≤25 km | v{ix.version} ≤161 km" for ix in indexes)
    lines = [
        f"| set | part | n | {head} |",
        "|---|---|---:|" + "---:|---:|" * len(indexes),
    ]
    t0 = time.perf_counter()
    results = {name: [score(ix, items) for ix in indexes] for name, items in sets.items()}
    for name, per_index in results.items():
        for part in ("all", "test"):
            cells = " | ".join(f"{r[part]['25']:.3f} | {r[part]['161']:.3f}" for r in per_index)
            lines.append(f"| {name} | {part} | {per_index[0][part]['n']:,} | {cells} |")
    lines.append("")
    lines.append(
        "indexes: "
        + "; ".join(f"`{ix.path.name}` (schema v{ix.version}, {ix.n_places:,} places)" for ix in indexes)
        + f"; scored in {time.perf_counter() - t0:.0f} s"
    )
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
