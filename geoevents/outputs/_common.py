"""What every writer shares: atomic targets, layer names, actor sides and the colour scheme.

The HTML map and the GeoPackage styles draw from the same tables here, so a strike by a US
actor is the same blue circle in the browser and in QGIS.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geoevents.errors import OutputError, OutputExists
from geoevents.events.actors import side_of
from geoevents.records import Event

__all__ = [
    "ATTRIBUTION",
    "IMAGE_NAMES",
    "OUTPUT_NAMES",
    "SIDES",
    "TYPE_STYLES",
    "actor_side",
    "atomic_target",
    "layer_name",
    "ordered_types",
    "overlay_label",
]

log = logging.getLogger(__name__)

OUTPUT_NAMES: dict[str, str] = {
    "html": "events.html",
    "geojson": "events.geojson",
    "gpkg": "events.gpkg",
    "csv": "events.csv",
}
# Static renderings of the map (``geoevents map --png/--svg``): optional members of a set.
IMAGE_NAMES: dict[str, str] = {"png": "events.png", "svg": "events.svg"}

ATTRIBUTION = (
    "Places: GeoNames (CC BY 4.0), Who's On First (CC BY / CC0 sources), OurAirports (public domain); "
    "base map: Made with Natural Earth (public domain)"
)

# Event types known up front, in the order layers and legends list them; others follow by name.
_FIRST_TYPES = ("strike", "attack")

# Shape and outline colour per event type; the fill colour comes from the actor side.
TYPE_STYLES: dict[str, dict[str, str]] = {
    "strike": {"shape": "circle", "stroke": "#1b1b1b", "qgis_shape": "circle"},
    "attack": {"shape": "diamond", "stroke": "#1b1b1b", "qgis_shape": "diamond"},
}
_EXTRA_SHAPES = (("square", "square"), ("triangle", "triangle"))

# (value written to the data, legend label, colour); liveuamap-like: blue vs red, grey unknown.
# The values are ``geoevents.events.actors.ACTOR_SIDES``' column; "unknown" = no actor named.
SIDES: tuple[tuple[str, str, str], ...] = (
    ("US/coalition", "US / coalition / allies", "#1f5fbf"),
    ("Iran-backed", "Iran / Iran-backed militias", "#d62728"),
    ("state", "Other state forces", "#2ca02c"),
    ("non-state", "Other armed groups", "#ff7f0e"),
    ("unknown", "Actor not named", "#8c8c8c"),
)
SIDE_COLOURS = {value: colour for value, _label, colour in SIDES}


def actor_side(actor: str | None) -> str:
    """Return the colour class of the acting party: ``geoevents.events.actors.side_of`` (one table)."""
    return side_of(actor)


def ordered_types(events: Iterable[Event]) -> list[str]:
    """Event types present, strikes and attacks always first (even when absent), others sorted."""
    extra = sorted({e.event_type for e in events} - set(_FIRST_TYPES))
    return [*_FIRST_TYPES, *extra]


def type_style(event_type: str) -> dict[str, str]:
    """Shape and outline for a type; unknown types get the next spare shape, stably by name."""
    if event_type in TYPE_STYLES:
        return TYPE_STYLES[event_type]
    shape, qshape = _EXTRA_SHAPES[sum(map(ord, event_type)) % len(_EXTRA_SHAPES)]
    return {"shape": shape, "stroke": "#1b1b1b", "qgis_shape": qshape}


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def layer_name(event_type: str) -> str:
    """GeoPackage layer name for a type: ``strike`` -> ``strikes``, ``air raid`` -> ``air_raids``."""
    slug = re.sub(r"[^0-9a-z]+", "_", event_type.strip().lower()).strip("_") or "events"
    return _plural(slug)


def overlay_label(event_type: str) -> str:
    """Human label of a type's overlay: ``strike`` -> ``Strikes``."""
    return _plural(event_type.strip()).capitalize() if event_type.strip() else "Events"


@contextmanager
def atomic_target(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a fresh path beside ``path``; move it into place only if the block succeeds.

    Writers write into a private temporary directory in the target directory (same filesystem,
    so ``os.replace`` is atomic) under the target's own file name: GDAL picks drivers and the
    embedded QGIS project its relative layer sources from that name. A failure or crash leaves
    any previous file untouched and removes the temporary directory.

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is false.
    OutputError
        The directory is missing, is not a directory, or is not writable.

    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.exists() and not overwrite:
        raise OutputExists(f"{path} exists; pass overwrite=True (CLI: --overwrite) to replace it")
    if path.is_dir():
        raise OutputError(f"{path} is a directory; give a file name such as {path / 'events.html'}")
    if not parent.is_dir():
        raise OutputError(f"Output directory {parent} does not exist; create it first (mkdir -p {parent})")
    try:
        tmp_dir = tempfile.mkdtemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"Cannot write in {parent}: {err.strerror}; choose a writable directory") from err
    tmp = Path(tmp_dir) / path.name  # not pre-created: GDAL won't open an empty file as a GeoPackage
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"Writer produced no file for {path}")
        os.replace(tmp, path)
        log.debug("wrote %s", path)
    except OSError as err:
        if isinstance(err, OutputError):
            raise
        raise OutputError(f"Could not write {path}: {err}") from err
    finally:
        for leftover in Path(tmp_dir).iterdir():
            leftover.unlink()
        os.rmdir(tmp_dir)


def feature_rows(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    """``Event.rows()`` for all events, plus ``actor_side``; one dict per event location."""
    for ev in events:
        side = actor_side(ev.actor1)
        for row in ev.rows():
            row["actor_side"] = side
            yield row


def casualty_scale(killed: int | None, injured: int | None) -> float:
    """0..1 marker growth from casualties (killed + injured, capped at 50): one rule for map and QGIS."""
    total = (killed or 0) + (injured or 0)
    return min(max(total, 0), 50) / 50


# QGIS size expression equal to casualty_scale (3 mm .. 9 mm), 30 % smaller when zoomed far out.
QGIS_SIZE_EXPRESSION = (
    'scale_linear(coalesce("killed", 0) + coalesce("injured", 0), 0, 50, 3, 9)'
    " * CASE WHEN @map_scale > 20000000 THEN 0.7 ELSE 1 END"
)
