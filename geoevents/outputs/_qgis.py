"""QGIS style (QML) and project (.qgs in a .qgz) text for the GeoPackage, made without QGIS.

Written for QGIS 3.22 and read by later versions. What QGIS needs to apply them is recorded in
CLIENTS.md (layer_styles columns, temporal reset on load, relative layer sources); the
PyQGIS check in ``devtools/qgis_check.py`` proves each claim on a real QGIS.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from geoevents.outputs._common import ATTRIBUTION, QGIS_SIZE_EXPRESSION, SIDES, type_style

__all__ = ["LayerInfo", "project_qgz", "style_qml"]

QGIS_VERSION = "3.22.16-Białowieża"
PROJECT_NAME = "geoevents"

_WKT_4326 = (
    'GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563,LE'
    'NGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],CS[ellipsoid'
    'al,2],AXIS["geodetic latitude (Lat)",north,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],AXI'
    'S["geodetic longitude (Lon)",east,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],USAGE[SCOPE['
    '"Horizontal component of 3D system."],AREA["World."],BBOX[-90,-180,90,180]],ID["EPSG",4326]]'
)
_SRS_4326 = f"""<spatialrefsys nativeFormat="Wkt">
  <wkt>{_WKT_4326}</wkt>
  <proj4>+proj=longlat +datum=WGS84 +no_defs</proj4>
  <srsid>3452</srsid>
  <srid>4326</srid>
  <authid>EPSG:4326</authid>
  <description>WGS 84</description>
  <projectionacronym>longlat</projectionacronym>
  <ellipsoidacronym>EPSG:7030</ellipsoidacronym>
  <geographicflag>true</geographicflag>
</spatialrefsys>"""


def _rgba(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + ",255"


def _prop(name: str, value: str) -> str:
    # <prop k v> is what QGIS 3.22 reads for symbol layers; later versions still read it.
    return f"<prop k={quoteattr(name)} v={quoteattr(value)}/>"


def _symbol(index: str, shape: str, fill: str, stroke: str) -> str:
    props = "".join(
        _prop(k, v)
        for k, v in (
            ("angle", "0"),
            ("color", _rgba(fill)),
            ("horizontal_anchor_point", "1"),
            ("joinstyle", "bevel"),
            ("name", shape),
            ("offset", "0,0"),
            ("offset_unit", "MM"),
            ("outline_color", _rgba(stroke)),
            ("outline_style", "solid"),
            ("outline_width", "0.3"),
            ("outline_width_unit", "MM"),
            ("scale_method", "diameter"),
            ("size", "3"),
            ("size_unit", "MM"),
            ("vertical_anchor_point", "1"),
        )
    )
    size_dd = (
        '<data_defined_properties><Option type="Map"><Option name="name" type="QString" value=""/>'
        '<Option name="properties" type="Map"><Option name="size" type="Map">'
        '<Option name="active" type="bool" value="true"/>'
        f'<Option name="expression" type="QString" value={quoteattr(QGIS_SIZE_EXPRESSION)}/>'
        '<Option name="type" type="int" value="3"/></Option></Option>'
        '<Option name="type" type="QString" value="collection"/></Option></data_defined_properties>'
    )
    return (
        f'<symbol name="{index}" type="marker" alpha="0.85" clip_to_extent="1" force_rhr="0">'
        '<data_defined_properties><Option type="Map"><Option name="name" type="QString" value=""/>'
        '<Option name="properties"/><Option name="type" type="QString" value="collection"/></Option>'
        "</data_defined_properties>"
        f'<layer class="SimpleMarker" enabled="1" locked="0" pass="0">{props}'
        f"{size_dd}</layer></symbol>"
    )


def _temporal(enabled: bool) -> str:
    return (
        f'<temporal enabled="{int(enabled)}" mode="1" startField="event_date" endField="" accumulate="0" '
        'durationUnit="min" fixedDuration="0" durationField="" startExpression="" endExpression="" '
        'limitMode="0"><fixedRange><start></start><end></end></fixedRange></temporal>'
    )


def _style_body(event_type: str) -> str:
    """renderer-v2, labeling and temporal elements shared by the QML and the project layer."""
    style = type_style(event_type)
    cats = "".join(
        f'<category render="true" symbol="{i}" value={quoteattr(value)} label={quoteattr(label)} '
        'type="string"/>'
        for i, (value, label, _c) in enumerate(SIDES)
    )
    syms = "".join(
        _symbol(str(i), style["qgis_shape"], colour, style["stroke"])
        for i, (_v, _l, colour) in enumerate(SIDES)
    )
    source = _symbol("0", style["qgis_shape"], SIDES[-1][2], style["stroke"])
    renderer = (
        '<renderer-v2 type="categorizedSymbol" attr="actor_side" symbollevels="0" enableorderby="0" '
        f'forceraster="0" referencescale="-1"><categories>{cats}</categories><symbols>{syms}</symbols>'
        f"<source-symbol>{source}</source-symbol>"
        "<rotation/><sizescale/></renderer-v2>"
    )
    labeling = (
        '<labeling type="simple"><settings calloutType="simple">'
        '<text-style fieldName="place_name" isExpression="0" fontSize="8" fontSizeUnit="Point" '
        'textColor="40,40,40,255" textOpacity="1" fontFamily="Sans Serif" fontWeight="50" fontItalic="0" '
        'namedStyle="Regular" multilineHeight="1" previewBkgrdColor="255,255,255,255" blendMode="0" '
        'allowHtml="0" capitalization="0" fontLetterSpacing="0" fontWordSpacing="0" '
        'textOrientation="horizontal">'
        '<families/><text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" '
        'bufferColor="255,255,255,255" bufferOpacity="0.85" bufferJoinStyle="128" bufferNoFill="1" '
        'bufferBlendMode="0"/></text-style>'
        '<text-format wrapChar="" multilineAlign="3" addDirectionSymbol="0" formatNumbers="0" decimals="3" '
        'plussign="0" reverseDirectionSymbol="0" placeDirectionSymbol="0" leftDirectionSymbol="&lt;" '
        'rightDirectionSymbol="&gt;" useMaxLineLengthForAutoWrap="1" autoWrapLength="0"/>'
        '<placement placement="6" dist="1.2" distUnits="MM" offsetType="0" quadOffset="4" priority="5" '
        'centroidWhole="0" centroidInside="0" fitInPolygonOnly="0" placementFlags="10" xOffset="0" '
        'yOffset="0" offsetUnits="MM" rotationAngle="0" repeatDistance="0" maxCurvedCharAngleIn="25" '
        'maxCurvedCharAngleOut="-25" overrunDistance="0" geometryGeneratorEnabled="0" '
        'geometryGenerator="" geometryGeneratorType="PointGeometry" layerType="PointGeometry" '
        'allowDegraded="0" lineAnchorPercent="0.5" lineAnchorType="0" lineAnchorClipping="0" '
        'polygonPlacementFlags="2" overlapHandling="PreventOverlap"/>'
        '<rendering scaleVisibility="1" scaleMin="0" scaleMax="5000000" obstacle="1" obstacleType="1" '
        'obstacleFactor="1" zIndex="0" upsidedownLabels="0" displayAll="0" drawLabels="1" '
        'fontLimitPixelSize="0" fontMinPixelSize="3" fontMaxPixelSize="10000" labelPerPart="0" '
        'limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" unplacedVisibility="0"/>'
        "</settings></labeling>"
    )
    return _temporal(True) + renderer + labeling


def style_qml(event_type: str) -> str:
    """Return the ``<qgis>`` style document stored in ``layer_styles`` for one event-type layer.

    Categorized on ``actor_side`` (values equal the data, colours equal the HTML map's), shape
    per event type, size grown by casualties and shrunk when zoomed far out, ``place_name``
    labels from 1:5,000,000 inwards, and temporal properties on ``event_date``.
    """
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        f'<qgis version="{QGIS_VERSION}" styleCategories="AllStyleCategories" labelsEnabled="1" '
        'hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">'
        f"{_style_body(event_type)}<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>"
        "<layerOpacity>1</layerOpacity><layerGeometryType>0</layerGeometryType></qgis>\n"
    )


@dataclass(frozen=True)
class LayerInfo:
    """One layer of the GeoPackage as the project lists it."""

    table: str
    title: str
    event_type: str | None  # None: attribute table (no geometry)
    extent: tuple[float, float, float, float] | None = None


def _maplayer(gpkg_name: str, layer: LayerInfo, layer_id: str) -> str:
    source = f"./{gpkg_name}|layername={layer.table}"
    if layer.event_type is None:
        head = '<maplayer type="vector" geometry="No geometry" wkbType="NoGeometry" readOnly="0">'
        body = ""
    else:
        head = (
            '<maplayer type="vector" geometry="Point" wkbType="Point" readOnly="0" labelsEnabled="1" '
            'hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0" '
            'styleCategories="AllStyleCategories">'
        )
        body = _style_body(layer.event_type)
    return (
        f"{head}<id>{xml_escape(layer_id)}</id><datasource>{xml_escape(source)}</datasource>"
        f"<layername>{xml_escape(layer.title)}</layername>"
        f'<srs>{_SRS_4326}</srs><provider encoding="UTF-8">ogr</provider>'
        f"<resourceMetadata><rights>{xml_escape(ATTRIBUTION)}</rights></resourceMetadata>"
        f"{body}</maplayer>"
    )


def project_qgs(
    gpkg_name: str,
    layers: Sequence[LayerInfo],
    *,
    time_range: tuple[dt.date, dt.date] | None,
    extent: tuple[float, float, float, float],
    title: str = "geoevents",
) -> str:
    """Return a QGIS 3.22 project whose layers read ``./<gpkg_name>|layername=<table>``.

    Sources are relative to the GeoPackage holding the project: moving the file keeps the
    project working, renaming it breaks the layer links (QGIS then offers to repair them).
    """
    ids = {
        lyr.table: f"{lyr.table}_{uuid.uuid5(uuid.NAMESPACE_URL, gpkg_name + lyr.table).hex}"
        for lyr in layers
    }
    tree = "".join(
        f'<layer-tree-layer id="{ids[lyr.table]}" name={quoteattr(lyr.title)} '
        f'source={quoteattr(f"./{gpkg_name}|layername={lyr.table}")} providerKey="ogr" '
        f'checked="Qt::Checked" expanded="1" legend_exp=""><customproperties/></layer-tree-layer>'
        for lyr in layers
    )
    maplayers = "".join(_maplayer(gpkg_name, lyr, ids[lyr.table]) for lyr in layers)
    xmin, ymin, xmax, ymax = extent
    ext = f"<xmin>{xmin}</xmin><ymin>{ymin}</ymin><xmax>{xmax}</xmax><ymax>{ymax}</ymax>"
    if time_range:
        start = f"{time_range[0].isoformat()}T00:00:00Z"
        end = f"{(time_range[1] + dt.timedelta(days=1)).isoformat()}T00:00:00Z"
        time_xml = (
            '<ProjectTimeSettings timeStepUnit="d" timeStep="1" frameRate="1" cumulativeTemporalRange="0">'
            f"<TemporalRange><start>{start}</start><end>{end}</end></TemporalRange></ProjectTimeSettings>"
        )
    else:
        time_xml = ""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        f'<qgis projectname={quoteattr(title)} version="{QGIS_VERSION}">'
        f'<homePath path=""/><title>{xml_escape(title)}</title>'
        f"<projectCrs>{_SRS_4326}</projectCrs>"
        f"<layer-tree-group><customproperties/>{tree}</layer-tree-group>"
        '<mapcanvas name="theMapCanvas" annotationsVisible="1"><units>degrees</units>'
        f"<extent>{ext}</extent><rotation>0</rotation><destinationsrs>{_SRS_4326}</destinationsrs>"
        "<rendermaptile>0</rendermaptile></mapcanvas>"
        f"<projectlayers>{maplayers}</projectlayers>"
        '<properties><Paths><Absolute type="bool">false</Absolute></Paths></properties>'
        f"{time_xml}"
        f"<projectMetadata><title>{xml_escape(title)}</title><rights>{xml_escape(ATTRIBUTION)}</rights>"
        "</projectMetadata></qgis>\n"
    )


def project_qgz(qgs_text: str, name: str = PROJECT_NAME) -> bytes:
    """Zip a .qgs as QGIS stores it (a .qgz), ready to hex-encode into ``qgis_projects``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}.qgs", qgs_text)
    return buf.getvalue()
