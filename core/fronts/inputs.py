"""What front extraction reads: the class or probability raster (whole), a probability raster on its
grid, and the job's lengths in the raster's terms (metres with a CRS, pixels without)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.protocol import EngineError, Reporter

#: Defaults in cells for the lengths left empty.
DEFAULT_MIN_LENGTH_CELLS = 10.0


DEFAULT_SIMPLIFY_CELLS = 0.5


DEFAULT_JOIN_CELLS = 10.0


@dataclass
class Raster:
    """What extraction needs from INPUT: classes (or front probability), validity, grid."""

    classes: np.ndarray | None  # uint8/int class values, None for a single probability band
    probabilities: dict[int, np.ndarray]  # class value -> float32 (NaN where no data)
    valid: np.ndarray
    transform: Any  # affine.Affine
    crs: Any  # rasterio CRS, or None
    names: dict[int, str]  # class names from the raster's tags
    scene: dict[str, str]  # the scene it came from (classify's tags: source, acquisition_date)

    def layer_on_grid(self, layer, label: str, reporter: Reporter):
        """A vector layer (MASK, WALLS) in this raster's coordinates: reprojected from its CRS, or, both
        without CRS, in QGIS's pixel coordinates (:func:`..geo.vector.in_qgis_pixels`)."""
        from rasterio.transform import array_bounds

        from ..geo.vector import in_crs, in_qgis_pixels

        layer = in_crs(layer, self.crs, label, reporter)
        if self.crs is None:
            layer = in_qgis_pixels(layer, array_bounds(*self.valid.shape, self.transform), label, reporter)
        return layer


def probability_bands(descriptions, names: dict[int, str], count: int) -> list[int]:
    """The class value of each band of a probability raster (``p(name)`` descriptions, else 1..n)."""
    by_name = {n.lower(): v for v, n in names.items()}
    values = []
    for i, d in enumerate(descriptions or [None] * count, start=1):
        text = (d or "").strip()
        if text.lower().startswith("p(") and text.endswith(")") and text[2:-1].lower() in by_name:
            values.append(by_name[text[2:-1].lower()])
        else:
            values.append(i)
    if len(set(values)) != len(values):
        values = list(range(1, count + 1))
    return values


def read_probabilities(path: str, label: str, shape, names: dict[int, str]) -> dict[int, np.ndarray]:
    """Per-class probabilities (NaN for no data) of a float raster on the given grid."""
    from ..geo.raster import open_raster, quiet_georeferencing

    with quiet_georeferencing(), open_raster(path, label) as ds:
        if (ds.height, ds.width) != shape:
            raise EngineError(
                f"{label} is {ds.width} x {ds.height} px but INPUT is {shape[1]} x {shape[0]}: "
                "it must be on INPUT's grid."
            )
        if not np.issubdtype(np.dtype(ds.dtypes[0]), np.floating):
            raise EngineError(f"{label} must hold probabilities (float bands), not {ds.dtypes[0]}.")
        data = ds.read(masked=True).astype(np.float32).filled(np.nan)
        values = probability_bands(ds.descriptions, names, ds.count)
    return {v: data[i] for i, v in enumerate(values)}


def read_input(path: str) -> Raster:
    """INPUT as classes (integer band 1) or per-class probabilities (float bands)."""
    from ..classes import class_names_from_tags
    from ..geo.raster import grid_transform, open_raster, quiet_georeferencing

    with quiet_georeferencing(), open_raster(path, "INPUT") as ds:
        names = class_names_from_tags(ds.tags(), ds.tags(1))
        scene = {k: v for k, v in ds.tags().items() if k in ("source", "acquisition_date")}
        transform, crs = grid_transform(ds), ds.crs
        dtype = np.dtype(ds.dtypes[0])
        floating = np.issubdtype(dtype, np.floating)
        if not floating:
            classes = ds.read(1)
            valid = ds.read_masks(1) > 0
            return Raster(classes, {}, valid, transform, crs, names, scene)
        data = ds.read(masked=True).astype(np.float32).filled(np.nan)
        values = probability_bands(ds.descriptions, names, ds.count)
    valid = np.all(np.isfinite(data), axis=0)
    probabilities = {v: data[i] for i, v in enumerate(values)}
    if len(values) == 1:
        return Raster(None, probabilities, valid, transform, crs, names, scene)
    lut = np.array(values)
    classes = lut[np.argmax(np.where(np.isfinite(data), data, -np.inf), axis=0)].astype(np.int32)
    return Raster(classes, probabilities, valid, transform, crs, names, scene)


@dataclass(frozen=True)
class Settings:
    """Lengths of a job in the raster's terms: metres with a CRS, pixels without."""

    units: str  # "m" or "px"
    scale: tuple[float, float]  # metres (or 1) per map unit, x and y
    cell: float  # metres (or pixels) per pixel
    min_length: float
    tolerance: float  # simplification, metres (or pixels)
    join_px: float  # front class: largest gap joined, pixels
    sigma: float  # smoothing, pixels
    iterations: int
    buffer: float


def or_cells(length: float | None, cells: float, cell: float) -> float:
    """A length the job gives, else ``cells`` cells of ``cell`` (the defaults of the lengths)."""
    return float(cells) * cell if length is None else length


def job_settings(job: dict, raster: Raster, reporter: Reporter) -> Settings:
    """Units, cell size and the job's lengths with their defaults (in cells) filled in."""
    from ..geo.lines import metres_per_unit

    h, w = raster.valid.shape
    t = raster.transform
    lat = (t * (w / 2, h / 2))[1] if raster.crs is not None and raster.crs.is_geographic else None
    pixel = math.sqrt(abs(t.a * t.e - t.b * t.d))  # map units per pixel
    scale = metres_per_unit(raster.crs, lat, job.get("pixel_size"), pixel)
    units = "m" if scale is not None else "px"
    scale = scale or (1.0, 1.0)
    cell = pixel * math.sqrt(scale[0] * scale[1])
    if units == "px":
        reporter.warning("INPUT has no CRS: working in pixel units (MIN_LENGTH, SIMPLIFY, JOIN_DISTANCE in pixels); "
                         "give PIXEL_SIZE for metres.")
    elif raster.crs is None:
        reporter.info(f"INPUT has no CRS: PIXEL_SIZE {job['pixel_size']:g} m per pixel gives lengths in metres.")
    return Settings(
        units=units,
        scale=scale,
        cell=cell,
        min_length=or_cells(job["min_length"], job.get("min_length_cells") or DEFAULT_MIN_LENGTH_CELLS, cell),
        tolerance=or_cells(job["simplify"], DEFAULT_SIMPLIFY_CELLS, cell),
        join_px=or_cells(job["join_distance"], DEFAULT_JOIN_CELLS, cell) / cell,
        sigma=job["smoothing"],
        iterations=job["iterations"],
        buffer=job["buffer"],
    )
