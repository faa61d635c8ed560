"""GDAL's one harmless complaint about rasters without georeferencing, kept out of the log.

When QGIS opens a raster that has neither a geotransform nor GCPs (a plain PNG), its GDAL provider
asks for a pixel -> map transformer, and GDAL prints "ERROR 1: Unable to compute a transformation
between pixel/line and georeferenced coordinates ... There is no affine transformation and no GCPs"
although nothing failed: QGIS then draws the raster at x 0..width, y -height..0, which is where the
plugin puts its fronts. qgis_process reads the rasters of a run's parameters before any of the
provider's code runs, so :func:`quiet_in_qgis_process` installs the filter for qgis_process's main
thread when the provider loads there (QGIS desktop sends GDAL's messages to its log, not to the
terminal); :func:`without_georeferencing_noise` does the same for a block. Every other GDAL message is
printed as GDAL prints it.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

#: The words of the message (GDAL 3.6 to 3.10) that says a raster has no georeferencing, and nothing else.
NO_GEOREFERENCING = ("Unable to compute a transformation between pixel/line and georeferenced coordinates",
                     "There is no affine transformation and no GCPs")


def is_no_georeferencing_notice(message: str) -> bool:
    """Whether a GDAL message is only the notice that a raster has no georeferencing."""
    return all(words in message for words in NO_GEOREFERENCING)


def _print_as_gdal(err_class: int, err_no: int, message: str) -> None:
    from osgeo import gdal

    if is_no_georeferencing_notice(message):
        return
    label = {gdal.CE_Warning: "Warning", gdal.CE_Failure: "ERROR", gdal.CE_Fatal: "FATAL"}.get(err_class)
    if label is not None:  # CE_None and CE_Debug: GDAL's own handler is silent without CPL_DEBUG
        sys.stderr.write(f"{label} {err_no}: {message}\n")


@contextmanager
def without_georeferencing_noise() -> Iterator[None]:
    """In this thread, GDAL's messages as GDAL prints them, less the notice that a raster has no georeferencing."""
    try:
        from osgeo import gdal
    except ImportError:  # QGIS without GDAL's Python bindings: GDAL's own handler stays
        yield
        return
    gdal.PushErrorHandler(_print_as_gdal)
    try:
        yield
    finally:
        gdal.PopErrorHandler()


_INSTALLED: list[bool] = []


def quiet_in_qgis_process() -> None:
    """In qgis_process (QGIS's platform ``qgis_process``), the filter for the rest of the run; once."""
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if _INSTALLED or app is None or QgsApplication.platform() != "qgis_process":
        return
    try:
        from osgeo import gdal
    except ImportError:
        return
    gdal.PushErrorHandler(_print_as_gdal)
    _INSTALLED.append(True)


__all__ = ["is_no_georeferencing_notice", "quiet_in_qgis_process", "without_georeferencing_noise"]
