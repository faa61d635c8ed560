"""GDAL in QGIS's process while it opens the user's layers for a run: its one harmless complaint about
rasters without georeferencing kept out of the log, and no file written beside them.

When QGIS opens a raster that has neither a geotransform nor GCPs (a plain PNG), its GDAL provider
asks for a pixel -> map transformer, and GDAL prints "ERROR 1: Unable to compute a transformation
between pixel/line and georeferenced coordinates ... There is no affine transformation and no GCPs"
although nothing failed: QGIS then draws the raster at x 0..width, y -height..0, which is where the
plugin puts its fronts. qgis_process reads the rasters of a run's parameters before any of the
provider's code runs, so :func:`quiet_in_qgis_process` installs the filter for qgis_process's main
thread when the provider loads there (QGIS desktop sends GDAL's messages to its log, not to the
terminal); :func:`without_georeferencing_noise` does the same for a block. Every other GDAL message is
printed as GDAL prints it.

When QGIS opens a raster layer it computes band statistics for its renderer, and GDAL keeps them in
``<raster>.aux.xml`` beside the raster (its PAM). :func:`reading_user_layers` turns that off for the
datasets opened in its block (GDAL decides when it opens a dataset), in this thread only, so that QGIS's
own use of GDAL elsewhere is as the user set it.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from ..core.engine.paths import READ_ONLY_GDAL

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


def _set_in_this_thread(gdal, settings: dict) -> dict:
    """Set GDAL's ``settings`` for this thread only; returns what they were, to set back."""
    before = {key: gdal.GetThreadLocalConfigOption(key, None) for key in settings}
    for key, value in settings.items():
        gdal.SetThreadLocalConfigOption(key, value)
    return before


@contextmanager
def reading_user_layers() -> Iterator[None]:
    """In this thread: GDAL's PAM off for the datasets opened in the block (the engine's
    :data:`READ_ONLY_GDAL`) and the notice of no georeferencing dropped
    (:func:`without_georeferencing_noise`); restored after."""
    try:
        from osgeo import gdal
    except ImportError:
        yield
        return
    before = _set_in_this_thread(gdal, READ_ONLY_GDAL)
    try:
        with without_georeferencing_noise():
            yield
    finally:
        _set_in_this_thread(gdal, before)


_INSTALLED: list[bool] = []
#: How qgis_process names the provider's algorithms (``glacierterminus:classifypixels``).
PROVIDER_PREFIX = "glacierterminus:"


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
    if any(arg.startswith(PROVIDER_PREFIX) for arg in QgsApplication.arguments()):  # a run of ours
        _set_in_this_thread(gdal, READ_ONLY_GDAL)
    _INSTALLED.append(True)


__all__ = ["is_no_georeferencing_notice", "quiet_in_qgis_process", "reading_user_layers",
           "without_georeferencing_noise"]
