"""Seeded, position-hashed noise for the synthetic scenes: every value is a pure function of a seed,
a channel and a pixel position (so any window of a scene can be made on its own)."""
from __future__ import annotations

import math

import numpy as np

_M32 = 0xFFFFFFFF
_K_ROW = np.uint32(0x27D4EB2F)
_K_COL = np.uint32(0x165667B1)

#: The channel of the scalar scene parameters (:func:`param`); the scenes' fields use channels below it.
_CH_PARAM = 1 << 16


def _fmix32_int(h: int) -> int:
    """MurmurHash3's 32-bit finaliser on a Python int."""
    h &= _M32
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    return h


def key(seed: int, channel: int) -> int:
    """A 32-bit key for one random field of one seed."""
    h = _fmix32_int((seed & _M32) ^ 0x9E3779B9)
    h = _fmix32_int(h ^ ((seed >> 32) & _M32) * 0x85EBCA6B)
    return _fmix32_int(h + channel * 0xC2B2AE35)


def param(seed: int, i: int) -> float:
    """The i-th scalar scene parameter of a seed, uniform in [0, 1)."""
    return key(seed, _CH_PARAM + i) / 2.0**32


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, in place on a uint32 array."""
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def _u32(a: np.ndarray) -> np.ndarray:
    return (np.asarray(a, dtype=np.int64) & _M32).astype(np.uint32)


def hash2(key: int, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """uint32 hash of (key, y, x) on the grid ys x xs (1-D integer arrays)."""
    a = _fmix32(_u32(ys) * _K_ROW ^ np.uint32(key))
    b = _u32(xs) * _K_COL
    return _fmix32(a[:, None] + b[None, :])


def _hash1(key: int, xs: np.ndarray) -> np.ndarray:
    """uint32 hash of (key, x) for a 1-D integer array."""
    return _fmix32(_fmix32(_u32(xs) * _K_COL ^ np.uint32(key)) + np.uint32(key))


def unit(h: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Uniform in [0, 1) from the top 24 bits of a uint32 hash."""
    return (h >> np.uint32(8)).astype(dtype) * dtype(1.0 / (1 << 24))


def _smooth(t: np.ndarray) -> np.ndarray:
    return t * t * (3.0 - 2.0 * t)


def noise1d(key: int, x: np.ndarray, cell: float) -> np.ndarray:
    """Smooth 1-D value noise in [-1, 1] at float positions x, lattice spacing cell."""
    s = np.asarray(x, dtype=np.float64) / cell
    i = np.floor(s)
    t = _smooth(s - i)
    i = i.astype(np.int64)
    v0 = unit(_hash1(key, i)) * 2.0 - 1.0
    v1 = unit(_hash1(key, i + 1)) * 2.0 - 1.0
    return v0 + (v1 - v0) * t


def _axis(coords: np.ndarray, cell: int, dtype) -> tuple[np.ndarray, np.ndarray, int]:
    """Lattice index (relative to the first), smooth weight and first lattice index."""
    i = coords // cell
    t = ((coords - i * cell).astype(dtype) + dtype(0.5)) * dtype(1.0 / cell)
    i0 = int(i[0])
    return i - i0, _smooth(t), i0


def noise2d(key: int, rows: np.ndarray, cols: np.ndarray, cell: int, dtype=np.float32) -> np.ndarray:
    """Smooth 2-D value noise in [-1, 1] on pixel centres, lattice spacing ``cell`` px.

    ``rows`` and ``cols`` are increasing integer pixel indices (not necessarily
    contiguous). Values depend only on (key, row, col, cell), never on the window.
    """
    cell = max(1, int(cell))
    jy, sy, y0 = _axis(rows, cell, dtype)
    jx, sx, x0 = _axis(cols, cell, dtype)
    lat = unit(hash2(key, np.arange(y0, y0 + int(jy[-1]) + 2), np.arange(x0, x0 + int(jx[-1]) + 2)), dtype)
    lat = lat * dtype(2.0) - dtype(1.0)
    a = lat[:, jx]
    b = lat[:, jx + 1]
    b -= a
    b *= sx
    a += b  # (lattice rows, len(cols))
    out = a[jy]
    d = a[jy + 1]
    d -= out
    d *= sy[:, None]
    out += d
    return out


def fbm(key: int, rows: np.ndarray, cols: np.ndarray, cells: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    """A few octaves of value noise (weights halving), scaled to about [-1, 1]."""
    total = None
    weight, norm = 1.0, 0.0
    for octave, cell in enumerate(cells):
        n = noise2d(_fmix32_int(key + octave * 0x9E3779B9), rows, cols, cell, dtype)
        if total is None:
            total = n
        else:
            n *= dtype(weight)
            total += n
        norm += weight
        weight *= 0.5
    total *= dtype(1.0 / norm)
    return total


def pixel_noise(key: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per-pixel noise, zero mean, unit variance (triangular), float32."""
    h = hash2(key, rows, cols)
    n = (h & np.uint32(0xFFFF)).astype(np.float32)
    n += (h >> np.uint32(16)).astype(np.float32)
    n *= np.float32(math.sqrt(6.0) / 65536.0)
    n -= np.float32(math.sqrt(6.0))
    return n
