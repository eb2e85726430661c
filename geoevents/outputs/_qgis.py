"""QGIS style (QML) and project (.qgs in a .qgz) for the GeoPackage, built as XML trees without QGIS.

Every document is an ``xml.etree.ElementTree`` tree serialized by the library, never text
formatting: names and titles that come from articles or users (event types, the file name, the
project title) can hold ``<``, ``&``, quotes, ``]]>`` or control characters and still give
well-formed XML that QGIS reads as plain text. Characters XML 1.0 cannot carry become U+FFFD.

Written for QGIS 3.22 and read by later versions. What QGIS needs to apply them (layer_styles
columns, temporal reset on load, relative layer sources) is proven on a real QGIS by
``devtools/qgis_check.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from geoevents.outputs._common import ATTRIBUTION, QGIS_SIZE_EXPRESSION, SIDES, type_style

__all__ = ["LayerInfo", "base_style_qml", "project_qgs", "project_qgz", "style_qml", "xml_text"]

QGIS_VERSION = "3.22.16-Białowieża"
PROJECT_NAME = "geoevents"
_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"

_WKT_4326 = (
    'GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563,LE'
    'NGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoid'
    'al,2],AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXI'
    'S["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],USAGE[SCOPE['
    '"Horizontal component of 3D system."],AREA["World."],BBOX[-90,-180,90,180]],ID["EPSG",4326]]'
)

# Precision drawn as the map does: 1 solid, 2 ("near", a district) dashed outline, 3 (region or
# country centroid) hollow in the side's colour, so a centroid never looks like a named village.
_PRECISION_DD = {
    "fillColor": "CASE WHEN \"geo_precision\" >= 3 THEN '0,0,0,0' ELSE @symbol_color END",
    "outlineColor": "CASE WHEN \"geo_precision\" >= 3 THEN @symbol_color ELSE '27,27,27,255' END",
    "outlineWidth": 'CASE WHEN "geo_precision" >= 3 THEN 0.9 ELSE 0.3 END',
    "outlineStyle": "CASE WHEN \"geo_precision\" = 2 THEN 'dash' ELSE 'solid' END",
}

BaseKind = Literal["countries", "places"]

# XML 1.0 forbids C0 controls other than tab/newline/CR, lone surrogates and U+FFFE/FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Root attributes of every default style (event and base layers alike).
_QML_ROOT_ATTRS = {
    "version": QGIS_VERSION,
    "styleCategories": "AllStyleCategories",
    "labelsEnabled": "1",
    "hasScaleBasedVisibilityFlag": "0",
    "minScale": "100000000",
    "maxScale": "0",
}


def xml_text(value: object) -> str:
    """Return ``str(value)`` as XML carries it: forbidden characters U+FFFD, CR line ends LF.

    XML parsers turn CR and CR LF into LF anyway, so this only makes the loss visible up front.
    """
    return _XML_ILLEGAL.sub("\ufffd", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def _sub(
    parent: ET.Element, tag: str, attrs: Mapping[str, object] | None = None, text: object = None
) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in (attrs or {}).items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _serialize(root: ET.Element) -> str:
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _srs(parent: ET.Element) -> None:
    srs = _sub(parent, "spatialrefsys", {"nativeFormat": "Wkt"})
    for tag, text in (
        ("wkt", _WKT_4326),
        ("proj4", "+proj=longlat +datum=WGS84 +no_defs"),
        ("srsid", "3452"),
        ("srid", "4326"),
        ("authid", "EPSG:4326"),
        ("description", "WGS 84"),
        ("projectionacronym", "longlat"),
        ("ellipsoidacronym", "EPSG:7030"),
        ("geographicflag", "true"),
    ):
        _sub(srs, tag, text=text)


def _dd_properties(
    parent: ET.Element, expressions: dict[str, str], tag: str = "data_defined_properties"
) -> None:
    """``<data_defined_properties>`` (labels: ``<dd_properties>``), one active expression per property."""
    top = _sub(_sub(parent, tag), "Option", {"type": "Map"})
    _sub(top, "Option", {"name": "name", "type": "QString", "value": ""})
    props = _sub(
        top, "Option", {"name": "properties", "type": "Map"} if expressions else {"name": "properties"}
    )
    for name, expr in expressions.items():
        prop = _sub(props, "Option", {"name": name, "type": "Map"})
        _sub(prop, "Option", {"name": "active", "type": "bool", "value": "true"})
        _sub(prop, "Option", {"name": "expression", "type": "QString", "value": expr})
        _sub(prop, "Option", {"name": "type", "type": "int", "value": "3"})
    _sub(top, "Option", {"name": "type", "type": "QString", "value": "collection"})


def _symbol_layer(symbol: ET.Element, cls: str, props: Sequence[tuple[str, str]], dd: dict[str, str]) -> None:
    # <prop k v> is what QGIS 3.22 reads for symbol layers; later versions still read it.
    layer = _sub(symbol, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    for k, v in props:
        _sub(layer, "prop", {"k": k, "v": v})
    _dd_properties(layer, dd)


def _marker_symbol(
    parent: ET.Element, name: str, shape: str, fill: str, stroke: str, *, events: bool
) -> None:
    sym = _sub(
        parent,
        "symbol",
        {
            "name": name,
            "type": "marker",
            "alpha": "0.85" if events else "1",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    _dd_properties(sym, {})
    props = (
        ("angle", "0"),
        ("color", fill),
        ("horizontal_anchor_point", "1"),
        ("joinstyle", "bevel"),
        ("name", shape),
        ("offset", "0,0"),
        ("offset_unit", "MM"),
        ("outline_color", stroke),
        ("outline_style", "solid"),
        ("outline_width", "0.3" if events else "0.2"),
        ("outline_width_unit", "MM"),
        ("scale_method", "diameter"),
        ("size", "3" if events else "1.6"),
        ("size_unit", "MM"),
        ("vertical_anchor_point", "1"),
    )
    dd = {"size": QGIS_SIZE_EXPRESSION, **_PRECISION_DD} if events else {}
    _symbol_layer(sym, "SimpleMarker", props, dd)


def _fill_symbol(parent: ET.Element, name: str, fill: str, stroke: str) -> None:
    sym = _sub(
        parent,
        "symbol",
        {"name": name, "type": "fill", "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    _dd_properties(sym, {})
    props = (
        ("border_width_map_unit_scale", "3x:0,0,0,0,0,0"),
        ("color", fill),
        ("joinstyle", "bevel"),
        ("offset", "0,0"),
        ("offset_unit", "MM"),
        ("outline_color", stroke),
        ("outline_style", "solid"),
        ("outline_width", "0.26"),
        ("outline_width_unit", "MM"),
        ("style", "solid"),
    )
    _symbol_layer(sym, "SimpleFill", props, {})


def _kv(spec: str) -> dict[str, str]:
    """Constant attributes written compactly as ``k=v`` words (``k=`` is an empty value)."""
    return dict(word.split("=", 1) for word in spec.split())


# Temporal mode 4 (start and end from expressions): each event covers its whole day [d, d+1).
# Mode 1 (instant from the DATE field) is off by one day in QGIS 3.22: its filter compares the
# DATE value with the frame's date-time, so an event shows in the frame of the day before and
# the first day's events never show (measured with devtools/qgis_check.py). Undated events get
# an open range and stay visible at every frame, as mode 1 shows NULL dates.
TEMPORAL_START = 'coalesce(to_datetime("event_date"), make_datetime(1,1,1,0,0,0))'
TEMPORAL_END = 'coalesce(to_datetime("event_date") + make_interval(days:=1), make_datetime(9999,12,31,0,0,0))'
_TEMPORAL = {
    **_kv(
        "mode=4 startField=event_date endField= accumulate=0 durationUnit=min fixedDuration=0 durationField="
    ),
    "startExpression": TEMPORAL_START,
    "endExpression": TEMPORAL_END,
    "limitMode": "0",
}
_TEXT_STYLE = _kv(
    "isExpression=0 fontSizeUnit=Point textOpacity=1 fontWeight=50 fontItalic=0 namedStyle=Regular "
    "multilineHeight=1 previewBkgrdColor=255,255,255,255 blendMode=0 allowHtml=0 capitalization=0 "
    "fontLetterSpacing=0 fontWordSpacing=0 textOrientation=horizontal"
)
_TEXT_BUFFER = _kv(
    "bufferDraw=1 bufferSize=0.8 bufferSizeUnits=MM bufferColor=255,255,255,255 bufferOpacity=0.85 "
    "bufferJoinStyle=128 bufferNoFill=1 bufferBlendMode=0"
)
_TEXT_FORMAT = _kv(
    "wrapChar= multilineAlign=3 addDirectionSymbol=0 formatNumbers=0 decimals=3 plussign=0 "
    "reverseDirectionSymbol=0 placeDirectionSymbol=0 leftDirectionSymbol=< rightDirectionSymbol=> "
    "useMaxLineLengthForAutoWrap=1 autoWrapLength=0"
)
_PLACEMENT = _kv(
    "dist=1.2 distUnits=MM offsetType=0 quadOffset=4 centroidWhole=0 centroidInside=1 fitInPolygonOnly=0 "
    "placementFlags=10 xOffset=0 yOffset=0 offsetUnits=MM rotationAngle=0 repeatDistance=0 "
    "maxCurvedCharAngleIn=25 maxCurvedCharAngleOut=-25 overrunDistance=0 geometryGeneratorEnabled=0 "
    "geometryGenerator= geometryGeneratorType=PointGeometry allowDegraded=0 lineAnchorPercent=0.5 "
    "lineAnchorType=0 lineAnchorClipping=0 polygonPlacementFlags=2 overlapHandling=PreventOverlap"
)
_RENDERING = _kv(
    "scaleVisibility=1 scaleMin=0 obstacle=1 obstacleType=1 obstacleFactor=1 zIndex=0 upsidedownLabels=0 "
    "displayAll=0 drawLabels=1 fontLimitPixelSize=0 fontMinPixelSize=3 fontMaxPixelSize=10000 labelPerPart=0 "
    "limitNumLabels=0 maxNumLabels=2000 mergeLines=0 minFeatureSize=0 unplacedVisibility=0"
)


def _temporal(parent: ET.Element, enabled: bool) -> None:
    temporal = _sub(parent, "temporal", {"enabled": int(enabled), **_TEMPORAL})
    rng = _sub(temporal, "fixedRange")
    _sub(rng, "start", text="")
    _sub(rng, "end", text="")


def _labeling(
    parent: ET.Element, field: str, *, size: str, scale_max: int, polygon: bool, priority: str = ""
) -> None:
    settings = _sub(_sub(parent, "labeling", {"type": "simple"}), "settings", {"calloutType": "simple"})
    colour = "90,90,90,255" if polygon else "40,40,40,255"
    style = _sub(
        settings,
        "text-style",
        {
            "fieldName": field,
            "fontSize": size,
            "textColor": colour,
            "fontFamily": "Sans Serif",
            **_TEXT_STYLE,
        },
    )
    _sub(style, "families")
    _sub(style, "text-buffer", _TEXT_BUFFER)
    _sub(settings, "text-format", _TEXT_FORMAT)
    placement = {
        "placement": "1" if polygon else "6",  # polygons: over the centroid; points: cartographic
        "priority": "3" if polygon else "5",
        "layerType": "PolygonGeometry" if polygon else "PointGeometry",
    }
    _sub(settings, "placement", {**placement, **_PLACEMENT})
    _sub(settings, "rendering", {"scaleMax": scale_max, **_RENDERING})
    if priority:
        _dd_properties(settings, {"Priority": priority}, "dd_properties")


def _event_style(parent: ET.Element, event_type: str) -> None:
    """temporal, renderer-v2 and labeling of an event layer (shared by the QML and the project)."""
    style = type_style(event_type)
    _temporal(parent, True)
    renderer = _sub(
        parent,
        "renderer-v2",
        {
            "type": "categorizedSymbol",
            "attr": "actor_side",
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
            "referencescale": "-1",
        },
    )
    cats = _sub(renderer, "categories")
    for i, (value, label, _colour) in enumerate(SIDES):
        _sub(
            cats,
            "category",
            {"render": "true", "symbol": i, "value": value, "label": label, "type": "string"},
        )
    syms = _sub(renderer, "symbols")
    for i, (_value, _label, colour) in enumerate(SIDES):
        _marker_symbol(syms, str(i), style["qgis_shape"], _rgba(colour), _rgba(style["stroke"]), events=True)
    source = _sub(renderer, "source-symbol")
    _marker_symbol(source, "0", style["qgis_shape"], _rgba(SIDES[-1][2]), _rgba(style["stroke"]), events=True)
    _sub(renderer, "rotation")
    _sub(renderer, "sizescale")
    _labeling(parent, "place_name", size="8", scale_max=5_000_000, polygon=False)


def _base_style(parent: ET.Element, kind: BaseKind) -> None:
    """Add the renderer and labels of a base layer: beige countries, grey names, dark city dots."""
    renderer = _sub(
        parent,
        "renderer-v2",
        {
            "type": "singleSymbol",
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
            "referencescale": "-1",
        },
    )
    syms = _sub(renderer, "symbols")
    if kind == "countries":
        _fill_symbol(syms, "0", _rgba("#f4f1ea"), _rgba("#9aa6ad"))
        _sub(renderer, "rotation")
        _sub(renderer, "sizescale")
        _labeling(parent, "name", size="9", scale_max=120_000_000, polygon=True)
    else:
        _marker_symbol(syms, "0", "circle", _rgba("#4a4a4a"), _rgba("#ffffff"), events=False)
        _sub(renderer, "rotation")
        _sub(renderer, "sizescale")
        _labeling(
            parent,
            "name",
            size="7.5",
            scale_max=25_000_000,
            polygon=False,
            priority='scale_linear("population", 0, 5000000, 1, 9) + CASE WHEN "capital" THEN 1 ELSE 0 END',
        )


def _qml(fill: Callable[[ET.Element], None], geometry_type: str) -> str:
    """Return a default-style document: the shared root, ``fill``'s body, then the layer's geometry."""
    root = ET.Element("qgis", {k: xml_text(v) for k, v in _QML_ROOT_ATTRS.items()})
    fill(root)
    for tag, text in (
        ("layerGeometryType", geometry_type),
        ("blendMode", "0"),
        ("featureBlendMode", "0"),
        ("layerOpacity", "1"),
    ):
        _sub(root, tag, text=text)
    return _serialize(root)


def style_qml(event_type: str) -> str:
    """Return the ``<qgis>`` style document stored in ``layer_styles`` for one event-type layer.

    Categorized on ``actor_side`` (values equal the data, colours equal the HTML map's), shape
    per event type, size grown by casualties and shrunk when zoomed far out, precision drawn
    (dashed outline for "near", hollow for a region or country centroid), ``place_name`` labels
    from 1:5,000,000 inwards, and temporal properties on ``event_date``.
    """
    return _qml(lambda root: _event_style(root, event_type), "0")


def base_style_qml(kind: BaseKind) -> str:
    """Return the default style of a base layer (``base_countries`` or ``base_places``)."""
    return _qml(lambda root: _base_style(root, kind), "2" if kind == "countries" else "0")


@dataclass(frozen=True)
class LayerInfo:
    """One layer of the GeoPackage as the project lists it.

    ``event_type`` set: an event layer; ``base`` set: a base-map layer; neither: an attribute table.
    """

    table: str
    title: str
    event_type: str | None  # None: not an event layer
    extent: tuple[float, float, float, float] | None = None
    base: BaseKind | None = None


def _maplayer(parent: ET.Element, gpkg_name: str, layer: LayerInfo, layer_id: str) -> None:
    if layer.event_type is not None or layer.base == "places":
        geometry, wkb = "Point", "Point"
    elif layer.base == "countries":
        geometry, wkb = "Polygon", "MultiPolygon"
    else:
        geometry, wkb = "No geometry", "NoGeometry"
    attrs: dict[str, object] = {"type": "vector", "geometry": geometry, "wkbType": wkb, "readOnly": "0"}
    if geometry != "No geometry":
        attrs.update(
            {
                "labelsEnabled": "1",
                "hasScaleBasedVisibilityFlag": "0",
                "minScale": "100000000",
                "maxScale": "0",
                "styleCategories": "AllStyleCategories",
            }
        )
    ml = _sub(parent, "maplayer", attrs)
    _sub(ml, "id", text=layer_id)
    _sub(ml, "datasource", text=f"./{gpkg_name}|layername={layer.table}")
    _sub(ml, "layername", text=layer.title)
    _srs(_sub(ml, "srs"))
    _sub(ml, "provider", {"encoding": "UTF-8"}, text="ogr")
    _sub(_sub(ml, "resourceMetadata"), "rights", text=ATTRIBUTION)
    if layer.event_type is not None:
        _event_style(ml, layer.event_type)
    elif layer.base is not None:
        _base_style(ml, layer.base)


def layer_ids(gpkg_name: str, layers: Sequence[LayerInfo]) -> dict[str, str]:
    """Deterministic QGIS layer ids (uuid5 of file and table): the same input gives the same project."""
    return {
        lyr.table: f"{lyr.table}_{uuid.uuid5(uuid.NAMESPACE_URL, xml_text(gpkg_name + lyr.table)).hex}"
        for lyr in layers
    }


def project_qgs(
    gpkg_name: str,
    layers: Sequence[LayerInfo],
    *,
    time_range: tuple[dt.date, dt.date] | None,
    extent: tuple[float, float, float, float],
    title: str = "geoevents",
) -> str:
    """Return a QGIS 3.22 project whose layers read ``./<gpkg_name>|layername=<table>``.

    Layers are drawn in the order given (first on top), so base layers go last. Sources are
    relative to the GeoPackage holding the project: moving the file keeps the project working,
    renaming it breaks the layer links (QGIS then offers to repair them).
    """
    ids = layer_ids(gpkg_name, layers)
    root = ET.Element("qgis", {"projectname": xml_text(title), "version": QGIS_VERSION})
    _sub(root, "homePath", {"path": ""})
    _sub(root, "title", text=title)
    _srs(_sub(root, "projectCrs"))
    tree = _sub(root, "layer-tree-group")
    _sub(tree, "customproperties")
    for lyr in layers:
        node = _sub(
            tree,
            "layer-tree-layer",
            {
                "id": ids[lyr.table],
                "name": lyr.title,
                "source": f"./{gpkg_name}|layername={lyr.table}",
                "providerKey": "ogr",
                "checked": "Qt::Checked",
                "expanded": "1" if lyr.event_type is not None else "0",
                "legend_exp": "",
            },
        )
        _sub(node, "customproperties")
    canvas = _sub(root, "mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    _sub(canvas, "units", text="degrees")
    ext = _sub(canvas, "extent")
    for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), extent, strict=True):
        _sub(ext, tag, text=repr(float(value)))
    _sub(canvas, "rotation", text="0")
    _srs(_sub(canvas, "destinationsrs"))
    _sub(canvas, "rendermaptile", text="0")
    maplayers = _sub(root, "projectlayers")
    for lyr in layers:
        _maplayer(maplayers, gpkg_name, lyr, ids[lyr.table])
    props = _sub(root, "properties")
    _sub(_sub(props, "Paths"), "Absolute", {"type": "bool"}, text="false")
    if time_range:
        ts = _sub(
            root,
            "ProjectTimeSettings",
            {"timeStepUnit": "d", "timeStep": "1", "frameRate": "1", "cumulativeTemporalRange": "0"},
        )
        rng = _sub(ts, "TemporalRange")
        _sub(rng, "start", text=f"{time_range[0].isoformat()}T00:00:00Z")
        _sub(rng, "end", text=f"{(time_range[1] + dt.timedelta(days=1)).isoformat()}T00:00:00Z")
    meta = _sub(root, "projectMetadata")
    _sub(meta, "title", text=title)
    _sub(meta, "rights", text=ATTRIBUTION)
    return _serialize(root)


def project_qgz(qgs_text: str, name: str = PROJECT_NAME, *, timestamp: dt.datetime | None = None) -> bytes:
    """Zip a .qgs as QGIS stores it (a .qgz), ready to hex-encode into ``qgis_projects``.

    The zip entry's date is ``timestamp`` (default 1980-01-01, the zip epoch), never the clock,
    so the same project gives the same bytes.
    """
    when = (timestamp or dt.datetime(1980, 1, 1)).timetuple()[:6]
    info = zipfile.ZipInfo(f"{xml_text(name)}.qgs", date_time=max(when, (1980, 1, 1, 0, 0, 0)))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(info, qgs_text)
    return buf.getvalue()
