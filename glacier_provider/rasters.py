"""Raster layers handed to the engine: the file (or GDAL string) rasterio can open."""
from __future__ import annotations

import os

from qgis.core import QgsProcessingException, QgsProviderRegistry

from .messages import tr


def raster_file(layer, value: str, label: str) -> str:
    """The path of a GDAL raster layer for the engine, or a one-line QgsProcessingException.

    ``value`` is the parameter's text (for messages about missing files); ``label`` names
    the parameter. Subdatasets and GDAL virtual paths are passed on as GDAL strings.
    """
    if layer is None or not layer.isValid():
        if value and not os.path.exists(value) and os.path.sep in value:
            raise QgsProcessingException(tr("{0}: file {1} does not exist.").format(label, value))
        raise QgsProcessingException(
            tr("{0}: {1} is not a raster GDAL can read.").format(label, value or tr("(empty)")))
    if layer.providerType() != "gdal":
        raise QgsProcessingException(
            tr("{0}: layer '{1}' comes from the '{2}' data provider; the engine needs a raster file read by "
               "GDAL (GeoTIFF, ...). Save it to a GeoTIFF first (Raster > Conversion > Translate).").format(
                label, layer.name(), layer.providerType()))
    source = layer.source()
    decoded = QgsProviderRegistry.instance().decodeUri("gdal", source)
    path = decoded.get("path") or source
    extras = {k: v for k, v in decoded.items() if k != "path" and v not in (None, "", [], {})}
    if extras or not os.path.isfile(path):
        return source  # a subdataset or GDAL virtual path: rasterio opens the same string
    return os.path.abspath(path)  # the engine runs in a folder of its own


__all__ = ["raster_file"]
