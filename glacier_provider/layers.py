"""Layers handed to the engine: raster files by path, vector features written as GeoJSON.

The engine never reads QGIS layers itself. A raster parameter becomes the path of the
file GDAL reads (:func:`raster_parameter`); a vector parameter's features are written (in
the CRS the engine works in, usually the raster's) to a GeoJSON file in a temporary
folder (:func:`temporary_folder`) whose path goes in the job (:func:`write_geojson`, for
any feature source, geometry type and choice of fields).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from typing import Iterable, Iterator, Sequence

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingUtils,
    QgsVectorFileWriter,
    QgsWkbTypes,
)

from .messages import tr
from .rasters import raster_file

#: Geometry type -> (noun used in messages, the multi WKB type written).
_KINDS = {
    QgsWkbTypes.PointGeometry: ("point", QgsWkbTypes.MultiPoint),
    QgsWkbTypes.LineGeometry: ("line", QgsWkbTypes.MultiLineString),
    QgsWkbTypes.PolygonGeometry: ("polygon", QgsWkbTypes.MultiPolygon),
}


def absolute(path: str | None) -> str | None:
    """An output or input path made absolute (the engine runs in a folder of its own); None stays None."""
    if not path:
        return None
    if "|" in path or path.startswith(("/vsi", "ogr:", "postgres:", "memory:")) or "://" in path:
        return path
    return os.path.abspath(path)


@contextlib.contextmanager
def temporary_folder(kind: str) -> Iterator[str]:
    """A new folder ``glacierterminus_<kind>_*`` in Processing's temporary folder for the files
    a job points to; removed with its files on leaving the block, also after an error."""
    folder = tempfile.mkdtemp(prefix=f"glacierterminus_{kind}_", dir=QgsProcessingUtils.tempFolder())
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def raster_parameter(algorithm, parameters: dict, name: str, context) -> tuple:
    """``(layer, path)`` of a raster parameter (see :func:`.rasters.raster_file`), ``(None, None)``
    when an optional one is left empty."""
    definition = algorithm.parameterDefinition(name)
    optional = definition is not None and bool(definition.flags() & definition.FlagOptional)
    if optional and parameters.get(name) in (None, ""):
        return None, None
    layer = algorithm.parameterAsRasterLayer(parameters, name, context)
    return layer, raster_file(layer, algorithm.parameterAsString(parameters, name, context), name)


def _clean(geometry: QgsGeometry) -> QgsGeometry:
    """A 2-D, linear (no curves), multi-part copy of a geometry."""
    geometry = QgsGeometry(geometry)
    if QgsWkbTypes.isCurvedType(geometry.wkbType()):
        geometry = QgsGeometry(geometry.constGet().segmentize())
    geometry.get().dropZValue()
    geometry.get().dropMValue()
    geometry.convertToMultiType()
    return geometry


def _kept_fields(source: QgsFeatureSource, fields: Iterable[str] | None, label: str) -> QgsFields:
    """The source's fields named in ``fields`` (all of them for None), in the source's order."""
    available = source.fields()
    if fields is None:
        return QgsFields(available)
    wanted = list(dict.fromkeys(fields))
    missing = [name for name in wanted if available.lookupField(name) < 0]
    if missing:
        names = ", ".join(available.names()) or tr("none")
        raise QgsProcessingException(
            tr("{0} has no field {1} (its fields: {2}).").format(label, ", ".join(repr(m) for m in missing), names)
        )
    kept = QgsFields()
    for name in wanted:
        kept.append(available.field(available.lookupField(name)))
    return kept


def _not_degrees(source: QgsFeatureSource, crs: QgsCoordinateReferenceSystem) -> bool:
    """Whether ``source`` says it is geographic while its coordinates cannot be degrees and the target
    ``crs`` is projected: a layer whose CRS was guessed, not given."""
    extent = source.sourceExtent()
    return (source.sourceCrs().isGeographic() and not crs.isGeographic() and not extent.isEmpty()
            and (max(abs(extent.xMinimum()), abs(extent.xMaximum())) > 360
                 or max(abs(extent.yMinimum()), abs(extent.yMaximum())) > 90))


def write_geojson(
    source: QgsFeatureSource,
    path: str,
    crs: QgsCoordinateReferenceSystem,
    transform_context,
    geometry_type: int,
    label: str,
    fields: Sequence[str] | None = (),
    feedback=None,
    required: bool = True,
) -> int:
    """Write ``source``'s features of ``geometry_type`` to ``path`` as GeoJSON in ``crs``.

    ``geometry_type`` is a ``QgsWkbTypes.GeometryType`` (point, line or polygon); the
    file holds multi-part 2-D geometries (curves segmentized, Z and M dropped), with the
    attributes named in ``fields`` (None: all of them; empty: none). Features reprojected
    to ``crs`` when it is valid (a source in another CRS is transformed, not rejected).
    Features without a geometry of that type are skipped. ``label`` names the parameter
    in messages. Returns the number of features written; raises a one-line
    QgsProcessingException when the source has the wrong geometry type, lacks a field,
    holds no feature of the type (unless ``required`` is False: then the file holds no
    feature), or the file cannot be written.
    """
    noun, multi_type = _KINDS[geometry_type]
    source_type = QgsWkbTypes.geometryType(source.wkbType())
    if source_type in _KINDS and source_type != geometry_type:
        raise QgsProcessingException(tr("{0} must be a {1} layer.").format(label, noun))
    kept = _kept_fields(source, fields, label)
    request = QgsFeatureRequest()
    if kept.count() == 0:
        request.setNoAttributes()
    else:
        request.setSubsetOfAttributes(kept.names(), source.fields())
    if crs is not None and crs.isValid():
        if _not_degrees(source, crs):
            if feedback is not None:
                feedback.pushWarning(tr(
                    "{0}: its coordinates ({1}) cannot be longitudes and latitudes although the layer says {2} "
                    "(a GeoJSON file without a 'crs' member is read as WGS 84); they are taken to be in the "
                    "raster's CRS, {3}. Set the layer's CRS to say so.").format(
                        label, source.sourceExtent().toString(0), source.sourceCrs().authid(), crs.authid()))
        else:
            request.setDestinationCrs(crs, transform_context)
    features = []
    for feature in source.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException(tr("Cancelled."))
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            continue
        if QgsWkbTypes.geometryType(geometry.wkbType()) != geometry_type:
            continue
        out = QgsFeature(kept)
        out.setGeometry(_clean(geometry))
        out.setAttributes([feature.attribute(name) for name in kept.names()])
        features.append(out)
    if not features and required:
        raise QgsProcessingException(tr("{0} has no {1}s.").format(label, noun))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GeoJSON"
    options.fileEncoding = "UTF-8"
    options.layerOptions = ["WRITE_NAME=NO", "RFC7946=NO"]
    out_crs = crs if crs is not None else QgsCoordinateReferenceSystem()
    writer = QgsVectorFileWriter.create(path, kept, multi_type, out_crs, transform_context, options)
    if writer.hasError() != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(tr("Cannot write {0} to {1}: {2}").format(label, path, writer.errorMessage()))
    for feature in features:
        writer.addFeature(feature)
    del writer  # closes the file
    return len(features)


__all__ = ["absolute", "raster_parameter", "temporary_folder", "write_geojson"]
