"""Raster I/O helpers on rasterio: opening with clear errors, valid pixels, cell sizes, atomic outputs."""
from __future__ import annotations

import math
import os
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import rasterio
from rasterio.errors import RasterioIOError

from ..engine.paths import READ_ONLY_GDAL
from ..engine.protocol import PARTIAL_OUTPUTS, EngineError

if TYPE_CHECKING:
    import numpy as np

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
#: The largest raster (width x height) the engine opens: a declared size beyond it is a damaged
#: header or a mistake (a 100 000 x 100 000 px scene is 10 gigapixels).
MAX_PIXELS = 10_000_000_000


def open_raster(path: str | os.PathLike, label: str = "INPUT"):
    """Open a raster for reading, or raise a one-line EngineError saying why not."""
    p = Path(path)
    if not p.exists():
        raise EngineError(f"{label} {p} does not exist.")
    if p.is_dir():
        raise EngineError(f"{label} {p} is a folder, not a raster file.")
    try:
        with rasterio.Env(**READ_ONLY_GDAL):  # GDAL decides on PAM when it opens: no .aux.xml beside p
            ds = rasterio.open(p)
    except RasterioIOError:
        raise EngineError(f"{label} {p} is not a raster GDAL can read.") from None
    t = ds.transform
    if abs(t.b) + abs(t.d) > 1e-9 * (abs(t.a) + abs(t.e)):
        ds.close()
        raise EngineError(f"{label} {p} has a rotated grid, whose cell size and extent Glacier Terminus cannot "
                          "measure: warp it to a north-up grid first (gdalwarp).")
    if ds.width * ds.height > MAX_PIXELS:
        ds.close()
        raise EngineError(f"{label} {p} declares {ds.width} x {ds.height} px ({ds.width * ds.height / 1e9:.1f} "
                          f"gigapixels), more than the {MAX_PIXELS / 1e9:.0f} gigapixels Glacier Terminus reads: "
                          "clip it, or check that its header is not damaged.")
    try:
        readable_end(ds)
    except RasterioIOError as exc:
        ds.close()
        raise EngineError(f"{label} {p} is damaged or truncated: GDAL cannot read its last block "
                          f"({gdal_detail(exc)}).") from None
    return ds


def gdal_detail(exc: BaseException) -> str:
    """The first line of the deepest message in a chain of rasterio errors (GDAL's own, which the
    outer "See previous exception" ones only point to)."""
    detail: BaseException | None = exc
    text = str(exc)
    while detail is not None:
        if str(detail) and "previous exception" not in str(detail):
            text = str(detail)
        detail = detail.__cause__ or detail.__context__
    return text.splitlines()[0].strip() if text else type(exc).__name__


def readable_end(ds) -> None:
    """Read the last block of every band (what a truncated file loses first); raises rasterio's error."""
    from rasterio.windows import Window

    if ds.width * ds.height == 0:
        return
    rows, cols = ds.block_shapes[0] if ds.block_shapes else (1, ds.width)
    row, col = ((ds.height - 1) // rows) * rows, ((ds.width - 1) // cols) * cols
    ds.read(window=Window(col, row, min(cols, ds.width - col), min(rows, ds.height - row)))


#: Where QGIS draws a raster without georeferencing (no geotransform, no CRS: a plain PNG): column c,
#: row r at x = c, y = -r, so over x 0..width, y -height..0 (QGIS's GDAL provider turns GDAL's default
#: y pixel size of +1 into -1). Every geometry the engine reads or writes for such a raster is in
#: these coordinates, so that it overlays the image in QGIS's map canvas.
UNGEOREFERENCED = rasterio.Affine(1.0, 0.0, 0.0, 0.0, -1.0, 0.0)


def georeferenced(ds) -> bool:
    """Whether a raster places itself on the map (a CRS, or a geotransform other than GDAL's default)."""
    return ds.crs is not None or not ds.transform.is_identity


def grid_transform(ds) -> "rasterio.Affine":
    """The raster's pixel -> map transform as QGIS places it: its own, or :data:`UNGEOREFERENCED`."""
    return ds.transform if georeferenced(ds) else UNGEOREFERENCED


def window_grid_transform(ds, window) -> "rasterio.Affine":
    """:func:`grid_transform` of a window of the raster (what ``ds.window_transform`` is to ``ds.transform``)."""
    return grid_transform(ds) * rasterio.Affine.translation(window.col_off, window.row_off)


def extent_text(transform, height: int, width: int, crs) -> str:
    """Where a raster lies, for messages about geometries that miss it: ``x 0 to 200, y -160 to 0 (pixel
    units: it has no CRS)`` or ``x ... (EPSG:3413)``."""
    from rasterio.transform import array_bounds

    x0, y0, x1, y1 = array_bounds(height, width, transform)
    where = crs.to_string() if crs is not None else (
        "pixel units: it has no CRS" + (", placed as QGIS places a raster without georeferencing"
                                        if transform == UNGEOREFERENCED else ""))
    return f"x {min(x0, x1):g} to {max(x0, x1):g}, y {min(y0, y1):g} to {max(y0, y1):g} ({where})"


@contextmanager
def quiet_georeferencing() -> Iterator[None]:
    """Silence rasterio's warning about rasters without CRS (callers report pixel units themselves)."""
    from rasterio.errors import NotGeoreferencedWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        yield


def valid_pixels(ds, bands: Sequence[int], window, data: np.ndarray | None = None, out_shape=None) -> np.ndarray:
    """Pixels of ``window`` that hold data in every band: none masked (NoData, the dataset's mask)
    and, in a float raster, every value finite: NaN and infinities are NoData whether or not the
    raster says so. ``data``, when already read (with the same ``out_shape``), saves reading a float
    raster's values again; ``out_shape`` (bands, h, w) reads the masks resampled (nearest)."""
    import numpy as np
    from rasterio.enums import Resampling

    kw = {} if out_shape is None else {"out_shape": out_shape, "resampling": Resampling.nearest}
    valid = np.all(ds.read_masks(bands, window=window, **kw) > 0, axis=0)
    if np.issubdtype(np.dtype(ds.dtypes[0]), np.floating):
        values = data if data is not None else ds.read(bands, window=window, **kw)
        valid &= np.all(np.isfinite(values), axis=0)
    return valid


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

    if ds.crs is None:
        return None, "no CRS: pixel units"
    lat = (ds.bounds.top + ds.bounds.bottom) / 2 if ds.crs.is_geographic else None
    scale = metres_per_unit(ds.crs, lat)
    assert scale is not None, "a CRS has units"
    x_metres, y_metres = scale
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


def check_free_space(folder: str | os.PathLike, need: int, what: str) -> None:
    """Refuse, before any work, outputs that would not fit the disk: ``need`` bytes (their size
    uncompressed, the most they can take) against the free space of ``folder``."""
    import shutil

    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if need > free:
        raise EngineError(f"{what} need up to {_size(need)} but {folder} has {_size(free)} free: "
                          "free some space, or write them elsewhere.")


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"


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
    PARTIAL_OUTPUTS.add(str(tmp))
    try:
        yield tmp
        os.replace(tmp, final)
    except Exception as exc:
        if not isinstance(exc, EngineError) and disk_full(final.parent):
            raise EngineError(f"No space left on device in {final.parent} while writing {final.name}.") from exc
        raise
    finally:
        PARTIAL_OUTPUTS.discard(str(tmp))
        for leftover in (tmp, tmp.with_name(tmp.name + ".aux.xml")):
            if leftover.exists():
                leftover.unlink()
