"""Pure polyline geometry on (N, 2) float arrays: map coordinates, length, smoothing,
Douglas-Peucker simplification, densification, sampling a raster along a line."""
from __future__ import annotations

import math

import numpy as np


def pixel_to_map(rows_cols: np.ndarray, transform) -> np.ndarray:
    """(N, 2) ``(row, col)`` index coordinates (pixel centres at integers) -> (N, 2) map ``(x, y)``.

    The centre of pixel ``[r, c]`` is at ``transform * (c + 0.5, r + 0.5)``; without a
    CRS rasterio's transform is the identity, giving GDAL pixel/line coordinates.
    """
    rc = np.asarray(rows_cols, dtype=float).reshape(-1, 2)
    c = rc[:, 1] + 0.5
    r = rc[:, 0] + 0.5
    t = transform
    return np.stack([t.a * c + t.b * r + t.c, t.d * c + t.e * r + t.f], axis=1)


def map_to_pixel(xy: np.ndarray, transform) -> np.ndarray:
    """(N, 2) map ``(x, y)`` -> (N, 2) ``(row, col)`` index coordinates (inverse of :func:`pixel_to_map`)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    inv = ~transform
    c = inv.a * xy[:, 0] + inv.b * xy[:, 1] + inv.c - 0.5
    r = inv.d * xy[:, 0] + inv.e * xy[:, 1] + inv.f - 0.5
    return np.stack([r, c], axis=1)


def length(xy: np.ndarray, scale: tuple[float, float] = (1.0, 1.0)) -> float:
    """Length of a polyline; ``scale`` multiplies x and y differences (e.g. metres per unit)."""
    xy = np.asarray(xy, dtype=float)
    if len(xy) < 2:
        return 0.0
    d = np.diff(xy, axis=0) * np.asarray(scale, dtype=float)
    return float(np.hypot(d[:, 0], d[:, 1]).sum())


def smooth(xy: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing of the vertices along the line (``sigma`` in vertices); ends kept."""
    xy = np.asarray(xy, dtype=float)
    if sigma <= 0 or len(xy) < 3:
        return xy.copy()
    from scipy.ndimage import gaussian_filter1d

    # Reflect about the end points (odd extension) so the ends stay put and the
    # line is not pulled inward near them.
    pad = min(len(xy) - 1, int(math.ceil(4 * sigma)))
    head = 2 * xy[0] - xy[pad:0:-1]
    tail = 2 * xy[-1] - xy[-2 : -pad - 2 : -1]
    extended = np.concatenate([head, xy, tail])
    out = gaussian_filter1d(extended, sigma, axis=0, mode="nearest")[pad : pad + len(xy)]
    out[0], out[-1] = xy[0], xy[-1]
    return out


def simplify(xy: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker: the fewest vertices within ``tolerance`` of the line (same units)."""
    xy = np.asarray(xy, dtype=float)
    if tolerance <= 0 or len(xy) < 3:
        return xy.copy()
    keep = np.zeros(len(xy), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(xy) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = xy[i], xy[j]
        seg = b - a
        pts = xy[i + 1 : j] - a
        norm = math.hypot(*seg)
        if norm == 0:
            dist = np.hypot(pts[:, 0], pts[:, 1])
        else:
            dist = np.abs(seg[0] * pts[:, 1] - seg[1] * pts[:, 0]) / norm
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return xy[keep]


def densify(xy: np.ndarray, step: float) -> np.ndarray:
    """Points along a polyline no farther than ``step`` apart (vertices kept)."""
    xy = np.asarray(xy, dtype=float)
    if len(xy) < 2:
        return xy.copy()
    seg = np.diff(xy, axis=0)
    n = np.maximum(1, np.ceil(np.hypot(seg[:, 0], seg[:, 1]) / step).astype(int))
    t = np.concatenate([np.arange(k) / k for k in n])
    idx = np.repeat(np.arange(len(seg)), n)
    return np.concatenate([xy[idx] + seg[idx] * t[:, None], xy[-1:]])


def sample_bilinear(image: np.ndarray, rows_cols: np.ndarray) -> np.ndarray:
    """Bilinear samples of a 2-D float image at ``(row, col)`` positions, NaN-aware.

    NaN pixels are left out and the weights of the others renormalised; a point with
    only NaN neighbours (or outside the image) gives NaN.
    """
    rc = np.asarray(rows_cols, dtype=float).reshape(-1, 2)
    h, w = image.shape
    r0 = np.floor(rc[:, 0]).astype(int)
    c0 = np.floor(rc[:, 1]).astype(int)
    fr = rc[:, 0] - r0
    fc = rc[:, 1] - c0
    total = np.zeros(len(rc))
    weight = np.zeros(len(rc))
    for dr, dc, wgt in ((0, 0, (1 - fr) * (1 - fc)), (0, 1, (1 - fr) * fc), (1, 0, fr * (1 - fc)), (1, 1, fr * fc)):
        r, c = r0 + dr, c0 + dc
        inside = (r >= 0) & (r < h) & (c >= 0) & (c < w) & (wgt > 1e-12)
        values = np.full(len(rc), np.nan)
        values[inside] = image[r[inside], c[inside]]
        ok = inside & np.isfinite(values)
        total[ok] += wgt[ok] * values[ok]
        weight[ok] += wgt[ok]
    out = np.full(len(rc), np.nan)
    np.divide(total, weight, out=out, where=weight > 0)
    return out


def metres_per_unit(crs, latitude: float | None = None, pixel_size: float | None = None,
                    pixel: float = 1.0) -> tuple[float, float] | None:
    """Metres per CRS unit in x and y; without a CRS, ``pixel_size`` metres per pixel of ``pixel`` map units
    (PIXEL_SIZE), else None (pixel units).

    Projected CRSs use their linear unit; geographic ones the size of a degree at
    ``latitude`` (an approximation good enough for lengths of fronts).
    """
    if crs is None:
        return (pixel_size / pixel, pixel_size / pixel) if pixel_size else None
    if crs.is_geographic:
        lat = math.radians(latitude or 0.0)
        return 111_320.0 * math.cos(lat), 110_574.0
    try:
        factor = float(crs.linear_units_factor[1])
    except Exception:  # noqa: BLE001 - a CRS without a linear unit: assume metres
        factor = 1.0
    return factor, factor


__all__ = [
    "pixel_to_map",
    "map_to_pixel",
    "length",
    "smooth",
    "simplify",
    "densify",
    "sample_bilinear",
    "metres_per_unit",
]
