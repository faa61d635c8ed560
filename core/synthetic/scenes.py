"""Deterministic synthetic fjord scenes: marine-terminating glaciers with a known front.

For tests, demos and benchmarks. A scene is a glacier flowing from the top of the image
toward the bottom, between rock valley walls, ending at a wavy calving front; below the
front a melange band, then open water with icebergs. Rock and the upper glacier carry
snow. The surface classes are SEE_ICE's seven (:data:`SURFACE_CLASSES`); the zones of the
first model (ocean / glacier / rock) follow from them (:func:`zones_from_surface`).

Every pixel is a pure function of the :class:`SceneSpec` and its own (row, column):
smooth curves (valley walls, front) are sums of seeded sinusoids plus hashed 1-D value
noise, spatial texture is hashed 2-D value noise, sensor noise and speckle are hashed per
pixel, and icebergs come from hashed lattice cells. So any window of any scene (64 x 64
up to 20000 x 20000 and beyond) can be made on its own, and assembling windows gives the
very same bytes as making the scene in one piece. :func:`.writer.write_scene` writes
scenes strip by strip as tiled GeoTIFFs; memory does not grow with the scene's size.

Pixel coordinate conventions:

* *index coordinates* ``(col, row)``: the centre of pixel ``[r, c]`` of an array is at
  ``(c, r)``. The true front is the curve ``row = f(col)``: a fjord pixel ``[r, c]`` is
  glacier when ``r < f(c)`` and ocean otherwise, so the curve runs between the centres of
  the last glacier row and the first ocean row (``ceil(f(c))``) of each column.
  :meth:`SceneSpec.front_line_px` uses these.
* *map coordinates*: ``transform * (col + 0.5, row + 0.5)`` (GDAL's convention, where
  pixel ``[r, c]`` covers ``[c, c + 1] x [r, r + 1]`` in pixel/line space). Without a CRS
  the transform is the identity, i.e. GDAL pixel/line coordinates, as rasterio reports
  for rasters that are not georeferenced.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ..choices import SYNTHETIC_KINDS
from ..classes import SURFACE_CLASSES
from ..engine.protocol import EngineError
from . import noise as hashed

__all__ = [
    "SURFACE_CLASSES",
    "ZONE_CLASSES",
    "ZONES",
    "SceneSpec",
    "surface_window",
    "image_window",
    "zones_from_surface",
    "tile_majority",
    "surface_pixels",
    "image_pixels",
]

#: Zones of the first model: value -> (name, (r, g, b)). 0 is no data.
ZONE_CLASSES: dict[int, tuple[str, tuple[int, int, int]]] = {
    1: ("ocean", (20, 50, 130)),
    2: ("glacier", (185, 230, 250)),
    3: ("rock", (115, 85, 55)),
}
#: Which surface classes make each zone.
ZONES: dict[str, frozenset[int]] = {
    "ocean": frozenset({1, 2, 3}),
    "glacier": frozenset({4, 5}),
    "rock": frozenset({6, 7}),
}
_ZONE_LUT = np.zeros(256, dtype=np.uint8)
for _value, (_name, _rgb) in ZONE_CLASSES.items():
    for _c in ZONES[_name]:
        _ZONE_LUT[_c] = _value

OPTICAL_BANDS = ("blue", "green", "red", "nir")
SAR_BANDS = ("sigma0",)
#: Optical digital numbers are reflectance times this.
REFLECTANCE_SCALE = 10000.0

# Per-class signatures, indexed by class value (row 0 = no data, unused).
#                            blue    green   red     nir
_OPTICAL_MEAN = np.array([
    [0.0, 0.0, 0.0, 0.0],
    [0.055, 0.045, 0.030, 0.012],  # 1 open water: dark, darkest in NIR
    [0.700, 0.680, 0.630, 0.450],  # 2 iceberg water (the bergs): bright ice
    [0.380, 0.360, 0.320, 0.200],  # 3 melange: between water and ice
    [0.550, 0.510, 0.450, 0.280],  # 4 glacier ice
    [0.880, 0.860, 0.830, 0.660],  # 5 snow on ice
    [0.700, 0.680, 0.660, 0.520],  # 6 snow on rock
    [0.075, 0.090, 0.115, 0.170],  # 7 rock: dark brown
], dtype=np.float32).T.copy()  # (4 bands, 8)
_OPTICAL_SIGMA = (0.012, 0.012, 0.012, 0.015)  # additive sensor noise, reflectance
# Backscatter sigma0, linear units.
_SAR_MEAN = np.array([0.0, 0.030, 0.450, 0.300, 0.220, 0.140, 0.120, 0.100], dtype=np.float32)
# Texture amplitudes (relative): coarse (tens of px) and fine (a few px) value noise.
_TEX_COARSE = np.array([0.0, 0.15, 0.10, 0.20, 0.15, 0.06, 0.12, 0.30], dtype=np.float32)
_TEX_FINE = np.array([0.0, 0.05, 0.05, 0.60, 0.08, 0.03, 0.08, 0.15], dtype=np.float32)
_SAR_TEX_COARSE = np.array([0.0, 0.20, 0.10, 0.20, 0.20, 0.10, 0.20, 0.45], dtype=np.float32)
_SAR_TEX_FINE = np.array([0.0, 0.05, 0.05, 0.60, 0.10, 0.05, 0.10, 0.20], dtype=np.float32)

# Hash channels (:func:`.noise.key`): one independent random field each.
_CH_FRONT, _CH_LEFT, _CH_RIGHT, _CH_MELANGE = 1, 2, 3, 4
_CH_BERG_EXIST, _CH_BERG_POS, _CH_BERG_SHAPE = 5, 6, 7
_CH_SNOW_ICE, _CH_SNOW_ROCK = 8, 9
_CH_TEX_COARSE, _CH_TEX_FINE, _CH_ILLUM, _CH_WIND = 10, 11, 12, 13
_CH_NOISE = 32  # + band
_CH_SPECKLE = 64  # + look pair

# ----------------------------------------------------------------------------- the scene


@dataclass(frozen=True)
class SceneSpec:
    """A synthetic scene: size, seed, sensor kind and georeferencing.

    ``crs=None`` (or ``"none"``) makes a raster without CRS or geotransform (pixel units).
    ``origin`` is the map position of the upper-left corner; ``cell_size`` is in CRS units.
    ``front_fraction`` places the mean front at that fraction of the height; ``looks`` is
    the number of looks of SAR speckle (gamma distributed, mean 1).
    """

    width: int
    height: int
    seed: int = 0
    kind: str = "optical"
    cell_size: float = 30.0
    crs: str | None = "EPSG:3413"
    origin: tuple[float, float] = (-200000.0, -2200000.0)
    front_fraction: float = 0.45
    looks: int = 4

    def __post_init__(self) -> None:
        def integer(name: str, value: Any, minimum: int) -> int:
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                if isinstance(value, (float, np.floating)) and float(value).is_integer():
                    value = int(value)
                else:
                    raise EngineError(f"Parameter {name.upper()} must be an integer, not {value!r}.")
            if value < minimum:
                raise EngineError(f"Parameter {name.upper()} must be at least {minimum}, not {value}.")
            return int(value)

        object.__setattr__(self, "width", integer("width", self.width, 32))
        object.__setattr__(self, "height", integer("height", self.height, 32))
        object.__setattr__(self, "seed", integer("seed", self.seed, 0))
        object.__setattr__(self, "looks", integer("looks", self.looks, 1))
        if self.looks > 64:
            raise EngineError(f"Parameter LOOKS must be at most 64, not {self.looks}.")
        if self.kind not in SYNTHETIC_KINDS:
            raise EngineError(f"Parameter KIND must be one of {', '.join(SYNTHETIC_KINDS)}, not {self.kind!r}.")
        try:
            cell = float(self.cell_size)
            ox, oy = (float(v) for v in self.origin)
            ff = float(self.front_fraction)
        except (TypeError, ValueError):
            raise EngineError("CELL_SIZE, ORIGIN and FRONT_FRACTION must be numbers.") from None
        if not (math.isfinite(cell) and cell > 0):
            raise EngineError(f"Parameter CELL_SIZE must be positive, not {self.cell_size!r}.")
        if not (math.isfinite(ox) and math.isfinite(oy)):
            raise EngineError(f"ORIGIN must be finite, not {self.origin!r}.")
        if not 0.2 <= ff <= 0.8:
            raise EngineError(f"Parameter FRONT_FRACTION must be between 0.2 and 0.8, not {ff}.")
        crs = self.crs
        if crs is not None:
            crs = str(crs).strip()
            if crs.lower() in ("", "none", "null"):
                crs = None
        object.__setattr__(self, "cell_size", cell)
        object.__setattr__(self, "origin", (ox, oy))
        object.__setattr__(self, "front_fraction", ff)
        object.__setattr__(self, "crs", crs)

    @property
    def bands(self) -> tuple[str, ...]:
        """Band names of the image."""
        return OPTICAL_BANDS if self.kind == "optical" else SAR_BANDS

    @property
    def dtype(self) -> str:
        """Numpy dtype name of the image."""
        return "uint16" if self.kind == "optical" else "float32"

    @property
    def transform(self):
        """The affine.Affine geotransform (upper-left origin, north up), None without CRS."""
        if self.crs is None:
            return None
        from affine import Affine

        return Affine(self.cell_size, 0.0, self.origin[0], 0.0, -self.cell_size, self.origin[1])

    def front_line_px(self, step: float = 1.0) -> np.ndarray:
        """The true front, (N, 2) float64 (col, row) in index coordinates (pixel centres).

        Sampled every ``step`` columns at column centres across the fjord, plus the two
        points where the front meets the valley walls. Pixel ``[r, c]`` in the fjord is
        glacier when ``r < row`` of the line at ``c`` and ocean otherwise.
        """
        if not step > 0:
            raise EngineError("The front line's step must be positive.")
        g = _geometry(self)
        x = np.arange(0.0, self.width - 0.5, float(step))
        y = _front_rows(self, g, x)
        xl, xr = _walls(self, g, y)
        inside = np.flatnonzero((x > xl) & (x < xr))
        if inside.size == 0:  # cannot happen with the built-in geometry
            return np.zeros((0, 2))
        first, last, n = inside[0], inside[-1], len(x)
        x, y = x[first : last + 1], y[first : last + 1]

        def crossing(lo: float, hi: float, left: bool) -> float:
            def outside(v: float) -> bool:
                w = np.array([v])
                a, b = _walls(self, g, _front_rows(self, g, w))
                return bool(v <= a[0]) if left else bool(v >= b[0])

            for _ in range(60):
                mid = 0.5 * (lo + hi)
                if outside(mid) == outside(lo):
                    lo = mid
                else:
                    hi = mid
            return 0.5 * (lo + hi)

        x_start = crossing(x[0] - step if first > 0 else -0.5, float(x[0]), True)
        x_end = crossing(float(x[-1]), x[-1] + step if last < n - 1 else self.width - 0.5, False)
        xs = np.concatenate([[x_start], x, [x_end]])
        ys = np.concatenate([_front_rows(self, g, np.array([x_start])), y, _front_rows(self, g, np.array([x_end]))])
        return np.stack([xs, ys], axis=1)

    def front_line_map(self, step: float = 1.0) -> np.ndarray:
        """The true front, (N, 2) in map coordinates (without CRS, where QGIS places the raster: x = column,
        y = -row, :data:`..geo.raster.UNGEOREFERENCED`)."""
        from ..geo.raster import UNGEOREFERENCED

        px = self.front_line_px(step)
        c = px[:, 0] + 0.5
        r = px[:, 1] + 0.5
        t = self.transform if self.transform is not None else UNGEOREFERENCED
        return np.stack([t.a * c + t.b * r + t.c, t.d * c + t.e * r + t.f], axis=1)


@dataclass(frozen=True)
class _Geometry:
    """Seeded shape parameters of a scene (fractions of width / height unless 'px')."""

    front: tuple[tuple[float, float, float], ...]  # (amplitude, cycles across width, phase)
    front_rough: float  # px
    front_rough_cell: float  # px
    left: tuple[tuple[float, float, float], ...]  # (amplitude, cycles down the height, phase)
    right: tuple[tuple[float, float, float], ...]
    left_base: float
    right_base: float
    wall_rough: float  # px
    wall_rough_cell: float  # px
    melange_width: float  # px
    melange_cell: int  # px
    berg_cell: int  # px
    berg_scale: float  # px: e-folding distance of iceberg density below the melange
    snow_line: float  # px
    snow_amp: float  # px
    snow_cells: tuple[int, ...]
    rock_snow_cells: tuple[int, ...]
    texture_cells: tuple[int, ...] = (48, 12)
    fine_cell: int = 3
    large_cell: int = field(default=256)


@lru_cache(maxsize=64)
def _geometry(spec: SceneSpec) -> _Geometry:
    W, H, s = spec.width, spec.height, spec.seed
    p = iter(hashed.param(s, i) for i in range(1000))
    two_pi = 2.0 * math.pi
    front = tuple(
        (amp * (0.6 + 0.8 * next(p)), cycles * (0.85 + 0.3 * next(p)), two_pi * next(p))
        for amp, cycles in ((0.040, 1.2), (0.020, 2.6), (0.010, 5.3), (0.005, 10.5))
    )

    def wall() -> tuple[tuple[float, float, float], ...]:
        return tuple(
            (amp * (0.6 + 0.8 * next(p)), cycles * (0.8 + 0.4 * next(p)), two_pi * next(p))
            for amp, cycles in ((0.030, 0.9), (0.015, 2.3), (0.007, 5.0))
        )

    left, right = wall(), wall()
    short = min(W, H)
    melange = float(min(200.0, max(4.0, 0.04 * H)))
    return _Geometry(
        front=front,
        front_rough=float(min(6.0, max(0.5, 0.003 * H))),
        front_rough_cell=16.0,
        left=left,
        right=right,
        left_base=0.15 + 0.04 * next(p),
        right_base=0.81 + 0.04 * next(p),
        wall_rough=float(min(8.0, max(0.5, 0.004 * W))),
        wall_rough_cell=20.0,
        melange_width=melange,
        melange_cell=max(4, int(round(melange))),
        berg_cell=int(min(40, max(8, round(short / 32)))),
        berg_scale=0.35 * H,
        snow_line=0.45 * spec.front_fraction * H,
        snow_amp=0.06 * H,
        snow_cells=(max(8, H // 8), max(4, H // 32)),
        rock_snow_cells=(max(8, short // 6), max(4, short // 24), max(2, short // 96)),
        large_cell=max(16, short // 4),
    )


def _front_rows(spec: SceneSpec, g: _Geometry, x: np.ndarray) -> np.ndarray:
    """Front row f(x) (index coordinates) at float columns x."""
    x = np.asarray(x, dtype=np.float64)
    u = x * (2.0 * math.pi / spec.width)
    y = np.full_like(x, spec.front_fraction)
    for amp, cycles, phase in g.front:
        y += amp * np.sin(u * cycles + phase)
    y *= spec.height
    y += g.front_rough * hashed.noise1d(hashed.key(spec.seed, _CH_FRONT), x, g.front_rough_cell)
    return y


def _walls(spec: SceneSpec, g: _Geometry, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left and right valley-wall columns (index coordinates) at float rows y."""
    y = np.asarray(y, dtype=np.float64)
    v = y * (1.0 / spec.height)
    u = v * (2.0 * math.pi)
    out = []
    for base, slope, terms, channel in (
        (g.left_base, -0.06, g.left, _CH_LEFT),
        (g.right_base, 0.06, g.right, _CH_RIGHT),
    ):
        xw = base + slope * v
        for amp, cycles, phase in terms:
            xw += amp * np.sin(u * cycles + phase)
        xw *= spec.width
        xw += g.wall_rough * hashed.noise1d(hashed.key(spec.seed, channel), y, g.wall_rough_cell)
        out.append(xw)
    return out[0], out[1]


def _check_window(spec: SceneSpec, row_off: int, col_off: int, height: int,
                  width: int) -> tuple[np.ndarray, np.ndarray]:
    values = (row_off, col_off, height, width)
    if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in values):
        raise EngineError(f"A window needs integer offsets and sizes, not {values!r}.")
    if height < 1 or width < 1 or row_off < 0 or col_off < 0:
        raise EngineError(f"Bad window (row_off, col_off, height, width) = {values!r}.")
    if row_off + height > spec.height or col_off + width > spec.width:
        raise EngineError(
            f"Window (row_off, col_off, height, width) = {values!r} leaves the "
            f"{spec.width} x {spec.height} scene."
        )
    return (
        np.arange(row_off, row_off + height, dtype=np.int64),
        np.arange(col_off, col_off + width, dtype=np.int64),
    )


def _iceberg_mask(spec: SceneSpec, g: _Geometry, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Pixels covered by an iceberg (anywhere; the caller keeps those in open water)."""
    S = g.berg_cell
    cy = np.arange(int(rows[0]) // S - 1, int(rows[-1]) // S + 2)
    cx = np.arange(int(cols[0]) // S - 1, int(cols[-1]) // S + 2)
    h_pos = hashed.hash2(hashed.key(spec.seed, _CH_BERG_POS), cy, cx).ravel()
    ccx = (np.repeat(cx[None, :], len(cy), 0).ravel() + 0.15 + 0.7 * (h_pos & np.uint32(0xFFFF)) / 65536.0) * S
    ccy = (np.repeat(cy[:, None], len(cx), 1).ravel() + 0.15 + 0.7 * (h_pos >> np.uint32(16)) / 65536.0) * S
    depth = ccy - _front_rows(spec, g, ccx) - g.melange_width
    chance = 0.45 * np.exp(-np.maximum(depth, 0.0) / g.berg_scale)
    exists = (hashed.unit(hashed.hash2(hashed.key(spec.seed, _CH_BERG_EXIST), cy, cx)).ravel() < chance) & (depth > 0)
    mask = np.zeros((len(rows), len(cols)), dtype=bool)
    idx = np.flatnonzero(exists)
    if idx.size == 0:
        return mask
    h_shape = hashed.hash2(hashed.key(spec.seed, _CH_BERG_SHAPE), cy, cx).ravel()[idx]
    semi_a = S * (0.10 + 0.25 * (h_shape & np.uint32(0xFFFF)) / 65536.0)
    semi_b = semi_a * (0.55 + 0.45 * ((h_shape >> np.uint32(16)) & np.uint32(0xFF)) / 256.0)
    angle = np.pi * (h_shape >> np.uint32(24)) / 256.0
    r0, c0 = int(rows[0]), int(cols[0])
    nr, nc = len(rows), len(cols)
    for x0, y0, a, b, th in zip(ccx[idx], ccy[idx], semi_a, semi_b, angle, strict=False):
        i0, i1 = max(0, math.ceil(y0 - a) - r0), min(nr, math.floor(y0 + a) - r0 + 1)
        j0, j1 = max(0, math.ceil(x0 - a) - c0), min(nc, math.floor(x0 + a) - c0 + 1)
        if i0 >= i1 or j0 >= j1:
            continue
        dy = (np.arange(i0, i1) + r0 - y0)[:, None]
        dx = (np.arange(j0, j1) + c0 - x0)[None, :]
        ct, st = math.cos(th), math.sin(th)
        along = (dx * ct + dy * st) / a
        across = (dy * ct - dx * st) / b
        mask[i0:i1, j0:j1] |= along * along + across * across <= 1.0
    return mask


def surface_pixels(spec: SceneSpec, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    g = _geometry(spec)
    yr = rows.astype(np.float64)
    xc = cols.astype(np.float64)
    xl, xr = _walls(spec, g, yr)
    front = _front_rows(spec, g, xc)
    out = np.full((len(rows), len(cols)), 7, dtype=np.uint8)

    # Snow on rock: upper rows and away from the fjord, in patches. Only rock columns.
    rock_cols = (xc < xl.max()) | (xc > xr.min())
    if rock_cols.any():
        sub = cols[rock_cols]
        xs = xc[rock_cols][None, :]
        dist = np.maximum(xl[:, None] - xs, xs - xr[:, None]) * (1.0 / spec.width)
        score = hashed.fbm(hashed.key(spec.seed, _CH_SNOW_ROCK), rows, sub, g.rock_snow_cells)
        score += (0.8 * (0.4 - yr / spec.height))[:, None].astype(np.float32)
        score += (1.5 * dist).astype(np.float32)
        block = out[:, rock_cols]
        block[score > 0.05] = 6
        out[:, rock_cols] = block

    inside = (xc[None, :] > xl[:, None]) & (xc[None, :] < xr[:, None])
    ocean_side = yr[:, None] >= front[None, :]
    glacier = inside & ~ocean_side
    out[glacier] = 4
    # Snow on the upper glacier.
    top = int(np.searchsorted(yr, g.snow_line + 1.2 * g.snow_amp))
    if top > 0:
        noise = hashed.fbm(hashed.key(spec.seed, _CH_SNOW_ICE), rows[:top], cols, g.snow_cells)
        snow = (yr[:top, None] + g.snow_amp * noise) < g.snow_line
        snow &= glacier[:top]
        out[:top][snow] = 5

    ocean = inside & ocean_side
    out[ocean] = 1
    # Melange: a band of noisy width just below the front.
    lo = int(np.searchsorted(yr, front.min()))
    hi = int(np.searchsorted(yr, front.max() + 1.5 * g.melange_width + 1))
    if hi > lo:
        d = yr[lo:hi, None] - front[None, :]
        width = hashed.noise2d(hashed.key(spec.seed, _CH_MELANGE), rows[lo:hi], cols, g.melange_cell, np.float64)
        width *= 0.4 * g.melange_width
        width += g.melange_width
        mel = ocean[lo:hi] & (d < width)
        out[lo:hi][mel] = 3
    # Icebergs in open water.
    start = int(np.searchsorted(yr, front.min() + g.melange_width * 0.5))
    if start < len(rows):
        bergs = _iceberg_mask(spec, g, rows[start:], cols)
        bergs &= out[start:] == 1
        out[start:][bergs] = 2
    return out


def image_pixels(spec: SceneSpec, rows: np.ndarray, cols: np.ndarray, surface: np.ndarray) -> np.ndarray:
    g = _geometry(spec)
    s = spec.seed
    coarse = hashed.fbm(hashed.key(s, _CH_TEX_COARSE), rows, cols, g.texture_cells)
    fine = hashed.noise2d(hashed.key(s, _CH_TEX_FINE), rows, cols, g.fine_cell)
    if spec.kind == "optical":
        tex = np.take(_TEX_COARSE, surface)
        tex *= coarse
        fine *= np.take(_TEX_FINE, surface)
        tex += fine
        tex += np.float32(1.0)
        illum = hashed.noise2d(hashed.key(s, _CH_ILLUM), rows, cols, g.large_cell)
        illum *= np.float32(0.06)
        illum += np.float32(1.0)
        tex *= illum
        del fine, illum, coarse
        out = np.empty((4, len(rows), len(cols)), dtype=np.uint16)
        for b in range(4):
            refl = np.take(_OPTICAL_MEAN[b], surface)
            refl *= tex
            noise = hashed.pixel_noise(hashed.key(s, _CH_NOISE + b), rows, cols)
            noise *= np.float32(_OPTICAL_SIGMA[b])
            refl += noise
            refl *= np.float32(REFLECTANCE_SCALE)
            np.rint(refl, out=refl)
            np.clip(refl, 1.0, 65535.0, out=refl)
            out[b] = refl
        return out
    # SAR: texture, wind-roughened water, gamma speckle with `looks` looks.
    tex = np.take(_SAR_TEX_COARSE, surface)
    tex *= coarse
    fine *= np.take(_SAR_TEX_FINE, surface)
    tex += fine
    tex += np.float32(1.0)
    np.maximum(tex, np.float32(0.05), out=tex)
    del fine, coarse
    sigma = np.take(_SAR_MEAN, surface)
    sigma *= tex
    del tex
    wind = hashed.noise2d(hashed.key(s, _CH_WIND), rows, cols, g.large_cell)
    wind *= np.float32(0.7)
    np.exp(wind, out=wind)
    water = surface == 1
    sigma[water] *= wind[water]
    del wind, water
    # Gamma(looks, 1 / looks) = mean of `looks` unit exponentials, -log(u); each 32-bit
    # hash gives two 16-bit uniforms.
    speckle = np.zeros(sigma.shape, dtype=np.float32)
    for k in range((spec.looks + 1) // 2):
        h = hashed.hash2(hashed.key(s, _CH_SPECKLE + k), rows, cols)
        halves = [h & np.uint32(0xFFFF)]
        if 2 * k + 1 < spec.looks:
            halves.append(h >> np.uint32(16))
        for part in halves:
            u = part.astype(np.float32)
            u += np.float32(0.5)
            u *= np.float32(1.0 / 65536.0)
            np.log(u, out=u)
            speckle -= u
    speckle *= np.float32(1.0 / spec.looks)
    sigma *= speckle
    return sigma[None]


def surface_window(spec: SceneSpec, row_off: int, col_off: int, height: int, width: int) -> np.ndarray:
    """Surface classes (uint8, 1..7, see :data:`SURFACE_CLASSES`) of one window of the scene."""
    rows, cols = _check_window(spec, row_off, col_off, height, width)
    return surface_pixels(spec, rows, cols)


def image_window(spec: SceneSpec, row_off: int, col_off: int, height: int, width: int) -> np.ndarray:
    """Image of one window, (bands, height, width): uint16 optical (reflectance x 10000,
    blue green red nir) or float32 SAR (sigma0, linear)."""
    rows, cols = _check_window(spec, row_off, col_off, height, width)
    return image_pixels(spec, rows, cols, surface_pixels(spec, rows, cols))


def zones_from_surface(surface: np.ndarray) -> np.ndarray:
    """Zones (uint8: 1 ocean, 2 glacier, 3 rock, 0 no data) from surface classes."""
    return _ZONE_LUT[np.asarray(surface, dtype=np.uint8)]


def tile_majority(classes: np.ndarray, tile: int) -> np.ndarray:
    """Each ``tile x tile`` block set to its most common class (0, no data, is not counted;
    a block without data stays 0): the coarse map of a tile classifier, as SEE_ICE's phase 1
    writes it, on the pixel grid."""
    out = np.zeros_like(classes)
    for r in range(0, classes.shape[0], tile):
        for c in range(0, classes.shape[1], tile):
            block = classes[r: r + tile, c: c + tile]
            counts = np.bincount(block.ravel(), minlength=256)
            counts[0] = 0
            if counts.any():
                out[r: r + tile, c: c + tile] = counts.argmax()
    return out
