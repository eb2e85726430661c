"""One self-contained HTML map (folium/Leaflet) that works with no network at all.

Leaflet, jQuery and Leaflet.markercluster come from the ``xstatic-*`` wheels and are inlined as
base64 ``data:`` URIs on each map instance (never folium's shared CDN lists). The events travel
as one JSON block (``<script type="application/json">`` with ``<``, ``>``, ``&`` escaped) that
a small vendored script (``geoevents_map.js``) turns into canvas markers, clustered per
overlay, with popups built through ``textContent``: article text never reaches ``innerHTML``.
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
from geoevents.records import Event

__all__ = ["build_map", "write_map"]

log = logging.getLogger(__name__)

_MAP_ATTRIBUTION = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0), '
    '<a href="https://whosonfirst.org/">Who\'s On First</a>, '
    '<a href="https://ourairports.com/">OurAirports</a>'
)
_CLUSTER_COLOURS = ("#3b4a63", "#9a4a12", "#4b6b2f", "#6b3f7a", "#7a6a2f")

_CSS = """
.folium-map.leaflet-container { background: #dbe7ef; }
.ge-title { background: rgba(255,255,255,.92); padding: 4px 10px; font: 600 15px/1.3 system-ui, sans-serif; }
.ge-legend, .ge-dates { background: rgba(255,255,255,.94); padding: 6px 9px;
  font: 12px/1.45 system-ui, sans-serif; }
.ge-legend-title { font-weight: 600; margin-bottom: 2px; }
.ge-legend-item svg { vertical-align: middle; }
.ge-legend-note { color: #555; font-size: 11px; }
.ge-dates input[type=date] { font-size: 11px; }
.ge-dates .ge-slider { width: 170px; display: block; }
.ge-popup { font: 12px/1.4 system-ui, sans-serif; }
.ge-popup-title { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.ge-popup th { text-align: left; vertical-align: top; padding-right: 6px; color: #444; white-space: nowrap; }
.ge-popup td { overflow-wrap: anywhere; }
.ge-evidence { margin: 4px 0; padding-left: 6px; border-left: 3px solid #bbb; font-style: italic;
  overflow-wrap: anywhere; }
.ge-popup-sub { font-weight: 600; margin-top: 4px; }
.ge-sources { margin: 0; padding-left: 16px; overflow-wrap: anywhere; }
.ge-outlet { color: #666; }
.marker-cluster.ge-cluster { background: rgba(255, 255, 255, .55); border-radius: 18px; }
.marker-cluster.ge-cluster div { width: 26px; height: 26px; margin: 5px; border-radius: 13px; }
.marker-cluster.ge-cluster span { color: #fff; font: 600 12px/26px system-ui, sans-serif; display: block;
  text-align: center; }
"""


@functools.lru_cache(maxsize=1)
def _raw_element_class() -> type:
    """Build the branca element class that emits its text verbatim, never compiled by Jinja2.

    ``branca.element.Element(text)`` compiles ``text`` as a template, so an article holding
    ``{{ ... }}`` or ``{% ... %}`` would run as code (issue 11). Article-derived text reaches the
    page only through this class (and only as escaped JSON or escaped HTML).
    """
    from branca.element import Element

    class RawHtml(Element):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            super().__init__()  # no template: the default one is never used, render() is replaced
            self._name = "RawHtml"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return self.text

    return RawHtml


def _RawHtml(text: str) -> Any:
    """Return a branca child that renders as exactly ``text`` (no template engine involved)."""
    return _raw_element_class()(text)


def _read(pkg: Any, name: str) -> bytes:
    return (Path(pkg.BASE_DIR) / name).read_bytes()


def _data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Leaflet, jQuery, markercluster and our runtime as data: URIs (built once per process)."""
    from xstatic.pkg import jquery, leaflet  # type: ignore[import-untyped]
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


@functools.lru_cache(maxsize=1)
def _world_json() -> str:
    return resources.files("geoevents.outputs").joinpath("ne_110m_countries.json").read_text("utf-8")


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
    return x if x is not None and math.isfinite(x) else None


def _map_data(events: list[Event], title: str, max_markers: int | None) -> dict[str, Any]:
    types = ordered_types(events)
    type_index = {t: i for i, t in enumerate(types)}
    side_index = {v: i for i, (v, _l, _c) in enumerate(SIDES)}
    feats: list[dict[str, Any]] = []
    for ev in events:
        side = side_index[actor_side(ev.actor1)]
        srcs = [
            {"t": t or None, "u": _http_only(u), "x": None if _http_only(u) else (u or None), "n": n or None}
            for _id, u, t, n in zip_longest(ev.source_ids, ev.source_urls, ev.source_titles, ev.source_names)
        ]
        size = casualty_scale(ev.killed, ev.injured)
        locs = ev.locations or ()
        for i, loc in enumerate(locs or (None,)):
            feats.append(
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
                    "ev": list(ev.evidence),
                    "src": srcs,
                    "no": ev.notes,
                    "nl": len(locs),
                    "li": i,
                }
            )
    note = ""
    located = [f for f in feats if f["la"] is not None and f["lo"] is not None]
    n_unlocated = len(feats) - len(located)
    if max_markers is not None and len(located) > max_markers:
        located.sort(key=lambda f: f["d"] or "", reverse=True)
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


def build_map(
    events: Iterable[Event], *, title: str = "geoevents", cdn: bool = False, max_markers: int | None = None
) -> Any:
    """Build the folium ``Map`` (not yet written); see ``write_map``."""
    import folium
    import folium.plugins
    from branca.element import Figure, MacroElement
    from folium.map import Layer
    from jinja2 import Template

    events = list(events)
    data = _map_data(events, title, max_markers)
    located = [(f["la"], f["lo"]) for f in data["features"] if f["la"] is not None and f["lo"] is not None]
    center = (
        [sum(p[0] for p in located) / len(located), sum(p[1] for p in located) / len(located)]
        if located
        else [30.0, 40.0]
    )
    m = folium.Map(location=center, zoom_start=5, tiles=None, control_scale=True, prefer_canvas=True)
    m.options.update(min_zoom=2, max_zoom=18)  # markercluster needs the map's maxZoom; no tile layer sets it
    root = m.get_root()
    assert isinstance(root, Figure)  # folium.Map always sits in a Figure
    root.title = None  # branca would put it through its Figure template; a raw element instead
    root.header.add_child(_RawHtml(f"<title>{html.escape(title)}</title>"), name="geoevents_title")
    assets = _assets()
    if cdn:
        m.default_js = [
            *folium.Map.default_js[:2],
            ("markercluster", folium.plugins.MarkerCluster.default_js[0][1]),
            ("geoevents", assets["geoevents"]),
        ]
        m.default_css = [folium.Map.default_css[0], *folium.plugins.MarkerCluster.default_css]
    else:
        m.default_js = [(k, assets[k]) for k in ("leaflet", "jquery", "markercluster", "geoevents")]
        m.default_css = [
            (k, assets[k]) for k in ("leaflet_css", "markercluster_css", "markercluster_default_css")
        ]
    root.header.add_child(_RawHtml(f"<style>{_CSS}</style>"), name="geoevents_css")

    class _WorldBase(Layer):
        """Natural Earth 1:110m country outlines: the offline base layer."""

        _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.createPane('geoeventsBase');
            {{ this._parent.get_name() }}.getPane('geoeventsBase').style.zIndex = 250;
            var {{ this.get_name() }} = L.geoJSON({{ this.world }}, {
                pane: 'geoeventsBase', interactive: false,
                renderer: L.svg({pane: 'geoeventsBase'}),
                attribution: 'Made with <a href="https://www.naturalearthdata.com/">Natural Earth</a>',
                style: {color: '#9aa6ad', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1}
            });
        {% endmacro %}""")

        def __init__(self) -> None:
            super().__init__(name="Countries (offline)", overlay=False, control=True, show=True)
            self._name = "WorldBase"
            self.world = _world_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    class _Overlay(Layer):
        """One markercluster group per event type; filled by the runtime."""

        _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.markerClusterGroup({
                chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40,
                iconCreateFunction: function (c) {
                    var n = Number(c.getChildCount()), bg = '<div style="background:{{ this.colour }}">';
                    return L.divIcon({html: bg + '<span>' + n + '</span></div>',
                                      className: 'marker-cluster ge-cluster', iconSize: L.point(36, 36)});
                }
            });
        {% endmacro %}""")

        def __init__(self, label: str, colour: str) -> None:
            super().__init__(name=label, overlay=True, control=True, show=True)
            self._name = "EventOverlay"
            self.colour = colour

    class _Runtime(MacroElement):
        _template = Template("""
        {% macro script(this, kwargs) %}
            geoeventsBuild({{ this._parent.get_name() }}, [{{ this.groups }}], {{ this.data_id|tojson }},
                           {{ this.attribution|tojson }});
        {% endmacro %}""")

        def __init__(self, groups: list[str], data_id: str) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self._name = "GeoeventsRuntime"
            self.groups = ", ".join(groups)
            self.data_id = data_id
            self.attribution = _MAP_ATTRIBUTION

    _WorldBase().add_to(m)
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (online)", overlay=False, show=False, control=True
    ).add_to(m)
    overlays = [
        _Overlay(t["label"], _CLUSTER_COLOURS[i % len(_CLUSTER_COLOURS)]).add_to(m)
        for i, t in enumerate(data["types"])
    ]
    data_id = f"geoevents-data-{m.get_name()}"
    root.html.add_child(
        _RawHtml(f'<script type="application/json" id="{data_id}">{_script_json(data)}</script>'),
        name="geoevents_data",
    )
    _Runtime([o.get_name() for o in overlays], data_id).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)  # last, so it sees every layer
    return m


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

    Overlays "Strikes", "Attacks" (always, in that order), then one per further event type,
    each clustered separately so the layer control toggles them independently. The base layer
    is Natural Earth country outlines (offline); OpenStreetMap tiles are an optional base layer,
    off by default, that needs a connection. Fill colour is the actor's side (``actor_side``),
    shape the event type, size killed + injured. A date filter/slider acts on ``event_date``.
    Popups show type, date and precision, place as written and as resolved, casualties, actors,
    geo precision with the reason, evidence quotes and sources; only http(s) URLs become links.
    Events without coordinates are counted in the legend note but not drawn.

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
        Load Leaflet, jQuery and markercluster from folium's CDNs instead of inlining them
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
    m = build_map(events, title=title, cdn=cdn, max_markers=max_markers)
    html = m.get_root().render()
    with atomic_target(path, overwrite=overwrite) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path
