"""Raster I/O helpers on rasterio: opening with clear errors, cell sizes, atomic outputs."""
from __future__ import annotations

import math
import os
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import rasterio
from rasterio.errors import RasterioIOError

from .protocol import EngineError

#: Creation options for every GeoTIFF the engine writes.
GTIFF_PROFILE = {
    "driver": "GTiff",
    "tiled": True,
    "blockxsize": 256,
    "blockysize": 256,
    "compress": "deflate",
    "BIGTIFF": "IF_SAFER",
}
BLOCK_ROWS = 256


def open_raster(path: str | os.PathLike, label: str = "INPUT"):
    """Open a raster for reading, or raise a one-line EngineError saying why not."""
    p = Path(path)
    if not p.exists():
        raise EngineError(f"{label} {p} does not exist.")
    if p.is_dir():
        raise EngineError(f"{label} {p} is a folder, not a raster file.")
    try:
        return rasterio.open(p)
    except RasterioIOError:
        raise EngineError(f"{label} {p} is not a raster GDAL can read.") from None


@contextmanager
def quiet_georeferencing() -> Iterator[None]:
    """Silence rasterio's warning about rasters without CRS (callers report pixel units themselves)."""
    from rasterio.errors import NotGeoreferencedWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        yield


def colormap_or_none(ds) -> dict | None:
    """Band 1's colour table, or None when the raster has none."""
    try:
        return ds.colormap(1)
    except ValueError:
        return None


def cell_size_m(ds) -> tuple[float | None, str]:
    """The raster's cell size in metres and a note on how it was found.

    ``None`` when the raster has no CRS (pixel units). For geographic CRSs the
    metre size of a degree at the raster's centre latitude is used (:func:`.lines.metres_per_unit`).
    """
    from .lines import metres_per_unit

    if ds.crs is None or ds.transform.is_identity:
        return None, "no CRS: pixel units"
    lat = (ds.bounds.top + ds.bounds.bottom) / 2 if ds.crs.is_geographic else None
    x_metres, y_metres = metres_per_unit(ds.crs, lat)
    metres = math.sqrt(abs(ds.transform.a) * x_metres * abs(ds.transform.e) * y_metres)
    if lat is not None:
        return metres, f"geographic CRS: {metres:.1f} m per cell at latitude {lat:.1f}"
    return metres, "projected CRS"


#: Free space (bytes) below which a failed write is put down to a full disk.
FULL_DISK_BYTES = 4 * 1024 * 1024


def disk_full(folder: str | os.PathLike) -> bool:
    """True when the file system of ``folder`` has (almost) no free space left."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False


def partial_path(path: str | os.PathLike) -> Path:
    """The temporary name an output is written under until it is complete (same extension)."""
    p = Path(path)
    return p.with_name(f".{p.stem}.{os.getpid()}.partial{p.suffix or '.tif'}")


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the output's folder; rename it to ``path`` on success.

    On any exception (cancel included) the temporary file is removed, so a failed run
    never leaves a half-written output behind and never touches an existing one.
    """
    final = Path(path)
    if not final.parent.is_dir():
        raise EngineError(f"Output folder {final.parent} does not exist.")
    if not os.access(final.parent, os.W_OK):
        raise EngineError(f"Output folder {final.parent} is not writable.")
    tmp = partial_path(final)
    try:
        yield tmp
        os.replace(tmp, final)
    except Exception as exc:
        if not isinstance(exc, EngineError) and disk_full(final.parent):
            raise EngineError(f"No space left on device in {final.parent} while writing {final.name}.") from exc
        raise
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".aux.xml")):
            if leftover.exists():
                leftover.unlink()
