"""Labels for training tiles: a class raster, polygons with a class field, or front lines.

Each kind turns into uint8 class chips on a chip's grid (0 = unlabelled):

* a class raster is read on the image's grid (warped when its grid or CRS differ),
  nearest neighbour; 0 and its NoData are unlabelled;
* polygons (GeoJSON, in the image's CRS) are burnt with the class of their field;
  outside every polygon is unlabelled;
* front lines (GeoJSON, in the image's CRS) are burnt ``line_width`` chip pixels wide as
  class 2 (front) on class 1 (background) everywhere else.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from affine import Affine

from ..classes import class_names_from_tags
from ..engine.protocol import EngineError
from ..geo.raster import colormap_or_none, extent_text
from ..geo.vector import LINE_TYPES, POLYGON_TYPES, Feature, of_types, read_vector

FRONT_CLASSES = ((1, "background", "#f0f0f0", "background"), (2, "front", "#e6194b", "front"))
KINDS = ("raster", "polygons", "lines")


@dataclass(frozen=True)
class LabelClass:
    value: int
    name: str
    color: str | None = None
    role: str | None = None


#: Distinct class values above which a LABELS raster looks continuous (an image, a DEM), not classes.
MAX_LABEL_CLASSES = 64


def check_class_values(ds, label: str = "LABELS") -> None:
    """Refuse, by name, a class raster whose values cannot be stored as classes (outside 0-255:
    they would be dropped) or that looks continuous (more than :data:`MAX_LABEL_CLASSES` distinct
    values); 0 and NoData are unlabelled. Reads band 1 once, a block row at a time."""
    from rasterio.windows import Window

    counts = np.zeros(257, dtype=np.int64)  # 0..255 and one bin for everything outside
    lowest = highest = None
    for row in range(0, ds.height, 256):
        block = ds.read(1, window=Window(0, row, ds.width, min(256, ds.height - row)), masked=True)
        values = block.compressed().astype(np.int64)
        if values.size == 0:
            continue
        lowest = int(values.min()) if lowest is None else min(lowest, int(values.min()))
        highest = int(values.max()) if highest is None else max(highest, int(values.max()))
        counts += np.bincount(np.clip(values, -1, 256) % 257, minlength=257)
    if counts[256]:
        raise EngineError(f"{label} holds {counts[256]} pixel(s) with class values outside 0-255 (from {lowest} to "
                          f"{highest}), which a class raster cannot store: recode the classes to 1-255 first.")
    distinct = int(np.count_nonzero(counts[1:256]))
    if distinct > MAX_LABEL_CLASSES:
        raise EngineError(f"{label} has {distinct} distinct values: it looks like a continuous raster (an image or a "
                          f"DEM), not classes (at most {MAX_LABEL_CLASSES}); give a class raster.")


class ClassRasterLabels:
    """A class raster, read on the image's grid."""

    kind = "raster"

    def __init__(self, path: str, image, label: str = "LABELS") -> None:
        import rasterio
        from rasterio.vrt import WarpedVRT

        from ..geo.raster import open_raster, quiet_georeferencing

        with quiet_georeferencing():
            self.ds = open_raster(path, label)
        if self.ds.count < 1 or not np.issubdtype(np.dtype(self.ds.dtypes[0]), np.integer):
            self.ds.close()
            raise EngineError(f"{label} {path} must be a class raster of whole numbers (e.g. uint8), "
                              f"not {self.ds.dtypes[0]}.")
        #: How the raster was put on the image's grid; None when it already was on it.
        self.regridded: str | None = None
        self.stretch: tuple[float, float] | None = None  # coarse rows, cols per image row, col
        same_grid = (self.ds.crs == image.crs and self.ds.transform.almost_equals(image.transform)
                     and self.ds.shape == image.shape)
        self.reader = self.ds
        if same_grid:
            pass
        elif image.crs is None and self.ds.crs is None:
            self.stretch = (self.ds.height / image.height, self.ds.width / image.width)
            self.regridded = (f"{label} ({self.ds.width} x {self.ds.height} px) and INPUT ({image.width} x "
                              f"{image.height} px) have no CRS: {label} was stretched over INPUT's extent, "
                              "nearest neighbour")
        elif image.crs is None or self.ds.crs is None:
            self.ds.close()
            raise EngineError(f"{label} and INPUT must share their grid when only one of them has a CRS.")
        else:
            from rasterio.coords import disjoint_bounds
            from rasterio.warp import transform_bounds

            self.reader = WarpedVRT(self.ds, crs=image.crs, transform=image.transform, width=image.width,
                                    height=image.height, resampling=rasterio.enums.Resampling.nearest, nodata=0)
            if disjoint_bounds(transform_bounds(self.ds.crs, image.crs, *self.ds.bounds), image.bounds):
                self.close()
                raise EngineError(f"{label} does not overlap INPUT, which covers "
                                  f"{extent_text(image.transform, image.height, image.width, image.crs)}.")
            self.regridded = f"{label} is on another grid than INPUT: resampled to INPUT's grid, nearest neighbour"
        try:
            check_class_values(self.ds, label)
        except EngineError:
            self.close()
            raise
        self.names = class_names_from_tags(self.ds.tags(), self.ds.tags(1))
        self.colors = _class_colors(self.ds)

    def classes(self, values) -> list[LabelClass]:
        """Classes for the raster values found in the chips."""
        return [LabelClass(int(v), self.names.get(int(v), f"class {int(v)}"), self.colors.get(int(v)))
                for v in sorted(values)]

    def chip(self, window, shape: tuple[int, int], transform: Affine) -> np.ndarray:  # noqa: ARG002
        from rasterio.enums import Resampling

        if self.stretch is not None:
            data = self._stretched(window, shape)
        else:
            data = self.reader.read(1, window=window, out_shape=shape, resampling=Resampling.nearest)
        nodata = self.reader.nodata
        valid = data != nodata if nodata is not None else np.ones(data.shape, bool)
        valid &= (data > 0) & (data <= 255)
        return np.where(valid, data, 0).astype(np.uint8)

    def _stretched(self, window, shape: tuple[int, int]) -> np.ndarray:
        """Nearest-neighbour values of the raster stretched over the image (both without CRS)."""
        assert self.stretch is not None, "only stretched labels are read so"
        from rasterio.windows import Window

        def index(offset: float, length: float, n: int, scale: float, size: int) -> np.ndarray:
            centres = offset + (np.arange(n) + 0.5) * (length / n)
            return np.clip(np.floor(centres * scale).astype(np.int64), 0, size - 1)

        rows = index(window.row_off, window.height, shape[0], self.stretch[0], self.ds.height)
        cols = index(window.col_off, window.width, shape[1], self.stretch[1], self.ds.width)
        r0, c0 = int(rows.min()), int(cols.min())
        block = self.ds.read(1, window=Window(c0, r0, int(cols.max()) - c0 + 1, int(rows.max()) - r0 + 1))
        return block[np.ix_(rows - r0, cols - c0)]

    def close(self) -> None:
        if self.reader is not self.ds:
            self.reader.close()
        self.ds.close()


def _class_colors(ds) -> dict[int, str]:
    cmap = colormap_or_none(ds)
    if cmap is None:
        return {}
    return {int(v): "#{:02x}{:02x}{:02x}".format(*rgba[:3]) for v, rgba in cmap.items() if v > 0}


class PolygonLabels:
    """Polygons burnt with the class of their CLASS_FIELD."""

    kind = "polygons"

    regridded = None  # burnt straight onto the image's grid

    def __init__(self, features: list[Feature], class_field: str, label: str = "LABELS") -> None:
        if not class_field:
            raise EngineError(f"CLASS_FIELD is required with polygon {label}: the field that holds each "
                              "polygon's class.")
        if not any(class_field in f.properties for f in features):
            fields = sorted({k for f in features for k in f.properties})
            raise EngineError(f"{label} has no field '{class_field}' (its fields: {', '.join(fields) or 'none'}).")
        raw = [f.properties.get(class_field) for f in features]
        kept = [(f, v) for f, v in zip(features, raw, strict=False) if v not in (None, "")]
        if not kept:
            raise EngineError(f"{label}: every polygon's '{class_field}' is empty.")
        self.class_list, value_of = _class_values([v for _, v in kept], class_field, label)
        self.shapes = [(f.geometry, value_of[v]) for f, v in kept]

    def classes(self, values) -> list[LabelClass]:  # noqa: ARG002
        return self.class_list

    def chip(self, window, shape: tuple[int, int], transform: Affine) -> np.ndarray:  # noqa: ARG002
        from rasterio.features import rasterize

        return rasterize(self.shapes, out_shape=shape, transform=transform, fill=0, dtype="uint8")

    def close(self) -> None:
        pass


def _class_values(values: list, class_field: str, label: str) -> tuple[list[LabelClass], dict]:
    """Class values for field values: whole numbers 1..255 are kept, anything else (names)
    is numbered 1.. in sorted order."""
    def as_int(v):
        if isinstance(v, bool):
            return None
        if isinstance(v, (int, float)) and float(v).is_integer():
            return int(v)
        if isinstance(v, str) and v.strip().isdigit():
            return int(v.strip())
        return None

    distinct = sorted(set(values), key=str)
    numbers = {v: as_int(v) for v in distinct}
    if all(n is not None for n in numbers.values()):
        bad = sorted(n for n in numbers.values() if not 1 <= n <= 255)
        if bad:
            raise EngineError(f"{label} field '{class_field}' has class values {bad[:5]} outside 1..255 "
                              f"(0 is unlabelled).")
        by_value: dict[int, object] = {}
        for v, n in numbers.items():
            by_value.setdefault(n, v)
        return [LabelClass(n, f"class {n}") for n in sorted(by_value)], numbers
    names = sorted({str(v) for v in distinct})
    if len(names) > 255:
        raise EngineError(f"{label} field '{class_field}' has {len(names)} different values; at most 255 classes.")
    index = {name: i + 1 for i, name in enumerate(names)}
    return [LabelClass(i, name) for name, i in index.items()], {v: index[str(v)] for v in distinct}


def widened(line: np.ndarray, width: float) -> np.ndarray:
    """A boolean line mask grown to ``width`` pixels: the pixels whose centre lies within
    ``(width - 1) / 2`` of a line pixel's centre (width 1 leaves it as it is)."""
    from scipy.ndimage import distance_transform_edt

    if not line.any() or width <= 1:
        return line.astype(bool)
    return distance_transform_edt(~line.astype(bool)) <= (width - 1) / 2


class LineLabels:
    """Front lines burnt ``width`` px wide as class 2 on class 1 (background)."""

    kind = "lines"
    regridded = None  # burnt straight onto the image's grid

    def __init__(self, features: list[Feature], width: float) -> None:
        if not width >= 1:
            raise EngineError(f"LINE_WIDTH must be at least 1 pixel, not {width:g}.")
        self.lines = [f.geometry for f in features]
        self.width = float(width)
        self.margin = int(math.ceil(self.width / 2)) + 1

    def classes(self, values) -> list[LabelClass]:  # noqa: ARG002
        return [LabelClass(*c) for c in FRONT_CLASSES]

    def chip(self, window, shape: tuple[int, int], transform: Affine) -> np.ndarray:  # noqa: ARG002
        from rasterio.features import rasterize

        m = self.margin
        grown = (shape[0] + 2 * m, shape[1] + 2 * m)
        line = rasterize(((g, 1) for g in self.lines), out_shape=grown,
                         transform=transform * Affine.translation(-m, -m), fill=0, dtype="uint8")
        return np.where(widened(line > 0, self.width)[m:-m, m:-m], 2, 1).astype(np.uint8)

    def close(self) -> None:
        pass


def open_labels(path: str, image, class_field: str | None, line_width: float | None, label: str = "LABELS"):
    """The label source for ``label``: a class raster, or a GeoJSON file of polygons or (with a
    ``line_width``) front lines."""
    lowered = path.lower()
    if lowered.endswith((".geojson", ".json")):
        features = read_vector(path, label).features
        polygons, lines = of_types(features, POLYGON_TYPES), of_types(features, LINE_TYPES)
        if polygons and lines:
            raise EngineError(f"{label} mixes polygons and lines: give one kind per export.")
        if polygons:
            return PolygonLabels(polygons, class_field or "", label)
        if lines and line_width is not None:
            return LineLabels(lines, line_width)
        kinds = "polygons or lines" if line_width is not None else "polygons"
        raise EngineError(f"{label} has no {kinds}.")
    return ClassRasterLabels(path, image, label)
