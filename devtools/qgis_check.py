"""Open a geoevents GeoPackage in real QGIS and print what QGIS sees, as JSON.

Run under the system Python that has PyQGIS (Debian ``python3-qgis``)::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 devtools/qgis_check.py OUT/events.gpkg [--png OUT.png]

It checks nothing itself (the pytest side asserts); it reports per layer: validity, CRS,
feature count, renderer type and categories, temporal state right after the PyQGIS
constructor, after ``loadDefaultStyle()``, and as QGIS Desktop adds a layer from the Browser or
by drag and drop (``dragged``: created with ``loadDefaultStyle=False``, then
``loadDefaultStyle()`` and ``loadDefaultMetadata()``, as ``QgsAppLayerHandling::
postProcessAddedLayer`` does); then the same through the project embedded in the GeoPackage,
with its layer-tree order. ``--png OUT.png`` renders the embedded project (events over its own
base layers) at the events' extent, ``--png-zoom OUT.png`` a 3 x 2 degree window around the
event with the most others near it; ``--world FILE`` adds an extra outline layer under the render.
Ends with ``os._exit`` because ``exitQgis()`` can crash at interpreter exit.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BASE_TITLES = ("Cities (GeoNames)", "Countries (Natural Earth)")


def _temporal(layer):
    props = layer.temporalProperties()
    return {
        "active": bool(props.isActive()),
        "mode": int(props.mode()),
        "start_field": props.startField(),
        "start_expression": props.startExpression(),
        "end_expression": props.endExpression(),
    }


def _renderer(layer):
    r = layer.renderer()
    info = {"type": r.type() if r else None}
    if r is not None and r.type() == "categorizedSymbol":
        from qgis.core import QgsSymbolLayer

        cats = r.categories()  # keep the list alive: its symbols die with it
        info["attr"] = r.classAttribute()
        info["categories"] = [
            {
                "value": c.value(),
                "label": c.label(),
                "colour": c.symbol().color().name(),
                "shape": c.symbol().symbolLayer(0).properties().get("name"),
            }
            for c in cats
        ]
        dd = cats[0].symbol().symbolLayer(0).dataDefinedProperties()
        size = dd.property(QgsSymbolLayer.PropertySize)
        info["size_expression"] = size.expressionString() if size.isActive() else None
        info["data_defined"] = {
            name: dd.property(key).expressionString()
            for name, key in (
                ("fillColor", QgsSymbolLayer.PropertyFillColor),
                ("outlineColor", QgsSymbolLayer.PropertyStrokeColor),
                ("outlineStyle", QgsSymbolLayer.PropertyStrokeStyle),
                ("outlineWidth", QgsSymbolLayer.PropertyStrokeWidth),
            )
            if dd.property(key).isActive()
        }
    elif r is not None and r.type() == "singleSymbol":
        info["symbol_type"] = r.symbol().type()
        info["colour"] = r.symbol().color().name()
    return info


def _frame_counts(layer, time_range):
    """Features the Temporal Controller shows at each one-day frame of ``time_range``.

    Uses the layer's own temporal filter (``createFilterString``), the one QGIS applies when the
    controller steps, so undated features (shown at every frame) count too.
    """
    from qgis.core import QgsDateTimeRange, QgsFeatureRequest, QgsVectorLayerTemporalContext

    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    counts = []
    day = time_range.begin()
    while day < time_range.end():
        frame = QgsDateTimeRange(day, day.addDays(1), True, False)
        expr = layer.temporalProperties().createFilterString(context, frame)
        counts.append(sum(1 for _ in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expr))))
        day = day.addDays(1)
    return counts


def _dragged(gpkg, name):
    """Add a layer the way QGIS Desktop does from the Browser or a drop.

    ``QgsAppLayerHandling::addSublayers`` (``QgisApp`` before 3.26) builds the layer from the
    provider's sublayer details with ``loadDefaultStyle = false``, then ``postProcessAddedLayer``
    calls ``loadDefaultStyle()`` and ``loadDefaultMetadata()``.
    """
    from qgis.core import Qgis, QgsProject, QgsProviderRegistry, QgsProviderSublayerDetails

    subs = QgsProviderRegistry.instance().querySublayers(gpkg, Qgis.SublayerQueryFlag.ResolveGeometryType)
    detail = next(s for s in subs if s.name() == name)
    options = QgsProviderSublayerDetails.LayerOptions(QgsProject.instance().transformContext())
    options.loadDefaultStyle = False
    lyr = detail.toLayer(options)
    lyr.loadDefaultStyle()
    lyr.loadDefaultMetadata()
    return lyr


def main(argv: list[str]) -> dict:
    """Load the GeoPackage every way a user would and describe what QGIS made of it."""
    from qgis.core import (
        QgsApplication,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsProject,
        QgsProviderRegistry,
        QgsRectangle,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    gpkg = os.path.abspath(argv[0])
    png = argv[argv.index("--png") + 1] if "--png" in argv else None
    png_zoom = argv[argv.index("--png-zoom") + 1] if "--png-zoom" in argv else None
    world = argv[argv.index("--world") + 1] if "--world" in argv else None
    app = QgsApplication([], False)
    app.initQgis()
    out: dict = {"qgis_version": QgsApplication.version() if hasattr(QgsApplication, "version") else None}
    from qgis.core import Qgis

    out["qgis_version"] = Qgis.QGIS_VERSION
    meta = QgsProviderRegistry.instance().providerMetadata("ogr")
    sublayers = meta.querySublayers(gpkg) if hasattr(meta, "querySublayers") else []
    names = [s.name() for s in sublayers]
    out["sublayers"] = names
    layers = {}
    keep = []
    for name in names:
        if name in ("layer_styles",):
            continue
        lyr = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        keep.append(lyr)
        info = {
            "valid": lyr.isValid(),
            "crs": lyr.crs().authid(),
            "features": lyr.featureCount(),
            "geometry": lyr.geometryType(),
            "fields": {f.name(): f.typeName() for f in lyr.fields()},
            "renderer_on_load": _renderer(lyr) if lyr.isSpatial() else None,
            "temporal_on_load": _temporal(lyr),
        }
        msg, ok = lyr.loadDefaultStyle()
        info["default_style"] = {"ok": bool(ok), "message": msg}
        info["temporal_after_default_style"] = _temporal(lyr)
        if lyr.isSpatial():
            info["renderer_after_default_style"] = _renderer(lyr)
            info["labels"] = bool(lyr.labelsEnabled())
            info["null_geometries"] = sum(1 for f in lyr.getFeatures() if not f.hasGeometry())
        dragged = _dragged(gpkg, name)
        keep.append(dragged)
        info["dragged"] = {
            "valid": dragged.isValid(),
            "temporal": _temporal(dragged),
            "renderer": _renderer(dragged) if dragged.isSpatial() else None,
            "labels": bool(dragged.labelsEnabled()) if dragged.isSpatial() else None,
        }
        layers[name] = info
    out["layers"] = layers

    project = QgsProject.instance()
    uri = f"geopackage:{gpkg}?projectName=geoevents"
    ok = project.read(uri)
    proj: dict = {"read": bool(ok), "title": project.title(), "layers": {}}
    for lyr in project.mapLayers().values():
        entry = {"valid": lyr.isValid(), "source": lyr.source(), "name": lyr.name()}
        if isinstance(lyr, QgsVectorLayer):
            entry["features"] = lyr.featureCount()
            entry["temporal"] = _temporal(lyr)
            if lyr.isSpatial():
                entry["renderer"] = _renderer(lyr)
        proj["layers"][lyr.name()] = entry
    proj["tree"] = [node.name() for node in project.layerTreeRoot().findLayers()]
    ts = project.timeSettings().temporalRange()
    proj["frames"] = {
        lyr.name(): _frame_counts(lyr, ts)
        for lyr in project.mapLayers().values()
        if isinstance(lyr, QgsVectorLayer) and lyr.temporalProperties().isActive()
    }
    proj["time_range"] = [ts.begin().toString("yyyy-MM-dd"), ts.end().toString("yyyy-MM-dd")]
    out["project"] = proj

    draw = [
        node.layer()
        for node in project.layerTreeRoot().findLayers()
        if isinstance(node.layer(), QgsVectorLayer) and node.layer().isSpatial()
    ]
    if world:
        base = QgsVectorLayer(world, "world", "ogr")
        sym = base.renderer().symbol()
        sym.setColor(QColor("#f4f1ea"))
        sym.symbolLayer(0).setStrokeColor(QColor("#9aa6ad"))
        keep.append(base)
        draw = [*draw, base]
    events = [lyr for lyr in draw if lyr.name() not in BASE_TITLES and lyr.name() != "world"]
    extent = QgsRectangle()
    points = []
    for lyr in events:
        if lyr.featureCount() and not lyr.extent().isEmpty():
            extent.combineExtentWith(lyr.extent())
            points += [f.geometry().asPoint() for f in lyr.getFeatures() if f.hasGeometry()]
    if extent.isEmpty() or extent.width() == 0:
        extent = QgsRectangle(34, 28, 50, 40) if extent.isEmpty() else extent
    extent.grow(max(extent.width(), extent.height()) * 0.25 + 1)
    renders = {}
    if png:
        renders[png] = extent
    if png_zoom and points:
        # the 3 x 2 degree window around the event point with the most events in it (town zoom)
        pts = sorted((p.x(), p.y()) for p in points)
        cx, cy = max(pts, key=lambda c: sum(abs(x - c[0]) <= 1.4 and abs(y - c[1]) <= 0.9 for x, y in pts))
        renders[png_zoom] = QgsRectangle(cx - 1.5, cy - 1.0, cx + 1.5, cy + 1.0)
    out["png"] = {}
    for target, ext in renders.items():
        settings = QgsMapSettings()
        settings.setLayers(draw)
        settings.setDestinationCrs(draw[0].crs())
        settings.setBackgroundColor(QColor("#dbe7ef"))
        settings.setOutputSize(QSize(1200, 800))
        settings.setExtent(ext)
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        job.renderedImage().save(target, "png")
        out["png"][target] = {"scale": round(settings.scale()), "extent": ext.toString(2)}
    return out


if __name__ == "__main__":
    try:
        result = main(sys.argv[1:])
        code = 0
    except Exception:
        result = {"error": traceback.format_exc()}
        code = 1
    sys.stdout.write(json.dumps(result, default=str) + "\n")
    sys.stdout.flush()
    os._exit(code)
