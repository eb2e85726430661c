"""One self-contained HTML map (Leaflet) that works with no network and runs no template engine.

Leaflet, jQuery and Leaflet.markercluster come from the ``xstatic-*`` wheels and are inlined as
base64 ``data:`` URIs. The page is a fixed skeleton written here: the events and the offline
base (Natural Earth outlines, place labels) travel as ``<script type="application/json">``
blocks with ``<``, ``>``, ``&`` escaped, and a vendored script (``geoevents_map.js``) builds the
map, popups, list and controls through ``textContent``. No article-derived string is ever
compiled by Jinja2 or set as ``innerHTML`` (issue 11), and no id or timestamp is random: the
same events give the same bytes.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import logging
import math
import os
import re
from collections.abc import Iterable
from importlib import resources
from itertools import zip_longest
from pathlib import Path
from typing import Any

from geoevents.outputs._common import (
    SIDES,
    actor_side,
    atomic_target,
    casualty_scale,
    ordered_types,
    overlay_label,
    type_style,
)
from geoevents.outputs._map_base import base_labels, world_geojson
from geoevents.records import Event

__all__ = ["map_data", "render_map", "write_map"]

log = logging.getLogger(__name__)

_MAP_ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0), '
    '<a href="https://whosonfirst.org/">Who\'s On First</a>, '
    '<a href="https://ourairports.com/">OurAirports</a>; '
    'made with <a href="https://www.naturalearthdata.com/">Natural Earth</a>'
)
_CDN = {
    "leaflet": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    "jquery": "https://code.jquery.com/jquery-3.7.1.min.js",
    "markercluster": "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1/leaflet.markercluster.js",
    "leaflet_css": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    "markercluster_css": "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1/MarkerCluster.css",
    "markercluster_default_css": (
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.4.1/MarkerCluster.Default.css"
    ),
}
# Words that make a sentence state the event rather than its background.
_EVENT_WORDS = re.compile(
    r"\b(strikes?|struck|attack(?:s|ed)?|drones?|rockets?|missiles?|shell(?:ing|ed)|bomb(?:s|ing|ed)?"
    r"|killed|killing|wounded|injured|dead|hit|raid(?:s|ed)?|targeted|launched|fired|exploded)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|dozens?)\b", re.IGNORECASE)


def _css() -> str:
    return resources.files("geoevents.outputs").joinpath("geoevents_map.css").read_text("utf-8")


def _read(pkg: Any, name: str) -> bytes:
    return (Path(pkg.BASE_DIR) / name).read_bytes()


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Leaflet, jQuery, markercluster and our runtime as data: URIs (built once per process)."""
    from xstatic.pkg import jquery, leaflet
    from xstatic.pkg import leaflet_markercluster as cluster

    css = _read(leaflet, "leaflet.css").decode("utf-8")
    for img in ("layers.png", "layers-2x.png", "marker-icon.png"):
        css = css.replace(
            f"url(images/{img})", f"url({_data_uri('image/png', _read(leaflet, f'images/{img}'))})"
        )
    icons = {
        key: _data_uri("image/png", _read(leaflet, f"images/{img}"))
        for key, img in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    # L.Icon.Default derives its folder from leaflet.css's URL, which a data: URI lacks.
    fix_icons = (f"L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({json.dumps(icons)});").encode()
    runtime = resources.files("geoevents.outputs").joinpath("geoevents_map.js").read_bytes()
    return {
        "leaflet": _data_uri("text/javascript", _read(leaflet, "leaflet.js") + b"\n" + fix_icons),
        "jquery": _data_uri("text/javascript", _read(jquery, "jquery.min.js")),
        "markercluster": _data_uri("text/javascript", _read(cluster, "leaflet.markercluster.js")),
        "geoevents": _data_uri("text/javascript", runtime),
        "leaflet_css": _data_uri("text/css", css.encode("utf-8")),
        "markercluster_css": _data_uri("text/css", _read(cluster, "MarkerCluster.css")),
        "markercluster_default_css": _data_uri("text/css", _read(cluster, "MarkerCluster.Default.css")),
    }


def _script_json(value: Any) -> str:
    """JSON safe inside any <script> block: no '<', '>' or '&' survive, nor JS line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_HTTP = re.compile(r"^https://[^\s]+$", re.IGNORECASE)


def _http_only(url: str | None) -> str | None:
    """Return the URL if it is plain https, else None (the map shows it as text, never as a link)."""
    return url if url and _HTTP.match(url.strip()) and url == url.strip() else None


def _finite(x: float | None) -> float | None:
    """Coordinates to 5 decimals (about 1 m): finer digits only make the file bigger."""
    return round(x, 5) if x is not None and math.isfinite(x) else None


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values (None, "", []): the runtime reads a missing key as empty; 0 is kept."""
    return {k: v for k, v in d.items() if v is not None and v != "" and v != []}


def _key_sentences(evidence: tuple[str, ...], names: Iterable[str], killed: int | None) -> list[int]:
    """Return the indices of the one or two evidence sentences that best state the event, in text order.

    A merged event can carry a dozen sentences; the popup shows these first and the rest behind
    "more". A sentence scores for naming the place, for an attack/strike/casualty verb, and for
    a number (the casualty figure counts double); ties keep the article's order.
    """
    if len(evidence) <= 2:
        return list(range(len(evidence)))
    low_names = [n.lower() for n in names if n and len(n) > 2]
    scores = []
    for i, sent in enumerate(evidence):
        low = sent.lower()
        score = 2 * any(n in low for n in low_names) + 2 * bool(_EVENT_WORDS.search(sent))
        score += bool(_NUMBER.search(sent)) + (2 if killed is not None and str(killed) in sent else 0)
        scores.append((-score, i))
    ranked = sorted(scores)
    best = -ranked[0][0]
    keep = [ranked[0][1]]
    if -ranked[1][0] >= max(2, best / 2):  # a second sentence only if it, too, states the event
        keep.append(ranked[1][1])
    return sorted(keep)


def map_data(
    events: Iterable[Event], *, title: str = "geoevents", max_markers: int | None = None
) -> dict[str, Any]:
    """Build the map's data block: one feature per event location, types, sides, title and a note.

    Shared by the HTML and static maps, so both draw the same events the same way.
    """
    events = list(events)
    types = ordered_types(events)
    type_index = {t: i for i, t in enumerate(types)}
    side_index = {v: i for i, (v, _l, _c) in enumerate(SIDES)}
    feats: list[dict[str, Any]] = []
    for ev in events:
        side = side_index[actor_side(ev.actor1)]
        srcs = [
            _compact({"t": t, "u": _http_only(u), "x": None if _http_only(u) else u, "n": n})
            for _id, u, t, n in zip_longest(ev.source_ids, ev.source_urls, ev.source_titles, ev.source_names)
        ]
        size = casualty_scale(ev.killed, ev.injured)
        locs = ev.locations or ()
        names = [n for loc in locs for n in (loc.place_name, loc.resolved_name)]
        key = _key_sentences(ev.evidence, names, ev.killed)
        evidence = [ev.evidence[i] for i in key] + [q for i, q in enumerate(ev.evidence) if i not in key]
        for i, loc in enumerate(locs or (None,)):
            feats.append(
                _compact(
                    {
                        "id": ev.event_id,
                        "t": type_index[ev.event_type],
                        "side": side,
                        "sz": round(size, 3),
                        "la": _finite(loc.lat) if loc else None,
                        "lo": _finite(loc.lon) if loc else None,
                        "d": ev.event_date.isoformat() if ev.event_date else None,
                        "dp": ev.date_precision,
                        "st": ev.sub_event_type,
                        "a1": ev.actor1,
                        "a2": ev.actor2,
                        "pn": loc.place_name if loc else "",
                        "rn": loc.resolved_name if loc else "",
                        "adm": loc.admin1 if loc else "",
                        "cc": loc.country_code if loc else "",
                        "rel": loc.location_relation if loc else None,
                        "gp": loc.geo_precision if loc else None,
                        "gr": loc.location_reason if loc else "",
                        "k": ev.killed,
                        "inj": ev.injured,
                        "ev": evidence,
                        "evk": len(key),
                        "src": srcs,
                        "no": ev.notes,
                        "nl": len(locs),
                        "li": i,
                    }
                )
            )
    note = ""
    located = [f for f in feats if "la" in f and "lo" in f]
    n_unlocated = len(feats) - len(located)
    if max_markers is not None and len(located) > max_markers:
        located.sort(key=lambda f: f.get("d") or "", reverse=True)
        keep = {id(f) for f in located[:max_markers]}
        note = f"showing the {max_markers:,} most recent of {len(located):,} locations"
        log.warning("Map %s", note)
        feats = [f for f in feats if id(f) in keep]
    if n_unlocated:
        note = (note + "; " if note else "") + f"{n_unlocated} event(s) without coordinates not drawn"
    return {
        "title": title,
        "note": note,
        "types": [
            {
                "key": t,
                "label": overlay_label(t),
                "singular": t.capitalize() or "Event",
                "shape": type_style(t)["shape"],
                "stroke": type_style(t)["stroke"],
            }
            for t in types
        ],
        "sides": [{"value": v, "label": label, "colour": c} for v, label, c in SIDES],
        "features": feats,
    }


def _base_data(data: dict[str, Any]) -> dict[str, Any]:
    points = [(f["la"], f["lo"]) for f in data["features"] if "la" in f and "lo" in f]
    return {"world": world_geojson(), "labels": base_labels(points), "attribution": _MAP_ATTRIBUTION}


def render_map(
    events: Iterable[Event], *, title: str = "geoevents", cdn: bool = False, max_markers: int | None = None
) -> str:
    """Render the map page as a string: a fixed skeleton, inlined assets and two escaped JSON blocks.

    Nothing here is a template: the only inserted strings are ``html.escape``'d (the title) or
    ``_script_json``'d (the data), and the skeleton has no id or date that changes between runs.
    """
    data = map_data(events, title=title, max_markers=max_markers)
    assets = _CDN if cdn else _assets()
    css = "".join(
        f'<link rel="stylesheet" href="{html.escape(assets[k])}"/>\n'
        for k in ("leaflet_css", "markercluster_css", "markercluster_default_css")
    )
    js = "".join(
        f'<script src="{html.escape(src)}"></script>\n'
        for src in (assets["leaflet"], assets["jquery"], assets["markercluster"], _assets()["geoevents"])
    )
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0"/>\n'
        f"<title>{html.escape(title)}</title>\n"
        f"{css}<style>{_css()}</style>\n{js}"
        "</head>\n<body>\n"
        '<div id="geoevents-map" class="ge-map"></div>\n'
        f'<script type="application/json" id="geoevents-data">{_script_json(data)}</script>\n'
        f'<script type="application/json" id="geoevents-base">{_script_json(_base_data(data))}</script>\n'
        "<script>geoeventsBuild('geoevents-map', 'geoevents-data', 'geoevents-base');</script>\n"
        "</body>\n</html>\n"
    )


def write_map(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    title: str = "geoevents",
    cdn: bool = False,
    max_markers: int | None = None,
) -> Path:
    """Write a self-contained, offline HTML map of events.

    One clustered layer holds every event, so a strike and an attack at one spot spread apart
    (spiderfy) and both stay clickable; the layer control's "Strikes", "Attacks" (always, in
    that order) and further types filter it. The offline base is Natural Earth country outlines
    with country, region, river and town labels that appear by zoom level; OpenStreetMap tiles
    are an optional base layer, off by default, that needs a connection. Fill colour is the
    actor's side (``actor_side``), shape the event type, size killed + injured; precision shows:
    a dashed uncertainty ring for "near"/district places, a hollow marker (listed last) for
    region/country-level places. A time control (per-day histogram, slider, play) filters by
    ``event_date``; a side list (date, place, type, casualties) follows the filters and the
    view, with a search box over places and actors, and zooms to an event on click. Popups
    show the one or two sentences that state the event (the rest behind "more") and the
    sources, only https URLs as links. Events without coordinates are counted, not drawn.
    The same events give the same bytes.

    Parameters
    ----------
    events : iterable of Event
        One marker per event location; events without coordinates are only counted.
    path : path-like
        Target ``.html`` file.
    overwrite : bool
        Replace an existing file.
    title : str
        Shown on the map and as the page title (escaped).
    cdn : bool
        Load Leaflet, jQuery and markercluster from public CDNs instead of inlining them
        (smaller file, needs a connection).
    max_markers : int, optional
        Draw at most this many locations (the most recent); the legend says so.

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is false.
    OutputError
        The directory is missing or not writable.

    """
    path = Path(path)
    page = render_map(events, title=title, cdn=cdn, max_markers=max_markers)
    with atomic_target(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(page.encode("utf-8"))
    return path
