"""Export training tiles: a raster and its labels cut into image / label chips.

Tiles of ``tile_size`` px (at the output cell size) start every ``stride`` px; the last
row and column are shifted back to end at the raster's edge, so the tiles cover the
whole raster. A raster smaller than a tile along a side gives tiles padded with NoData
(unlabelled, ignored in training), as Classify Pixels pads such rasters. With a
``cell_size`` other than the native one, windows are resampled on the fly (bilinear for
the image, nearest for labels).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter
from ..geo.raster import cell_size_m, open_raster, quiet_georeferencing, window_grid_transform
from ..geo.tiling import tile_starts
from .dataset import DatasetWriter, default_group, summary
from .labels import open_labels

#: Tile sides must be a multiple of this (the networks halve tiles five times).
TILE_MULTIPLE = 32


@dataclass(frozen=True)
class TileOptions:
    """Tile size, stride (output pixels) and the fraction of labelled pixels a tile needs."""

    tile_size: int
    stride: int
    min_labeled: float

    @classmethod
    def from_job(cls, job: dict) -> "TileOptions":
        tile, min_labeled = job["tile_size"], job["min_labeled"]
        stride = job["stride"] or tile // 2  # 0: half a tile
        if tile < TILE_MULTIPLE or tile % TILE_MULTIPLE:
            raise EngineError(f"TILE_SIZE must be a multiple of {TILE_MULTIPLE} px (the networks halve tiles five "
                              f"times), not {tile}.")
        if not 1 <= stride <= tile:
            raise EngineError(f"STRIDE must be between 1 and TILE_SIZE ({tile}) px, not {stride}.")
        return cls(tile, stride, min_labeled)


@dataclass(frozen=True)
class TileWindow:
    """A tile's window in source pixels (clipped to the raster) and its size in chip pixels."""

    row: int
    col: int
    height: int
    width: int
    out_height: int
    out_width: int


def plan_windows(height: int, width: int, opts: TileOptions, scale: float) -> list[TileWindow]:
    """Tile windows over a raster; ``scale`` = source pixels per chip pixel."""
    tile_in = max(1, round(opts.tile_size * scale))
    stride_in = max(1, round(opts.stride * scale))
    overlap = min(tile_in - 1, tile_in - stride_in)
    windows = []
    for r in tile_starts(height, tile_in, overlap):
        for c in tile_starts(width, tile_in, overlap):
            h, w = min(tile_in, height - r), min(tile_in, width - c)
            windows.append(TileWindow(r, c, h, w, min(opts.tile_size, max(1, round(h / scale))),
                                  min(opts.tile_size, max(1, round(w / scale)))))
    return windows


def padding_note(label: str, height: int, width: int, opts: TileOptions, scale: float) -> str | None:
    """The warning for a raster smaller than a tile, or None."""
    sides = [name for name, n in (("height", height), ("width", width)) if n < round(opts.tile_size * scale)]
    if not sides:
        return None
    return (f"{label} ({width} x {height} px) is smaller than TILE_SIZE {opts.tile_size} px along its "
            f"{' and '.join(sides)}: its tiles are padded with NoData, which training ignores.")


def pad_to(tile: int, image: np.ndarray, valid: np.ndarray, labels: np.ndarray):
    """Pad a chip's arrays at the bottom / right to ``tile x tile`` (NoData, unlabelled)."""
    h, w = valid.shape
    if (h, w) == (tile, tile):
        return image, valid, labels
    img = np.zeros((image.shape[0], tile, tile), dtype=image.dtype)
    img[:, :h, :w] = image
    ok = np.zeros((tile, tile), dtype=bool)
    ok[:h, :w] = valid
    lab = np.zeros((tile, tile), dtype=np.uint8)
    lab[:h, :w] = labels
    return img, ok, lab


def _scale_of(src, job: dict, reporter: Reporter) -> tuple[float, float | None]:
    """(source pixels per chip pixel, output cell size in metres or None)."""
    wanted = job["cell_size"]
    native, how = cell_size_m(src)
    if native is None:
        if wanted:
            raise EngineError("INPUT has no CRS (pixel units): CELL_SIZE must be 0.")
        reporter.warning("INPUT has no CRS: tiles are in pixel units, without a cell size.")
        return 1.0, None
    if not wanted or abs(wanted / native - 1) <= 0.01:
        return 1.0, native
    reporter.info(f"Resampling INPUT from {native:.2f} m ({how}) to {wanted:.2f} m per cell.")
    return wanted / native, wanted


def read_chip(src, w: TileWindow, labels, tile: int):
    """(image, valid, labels, transform) of one tile window, resampled and padded to ``tile``."""
    from rasterio.enums import Resampling
    from rasterio.windows import Window

    from ..geo.raster import valid_pixels

    window = Window(w.col, w.row, w.width, w.height)
    out_shape = (w.out_height, w.out_width)
    resampled = out_shape != (w.height, w.width)
    bands = list(range(1, src.count + 1))
    shape = (src.count, *out_shape) if resampled else None
    image = src.read(window=window, **({"out_shape": shape, "resampling": Resampling.bilinear} if resampled else {}))
    valid = valid_pixels(src, bands, window, image, shape)
    if np.issubdtype(image.dtype, np.floating):
        image = np.where(valid, image, image.dtype.type(0))  # NaN never reaches a tile or its statistics
    transform = window_grid_transform(src, window) * Affine.scale(w.width / w.out_width, w.height / w.out_height)
    chip = labels.chip(window, out_shape, transform)
    chip[~valid] = 0
    return (*pad_to(tile, image, valid, chip), transform)


def labelled_enough(valid: np.ndarray, chip: np.ndarray, min_labeled: float) -> bool:
    """Whether a tile has data and at least ``min_labeled`` of its pixels labelled."""
    return bool(valid.any()) and float((chip > 0).mean()) >= max(min_labeled, 1e-9)


@checked_as("export_tiles")
def export_tiles_job(job: dict, reporter: Reporter) -> dict:
    """The ``export_tiles`` command: INPUT + LABELS -> chips appended to the OUTPUT folder."""
    opts = TileOptions.from_job(job)
    input_path, labels_path = str(job["input"]), str(job["labels"])
    if not os.path.exists(labels_path):
        raise EngineError(f"LABELS {labels_path} does not exist.")
    source = job.get("source") or Path(input_path).stem
    group = job.get("group") or default_group(source)
    with quiet_georeferencing():
        with open_raster(input_path) as src:
            scale, cell = _scale_of(src, job, reporter)
            note = padding_note("INPUT", src.height, src.width, opts, scale)
            if note:
                reporter.warning(note)
            labels = open_labels(labels_path, src, job.get("class_field"), job["line_width"])
            if labels.regridded:
                reporter.warning(labels.regridded + ".")
            try:
                names = [d or f"band {i}" for i, d in enumerate(src.descriptions, start=1)]
                crs = src.crs.to_string() if src.crs else None
                with DatasetWriter(job["output"], opts.tile_size, cell, names, src.dtypes[0], crs,
                                   reporter) as writer:
                    recorded = job.get("labels_source") or os.path.abspath(labels_path)
                    name = writer.add_source(source, os.path.abspath(input_path), recorded, labels.kind, group)
                    kept, skipped = _write_tiles(src, labels, writer, opts, scale, name, group, reporter)
                dataset = writer.dataset
            finally:
                labels.close()
    reporter.info(f"Wrote {kept} tile(s) of {name} to {job['output']}; {skipped} skipped (too little label or "
                  f"no data). The dataset now holds {len(dataset.tiles)} tile(s).")
    return {"output": os.path.abspath(job["output"]), "tiles_written": kept, "tiles_skipped": skipped,
            "source": name, "group": group, "dataset": summary(dataset)}


def _write_tiles(src, labels, writer: DatasetWriter, opts: TileOptions, scale: float, source: str, group: str,
                 reporter: Reporter) -> tuple[int, int]:
    """Cut and write every tile with enough label; returns (written, skipped)."""
    windows = plan_windows(src.height, src.width, opts, scale)
    reporter.info(f"{len(windows)} tile(s) of {opts.tile_size} px over {src.width} x {src.height} px, "
                  f"labels from {labels.kind}.")
    declared = labels.classes(()) if labels.kind != "raster" else []
    for c in declared:
        writer.add_class(c.value, c.name, c.color, c.role)
    kept, seen = 0, set[int]()
    for i, w in enumerate(windows):
        reporter.check_cancelled()
        image, valid, chip, transform = read_chip(src, w, labels, opts.tile_size)
        if labelled_enough(valid, chip, opts.min_labeled):
            if labels.kind == "raster":  # classes as they turn up
                new = set(np.unique(chip[chip > 0]).tolist()) - seen
                for c in labels.classes(new):
                    writer.add_class(c.value, c.name, c.color, c.role)
                seen |= new
            writer.write_tile(image, valid, chip, transform, src.crs, source, group, w.row, w.col)
            kept += 1
        reporter.progress(100.0 * (i + 1) / len(windows))
    if not kept:
        raise EngineError(f"No tile has at least MIN_LABELED = {opts.min_labeled:g} of its pixels labelled "
                          f"({len(windows)} tried): check that LABELS overlaps INPUT, or lower MIN_LABELED.")
    missing = [c.name for c in declared if c.value not in writer.class_pixels]
    if missing:
        reporter.warning(f"LABELS class(es) {', '.join(missing)} have no pixels in the exported tiles "
                         f"(outside INPUT or in skipped tiles).")
    return kept, len(windows) - kept
