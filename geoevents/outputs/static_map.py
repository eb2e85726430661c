"""A static PNG or SVG of the events map for reports and slides, drawn by matplotlib (no browser).

It draws what the HTML map draws at the same scale: the offline base (Natural Earth outlines;
country, region, river and town labels chosen by the zoom level the extent corresponds to),
markers shaped by type, filled by actor side, sized by casualties, with the same precision
rules (dashed uncertainty ring for "near"/district, hollow for region/country level), and a
legend. Web Mercator like the HTML map. The same events give the same bytes: no timestamps or
software versions in the file, fixed SVG ids.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geoevents._optional import import_optional
from geoevents.errors import InputError
from geoevents.outputs._common import atomic_target
from geoevents.outputs._map_base import base_labels, bbox_of, world_geojson
from geoevents.outputs.html_map import map_data
from geoevents.records import Event

__all__ = ["write_static_map"]

_FORMATS = {".png": "png", ".svg": "svg"}
_MARKERS = {"circle": "o", "diamond": "D", "square": "s", "triangle": "^"}
_LABEL_MAX_ZOOM = {"country": 8, "sea": 9, "region": 11, "river": 13, "lake": 13}
_LABEL_STYLE: dict[str, dict[str, Any]] = {
    "country": {"fontsize": 10, "color": "#555555", "fontweight": "bold"},
    "sea": {"fontsize": 8, "color": "#2f6690", "style": "italic"},
    "river": {"fontsize": 7, "color": "#2f6690", "style": "italic"},
    "lake": {"fontsize": 7, "color": "#2f6690", "style": "italic"},
    "region": {"fontsize": 7, "color": "#7a6a55"},
    "capital": {"fontsize": 8.5, "color": "#111111", "fontweight": "bold"},
    "city": {"fontsize": 8, "color": "#222222", "fontweight": "bold"},
    "town": {"fontsize": 7, "color": "#444444"},
}
_STRIP = 0.1  # share of the height under the map for the legend
_ORDER = {"capital": 0, "country": 1, "sea": 2, "city": 3, "town": 3}


def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _extent(points: list[tuple[float, float]], aspect: float) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) in lon / Mercator-degree units around the events, at the figure's aspect."""
    if points:
        lat0, lat1 = min(p[0] for p in points), max(p[0] for p in points)
        lon0, lon1 = min(p[1] for p in points), max(p[1] for p in points)
    else:
        lat0, lat1, lon0, lon1 = bbox_of([])
    x0, x1, y0, y1 = lon0, lon1, _merc_y(lat0), _merc_y(lat1)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, 3.0) * 1.25
    h = max(y1 - y0, 3.0) * 1.25
    w, h = max(w, h * aspect), max(h, w / aspect)
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [[(x, _merc_y(y)) for x, y in poly[0]] for poly in polys]


def write_static_map(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    title: str = "geoevents",
    overwrite: bool = False,
    width_px: int = 1600,
    height_px: int = 1000,
) -> Path:
    """Write the events map as a PNG or SVG (format from the suffix).

    Parameters
    ----------
    events : iterable of Event
        Located events are drawn; the legend counts those without coordinates.
    path : path-like
        ``.png`` or ``.svg`` target.
    title : str
        Drawn above the map as plain text (never parsed as markup or math).
    overwrite : bool
        Replace an existing file.
    width_px, height_px : int
        Image size (PNG pixels at 100 dpi; the SVG has the same proportions).

    Raises
    ------
    InputError
        The suffix is neither ``.png`` nor ``.svg``.
    MissingDependency
        matplotlib is not installed (``pip install 'geoevents[image]'``).
    OutputExists, OutputError
        As for every writer.

    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"Can't tell the image format of {path.name!r}; use a .png or .svg name")
    import_optional("matplotlib", extra="image", needed_for="Writing a PNG/SVG map")
    from matplotlib.figure import Figure

    data = map_data(events, title=title)
    feats = [f for f in data["features"] if "la" in f and "lo" in f]
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    ax = fig.add_axes((0.0, _STRIP, 1.0, 0.95 - _STRIP))  # legend strip below: it never hides events
    ax.set_axis_off()
    aspect = width_px / (height_px * (0.95 - _STRIP))
    x0, x1, y0, y1 = _extent([(f["la"], f["lo"]) for f in feats], aspect)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_facecolor("#c9dbe6")
    ax.add_patch(_rect(x0, x1, y0, y1))
    _draw_countries(ax)
    zoom = math.log2(360.0 / (x1 - x0) * width_px / 256.0)
    _draw_labels(ax, fig, feats, zoom, (x0, x1, y0, y1), width_px, height_px * (0.95 - _STRIP))
    _draw_events(ax, data, feats, (x1 - x0) / width_px)
    _draw_legend(fig, data)
    fig.text(0.01, 0.975, title, fontsize=15, fontweight="bold", va="center", usetex=False, parse_math=False)
    fig.text(
        0.995,
        _STRIP + 0.005,
        "Places: GeoNames (CC BY 4.0), Who's On First, OurAirports; made with Natural Earth",
        fontsize=7,
        ha="right",
        va="bottom",
        color="#444444",
        parse_math=False,
    )
    with atomic_target(path, overwrite=overwrite) as tmp:
        _save(fig, tmp, fmt)
    return path


def _rect(x0: float, x1: float, y0: float, y1: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="#c9dbe6", edgecolor="none", zorder=0)


def _draw_countries(ax: Any) -> None:
    from matplotlib.collections import PolyCollection

    rings = [r for f in world_geojson()["features"] if f.get("geometry") for r in _rings(f["geometry"])]
    ax.add_collection(
        PolyCollection(rings, facecolors="#f4f1ea", edgecolors="#8d99a3", linewidths=0.6, zorder=1)
    )


def _draw_labels(
    ax: Any,
    fig: Any,
    feats: list[dict[str, Any]],
    zoom: float,
    extent: tuple[float, float, float, float],
    w_px: float,
    h_px: float,
) -> None:
    """Place labels visible at ``zoom`` biggest first, skipping any that would overlap another."""
    x0, x1, y0, y1 = extent
    z = math.floor(zoom + 0.5)
    rows = base_labels([(f["la"], f["lo"]) for f in feats])
    rows = sorted(
        (r for r in rows if r[4] <= z and z <= _LABEL_MAX_ZOOM.get(r[3], 99)),
        key=lambda r: (_ORDER.get(r[3], 4), r[4], r[5], r[0]),
    )
    placed: list[tuple[float, float, float, float]] = []
    for name, lat, lon, kind, _zoom, _rank in rows:
        x, y = lon, _merc_y(lat)
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue
        px, py = (x - x0) / (x1 - x0) * w_px, (y - y0) / (y1 - y0) * h_px
        style = _LABEL_STYLE.get(kind, _LABEL_STYLE["town"])
        text = name.upper() if kind in ("country", "region") else name
        point = kind in ("capital", "city", "town")
        half_w = len(text) * style["fontsize"] * (0.42 if text.isupper() else 0.34) + 3
        half_h = style["fontsize"] * 0.75
        cy = py + half_h if point else py  # point labels sit above their dot
        box = (px - half_w, cy - half_h - (3 if point else 0), px + half_w, cy + half_h)
        if any(box[0] < q[2] and box[2] > q[0] and box[1] < q[3] and box[3] > q[1] for q in placed):
            continue
        placed.append(box)
        if point:
            ax.plot([x], [y], marker="o", markersize=2.2, color="#555555", zorder=3)
        ax.text(
            x,
            y + (0.0 if not point else (y1 - y0) * 0.008),
            text,
            ha="center",
            va="bottom" if point else "center",
            zorder=3,
            parse_math=False,
            clip_on=True,
            **style,
        )


def _draw_events(ax: Any, data: dict[str, Any], feats: list[dict[str, Any]], units_per_px: float) -> None:
    """Markers as on the HTML map; co-located markers of different events fan out a few pixels.

    One scatter call per (shape, hollow) and one collection for all rings, so 10,000 events
    draw in about a second.
    """
    from matplotlib.collections import EllipseCollection

    at_spot: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        at_spot[(round(f["la"], 3), round(f["lo"], 3))].append(i)
    offset: dict[int, tuple[float, float]] = {}
    for idxs in at_spot.values():
        for k, i in enumerate(idxs):
            if len(idxs) == 1:
                offset[i] = (0.0, 0.0)
            else:
                ang = 2 * math.pi * k / len(idxs)
                r = 9 * units_per_px
                offset[i] = (r * math.cos(ang), r * math.sin(ang))
    ring_xy, ring_w, ring_colours = [], [], []
    groups: dict[tuple[str, bool], list[tuple[float, float, float, str]]] = defaultdict(list)
    order = sorted(range(len(feats)), key=lambda i: (-(feats[i].get("sz") or 0), feats[i].get("id", ""), i))
    for i in order:
        f = feats[i]
        side = data["sides"][f.get("side", 0)]["colour"]
        shape = _MARKERS.get(data["types"][f.get("t", 0)]["shape"], "s")
        size = (5 + 9 * (f.get("sz") or 0)) * 1.6
        if f.get("gp") == 2:  # 15 km uncertainty ring, in Mercator degrees at this latitude
            ring_xy.append((f["lo"], _merc_y(f["la"])))
            ring_w.append(2 * 15.0 / 111.32 / math.cos(math.radians(f["la"])))
            ring_colours.append(side)
        x, y = f["lo"] + offset[i][0], _merc_y(f["la"]) + offset[i][1]
        groups[(shape, f.get("gp") == 3)].append((x, y, size, side))
    if ring_xy:
        ax.add_collection(
            EllipseCollection(
                ring_w,
                ring_w,
                [0.0] * len(ring_w),
                units="xy",
                offsets=ring_xy,
                offset_transform=ax.transData,
                facecolors=[_alpha(c, 0.12) for c in ring_colours],
                edgecolors=ring_colours,
                linestyles="--",
                linewidths=1.0,
                zorder=4,
            )
        )
    for (shape, hollow), pts in sorted(groups.items()):
        ax.scatter(
            [p[0] for p in pts],
            [p[1] for p in pts],
            s=[p[2] ** 2 for p in pts],
            marker=shape,
            facecolors="none" if hollow else [p[3] for p in pts],
            edgecolors=[p[3] for p in pts] if hollow else "#1b1b1b",
            linewidths=2.0 if hollow else 0.9,
            alpha=0.9,
            zorder=6,
        )


def _alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (r, g, b, alpha)


def _draw_legend(fig: Any, data: dict[str, Any]) -> None:
    from matplotlib.lines import Line2D

    counts = [0] * len(data["types"])
    for f in data["features"]:
        if "la" in f:
            counts[f.get("t", 0)] += 1
    handles = [
        Line2D(
            [],
            [],
            marker=_MARKERS.get(t["shape"], "s"),
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor="#222222",
            markersize=8,
            label=f"{t['label']} ({n})",
        )
        for t, n in zip(data["types"], counts, strict=True)
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor=s["colour"],
            markeredgecolor="#222222",
            markersize=8,
            label=s["label"],
        )
        for s in data["sides"]
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="none",
            markeredgecolor="#555555",
            markeredgewidth=2,
            markersize=8,
            label="region or country only (hollow)",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="#8c8c8c",
            markeredgecolor="#8c8c8c",
            alpha=0.35,
            markersize=12,
            label="near / district (uncertainty ring)",
        ),
    ]
    note = "Size: killed + injured" + (f"; {data['note']}" if data["note"] else "")
    leg = fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        fontsize=8,
        frameon=False,
        title=note,
        title_fontsize=7,
        ncols=5,
    )
    for text in leg.get_texts():
        text.set_parse_math(False)


def _save(fig: Any, tmp: Path, fmt: str) -> None:
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "geoevents", "svg.fonttype": "none"}):
        meta: dict[str, Any] = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(tmp, format=fmt, metadata=meta, dpi=fig.dpi)
