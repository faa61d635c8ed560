"""Front error (CaFFe's mean distance error) between predicted and reference lines.

Both fronts are rasterised on a pixel grid (a raster's, or one built around the lines
with a given cell size); for every predicted front pixel the distance to the nearest
reference pixel is measured, and for every reference pixel the distance to the nearest
predicted one, with KD-trees (never a full distance matrix). The symmetric distances
are both sets together. Distances are in metres (CRS units scaled to metres), or in
pixels for lines without a CRS.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..geo.lines import densify, length, map_to_pixel, pixel_to_map


@dataclass(frozen=True)
class Grid:
    """A pixel grid: affine transform, shape (rows, cols) and metres per map unit (x, y)."""

    transform: object
    shape: tuple[int, int]
    scale: tuple[float, float] = (1.0, 1.0)
    units: str = "m"


def grid_from_raster(ds, scale: tuple[float, float] | None) -> Grid:
    """The grid of an open rasterio dataset (``scale`` None: pixel units)."""
    from ..geo.raster import grid_transform

    return Grid(grid_transform(ds), (ds.height, ds.width), scale or (1.0, 1.0), "m" if scale else "px")


def grid_for_lines(lines: list[np.ndarray], cell: float, scale: tuple[float, float] | None) -> Grid:
    """A north-up grid of ``cell`` map units covering the lines, with a one-cell margin.

    Cell edges fall on multiples of ``cell``, so every pair of fronts is measured on the
    same lattice.
    """
    from affine import Affine

    points = np.concatenate([np.asarray(line, dtype=float).reshape(-1, 2) for line in lines])
    x0, y0 = np.floor(points.min(axis=0) / cell) * cell - cell
    x1, y1 = np.ceil(points.max(axis=0) / cell) * cell + cell
    cols = max(1, int(math.ceil((x1 - x0) / cell)))
    rows = max(1, int(math.ceil((y1 - y0) / cell)))
    return Grid(Affine(cell, 0.0, x0, 0.0, -cell, y1), (rows, cols), scale or (1.0, 1.0), "m" if scale else "px")


def rasterise(lines: list[np.ndarray], grid: Grid) -> tuple[np.ndarray, int]:
    """Unique ``(row, col)`` pixels the lines run through, and how many line pixels fell off the grid."""
    if not lines:
        return np.zeros((0, 2), dtype=np.int64), 0
    parts = [densify(map_to_pixel(line, grid.transform), 0.25) for line in lines if len(line) >= 1]
    rc = np.floor(np.concatenate(parts) + 0.5).astype(np.int64)  # halves always round up
    rc = np.unique(rc, axis=0)
    h, w = grid.shape
    inside = (rc[:, 0] >= 0) & (rc[:, 0] < h) & (rc[:, 1] >= 0) & (rc[:, 1] < w)
    return rc[inside], int((~inside).sum())


def metric_positions(pixels: np.ndarray, grid: Grid) -> np.ndarray:
    """Pixel centres in metres (map coordinates scaled per axis)."""
    return pixel_to_map(pixels, grid.transform) * np.asarray(grid.scale, dtype=float)


def one_sided(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """For every point of ``source``, the distance to the nearest point of ``target``."""
    from scipy.spatial import cKDTree

    return cKDTree(target).query(source, k=1)[0]


@dataclass
class FrontError:
    """The error of one image's predicted front against its reference."""

    key: str
    predicted_px: int
    reference_px: int
    pred_to_ref: np.ndarray = field(repr=False)
    ref_to_pred: np.ndarray = field(repr=False)
    predicted_length: float = 0.0
    reference_length: float = 0.0

    @property
    def distances(self) -> np.ndarray:
        """The symmetric distances: both one-sided sets together."""
        return np.concatenate([self.pred_to_ref, self.ref_to_pred])

    def row(self) -> dict:
        d = self.distances
        return {
            "mean": float(d.mean()),
            "median": float(np.median(d)),
            "max": float(d.max()),
            "pred_to_ref_mean": float(self.pred_to_ref.mean()),
            "ref_to_pred_mean": float(self.ref_to_pred.mean()),
            "predicted_px": self.predicted_px,
            "reference_px": self.reference_px,
            "predicted_length": self.predicted_length,
            "reference_length": self.reference_length,
        }


def front_error(key: str, predicted: list[np.ndarray], reference: list[np.ndarray], grid: Grid) -> FrontError | None:
    """Symmetric pixel distances between two sets of lines on ``grid``; None when either has no pixel."""
    pred_px, _ = rasterise(predicted, grid)
    ref_px, _ = rasterise(reference, grid)
    if len(pred_px) == 0 or len(ref_px) == 0:
        return None
    pred_m, ref_m = metric_positions(pred_px, grid), metric_positions(ref_px, grid)
    return FrontError(
        key=key,
        predicted_px=len(pred_px),
        reference_px=len(ref_px),
        pred_to_ref=one_sided(pred_m, ref_m),
        ref_to_pred=one_sided(ref_m, pred_m),
        predicted_length=sum(length(line, grid.scale) for line in predicted),
        reference_length=sum(length(line, grid.scale) for line in reference),
    )


def summary(errors: list[FrontError], missing: int) -> dict:
    """Mean over all distances, mean of per-image means, median, and images without prediction."""
    if errors:
        pooled = np.concatenate([e.distances for e in errors])
        means = [float(e.distances.mean()) for e in errors]
        return {
            "images": len(errors) + missing,
            "evaluated": len(errors),
            "missing_predictions": missing,
            "mean_distance": float(pooled.mean()),
            "mean_of_image_means": float(np.mean(means)),
            "median_distance": float(np.median(pooled)),
        }
    return {
        "images": missing,
        "evaluated": 0,
        "missing_predictions": missing,
        "mean_distance": None,
        "mean_of_image_means": None,
        "median_distance": None,
    }


__all__ = [
    "Grid",
    "grid_from_raster",
    "grid_for_lines",
    "rasterise",
    "one_sided",
    "FrontError",
    "front_error",
    "summary",
]
