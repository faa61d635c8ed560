"""Pure tile geometry: where tiles go, how overlapping tiles are blended.

Tiles are laid on a raster of ``height x width`` pixels with ``tile`` pixels per side
and ``overlap`` pixels shared by neighbours (``2 * padding``). Blending uses a
weight window that ramps smoothly (sine squared) across each shared strip, so
neighbouring weights sum to one there and no seam appears; sides on the raster's
edge are not ramped, so every pixel gets a positive weight.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tile:
    """A tile's window in raster pixels (may be smaller than the tile size at small rasters)."""

    row: int
    col: int
    height: int
    width: int

    @property
    def rows(self) -> slice:
        return slice(self.row, self.row + self.height)

    @property
    def cols(self) -> slice:
        return slice(self.col, self.col + self.width)


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets of tiles along one axis; the last tile is shifted back to end at ``length``."""
    if length <= 0 or tile <= 0:
        raise ValueError("length and tile must be positive")
    if not 0 <= overlap < tile:
        raise ValueError("overlap must be in [0, tile)")
    if length <= tile:
        return [0]
    stride = tile - overlap
    starts = list(range(0, length - tile, stride))
    starts.append(length - tile)
    return starts


def tile_grid(height: int, width: int, tile: int, overlap: int) -> list[Tile]:
    """All tiles covering a ``height x width`` raster, row by row."""
    rows = tile_starts(height, tile, overlap)
    cols = tile_starts(width, tile, overlap)
    return [Tile(r, c, min(tile, height), min(tile, width)) for r in rows for c in cols]


def edge_ramp(length: int, ramp: int, ramp_start: bool, ramp_end: bool) -> np.ndarray:
    """1-D weights: sine-squared rises over ``ramp`` pixels at the ramped ends, 1 elsewhere."""
    w = np.ones(length, dtype=np.float32)
    ramp = min(ramp, length)
    if ramp > 0:
        rise = np.sin(0.5 * np.pi * (np.arange(ramp) + 0.5) / ramp) ** 2
        if ramp_start:
            w[:ramp] = np.minimum(w[:ramp], rise)
        if ramp_end:
            w[length - ramp:] = np.minimum(w[length - ramp:], rise[::-1])
    return w


def blend_window(tile: Tile, height: int, width: int, overlap: int) -> np.ndarray:
    """2-D blending weights (float32, > 0) for ``tile`` inside a ``height x width`` raster."""
    wy = edge_ramp(tile.height, overlap, tile.row > 0, tile.row + tile.height < height)
    wx = edge_ramp(tile.width, overlap, tile.col > 0, tile.col + tile.width < width)
    return np.outer(wy, wx)


def row_bands(tiles: list[Tile]) -> list[tuple[int, list[Tile]]]:
    """Group tiles into rows of tiles: ``[(row_start, tiles_in_that_row), ...]`` in order."""
    bands: dict[int, list[Tile]] = {}
    for t in tiles:
        bands.setdefault(t.row, []).append(t)
    return sorted(bands.items())


def final_rows(bands: list[tuple[int, list[Tile]]], height: int) -> list[tuple[int, int]]:
    """For each row of tiles, the raster rows ``[start, stop)`` complete once it is blended.

    Rows above the next row of tiles are touched by no later tile; the last row of tiles
    completes the raster. The spans partition ``[0, height)``.
    """
    starts = [r for r, _ in bands]
    spans = []
    done = 0
    for i, _ in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else height
        spans.append((done, stop))
        done = stop
    return spans
