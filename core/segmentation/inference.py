"""Classify a raster with a model package: read tiles, predict, blend logits, write strips.

Three stages overlap: a reader thread reads and normalises batches of tiles, the
calling thread runs the network and blends logits into a buffer one row of tiles
high, and a writer thread turns finished rows into classes / probabilities and
writes them. Memory is bounded by one row of tiles, whatever the raster's size.
"""
from __future__ import annotations

import math
import os
import queue
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.features import geometry_mask
from rasterio.windows import Window
from rasterio.windows import from_bounds as window_from_bounds

from ..classes import write_class_legend
from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter
from ..geo.flow import AS_TRAINED, turns_between
from ..geo.raster import (
    BLOCK_ROWS,
    GTIFF_PROFILE,
    atomic_output,
    cell_size_m,
    check_free_space,
    extent_text,
    grid_transform,
    open_raster,
    quiet_georeferencing,
    valid_pixels,
    window_grid_transform,
)
from ..geo.tiling import Tile, blend_window, final_rows, row_bands, tile_grid
from ..geo.vector import in_qgis_pixels, polygons, read_vector
from .package import TILING_INDEPENDENT, ModelPackage, load_package, normalised, route_tags
from .runtimes import Runtime, cuda_available, pick_runtime, runtime_for

PROBABILITY_NODATA = -1.0
#: The largest inference tile side (model pixels) on each device, for a model whose normalisation does not
#: depend on the tiling (the networks are fully convolutional): few tiles, little computed twice.
MAX_TILE = {"cpu": 640, "cuda": 2048}
#: Inference tile sides are multiples of this (the networks' coarsest stride).
TILE_STEP = 32
#: The default PADDING (model pixels) of such a model (at most a quarter of its training tile): context enough
#: that no front breaks at a tile edge.
CONTEXT = 32


@dataclass(frozen=True)
class Plan:
    """How a raster is tiled: sizes in input pixels (``*_in``) and in model pixels."""

    region: Window  # the part of the input that is classified (output grid)
    tile: int  # model pixels per tile side
    tile_in: int  # input pixels per tile side
    overlap_in: int  # input pixels shared by neighbouring tiles
    batch_size: int
    device: str
    runtime: str  # one of runtimes.RUNTIMES
    tta: bool
    quarter_turns: bool  # TTA also over the transposed tiles (the model was trained with quarter turns)
    turns: int  # tiles are turned by this many quarter turns before the network, and back after
    bands: tuple[int, ...]  # input band numbers (1-based) read, in the model's order
    halo_in: int = 0  # input pixels read around each tile for NORMALISATION window's statistics
    mirror_beyond: bool = False  # a tile larger than the region is filled by mirroring it (else with NoData)

    @property
    def resampled(self) -> bool:
        return self.tile_in != self.tile


def pick_device(requested: str) -> str:
    """``auto`` -> cuda when available, else cpu; an unavailable cuda is an error."""
    if requested == "auto":
        return "cuda" if cuda_available() else "cpu"
    if requested == "cuda" and not cuda_available():
        raise EngineError("DEVICE is cuda but no CUDA GPU is available to the engine; use auto or cpu.")
    return requested


def read_mask_geometries(path: str, raster: str, reporter: Reporter) -> list[dict]:
    """Polygons of a GeoJSON or GeoPackage file (already in the raster's CRS; without CRS, in QGIS's
    coordinates of a raster without georeferencing, or mirrored into them with a warning)."""
    from rasterio.transform import array_bounds

    layer = read_vector(path, "MASK")
    with open_raster(raster) as src:
        if src.crs is None:
            layer = in_qgis_pixels(layer, array_bounds(src.height, src.width, grid_transform(src)), "MASK", reporter)
    return polygons(layer, "MASK")


def input_bands(count: int, requested: list[int] | None, pkg: ModelPackage) -> tuple[int, ...]:
    """The input band numbers to read (BANDS, else all of them), checked against the model."""
    names = ", ".join(b.name for b in pkg.bands)
    if requested:
        bands = tuple(int(b) for b in requested)
        bad = [b for b in bands if not 1 <= b <= count]
        if bad:
            raise EngineError(f"BANDS {', '.join(map(str, bad))} not in INPUT, which has bands 1 to {count}.")
        if len(bands) != len(pkg.bands):
            raise EngineError(
                f"BANDS names {len(bands)} band(s) but model '{pkg.name}' expects {len(pkg.bands)} ({names})."
            )
        return bands
    if count != len(pkg.bands):
        raise EngineError(
            f"INPUT has {count} band(s) but model '{pkg.name}' expects {len(pkg.bands)} ({names}); "
            f"choose {len(pkg.bands)} of them with BANDS."
        )
    return tuple(range(1, count + 1))


def check_imagery(path: str, count: int, bands_given: bool, pkg: ModelPackage, reporter: Reporter) -> None:
    """A model given imagery of the other kind (an optical scene to a SAR model, or the reverse):
    refused when the band counts differ too (nothing to classify), else a warning."""
    from ..geo.imagery import imagery_of
    from .shipped_models import for_imagery

    seen = imagery_of(path, count)
    if pkg.imagery is None or seen is None or seen[0] == pkg.imagery:
        return
    name = {"sar": "SAR", "optical": "optical"}
    with_article = {"sar": "a SAR", "optical": "an optical"}
    other = for_imagery(seen[0])
    advice = f"use {with_article[seen[0]]} model" + (f" (the shipped {other})" if other else "")
    message = (f"INPUT looks like {name[seen[0]]} imagery ({seen[1]}) but model '{pkg.name}' is "
               f"{with_article[pkg.imagery]} model")
    if count != len(pkg.bands) and not bands_given:
        raise EngineError(f"{message} of {len(pkg.bands)} band(s): {advice}.")
    reporter.warning(f"{message}: results may be poor; {advice}.")


def _region(src, extent: list[float] | None, mask: list[dict] | None) -> Window:
    """The input window to classify: the whole raster, cut to EXTENT and MASK's bounds."""
    full = Window(0, 0, src.width, src.height)
    bounds = []
    if extent:
        if len(extent) != 4 or extent[0] >= extent[2] or extent[1] >= extent[3]:
            raise EngineError("EXTENT must be xmin ymin xmax ymax with xmin < xmax and ymin < ymax.")
        bounds.append(extent)
    if mask:
        from rasterio.features import bounds as geometry_bounds

        boxes = np.array([geometry_bounds(g) for g in mask])
        bounds.append([boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()])
    region = full
    for b in bounds:
        f = window_from_bounds(*b, transform=grid_transform(src))
        c0, r0 = math.floor(f.col_off + 1e-6), math.floor(f.row_off + 1e-6)
        c1, r1 = math.ceil(f.col_off + f.width - 1e-6), math.ceil(f.row_off + f.height - 1e-6)
        w = Window(c0, r0, c1 - c0, r1 - r0)
        try:
            region = region.intersection(w)
        except rasterio.errors.WindowError:
            region = Window(0, 0, 0, 0)
        if region.width < 1 or region.height < 1:
            what = "EXTENT" if b is extent else "MASK"
            raise EngineError(f"{what} does not overlap INPUT, which covers "
                              f"{extent_text(grid_transform(src), src.height, src.width, src.crs)}.")
    return Window(int(region.col_off), int(region.row_off), int(region.width), int(region.height))


def inference_tile(shape: tuple[float, float], largest: int, overlap: int, smallest: int) -> int:
    """The side of the square tiles (model pixels, a multiple of :data:`TILE_STEP`, from ``smallest`` to
    ``largest``) that cover a region of ``shape`` (model pixels) with ``overlap`` between neighbours in
    the fewest tiles, each as small as that number allows (so little is computed twice or past the edge)."""
    largest = max(smallest, TILE_STEP, largest // TILE_STEP * TILE_STEP)
    sides = []
    for length in shape:
        n = 1 if length <= largest else math.ceil((length - overlap) / (largest - overlap))
        sides.append(math.ceil((length + (n - 1) * overlap) / n))
    side = math.ceil(max(sides) / TILE_STEP) * TILE_STEP
    return min(largest, max(smallest, side))


def make_plan(src, pkg: ModelPackage, job: dict, reporter: Reporter, mask: list[dict] | None) -> Plan:
    """Check the input against the model and decide tiles, cell size and device."""
    check_imagery(job["input"], src.count, bool(job.get("bands")), pkg, reporter)
    bands = input_bands(src.count, job.get("bands"), pkg)
    flow = job["flow"]
    if flow != AS_TRAINED and pkg.flow is None:
        raise EngineError(f"Model '{pkg.name}' does not record which way the glaciers of its training scenes "
                          f"flow: leave FLOW at {AS_TRAINED}.")
    if src.dtypes[0] != pkg.dtype:
        reporter.warning(
            f"INPUT is {src.dtypes[0]} but model '{pkg.name}' was trained on {pkg.dtype} "
            f"(values {pkg.value_range[0]:g} to {pkg.value_range[1]:g}); results may be poor."
        )
    batch_size = job["batch_size"]
    target = job["cell_size"] or pkg.cell_size
    cell, how = cell_size_m(src)
    if cell is None and job["pixel_size"]:
        cell, how = job["pixel_size"], "PIXEL_SIZE"
    scale = 1.0
    if cell is None:
        reporter.warning("INPUT has no CRS: working in pixel units, without cell-size matching (give PIXEL_SIZE "
                         "to match it).")
    elif target:
        scale = target / cell
        if abs(scale - 1) > 0.01:
            reporter.info(f"Resampling on the fly: INPUT {cell:.2f} m ({how}), model works at {target:.2f} m.")
        else:
            scale = 1.0
    region = _region(src, job.get("extent"), mask)
    device = pick_device(job["device"])
    independent = pkg.normalisation in TILING_INDEPENDENT
    padding = job["padding"]
    if padding is None:
        padding = min(CONTEXT, pkg.tile_size // 4) if independent else pkg.tile_size // 4
    if 2 * padding >= pkg.tile_size:
        raise EngineError(f"PADDING must be less than half the model's tile size ({pkg.tile_size // 2} px).")
    tile = pkg.tile_size
    if independent:
        tile = inference_tile((region.height / scale, region.width / scale), job["tile_size"] or MAX_TILE[device],
                              2 * padding, pkg.tile_size)
        batch_size = max(1, batch_size * pkg.tile_size**2 // tile**2)
    tile_in = max(1, round(tile * scale))
    overlap_in = round(2 * padding * scale)
    if tile_in < 16:
        raise EngineError(f"INPUT's cells are too coarse for this model ({tile_in} px per tile).")
    if overlap_in >= tile_in:
        overlap_in = tile_in - 1
    return Plan(
        region=region,
        tile=tile,
        tile_in=tile_in,
        overlap_in=overlap_in,
        batch_size=batch_size,
        bands=bands,
        halo_in=math.ceil(pkg.tile_size / 2 * scale) if pkg.normalisation == "window" else 0,
        mirror_beyond=independent,
        device=device,
        runtime=pick_runtime(job["runtime"], device),
        tta=bool(pkg.classify.get("tta", 0) if job["tta"] is None else job["tta"]),
        quarter_turns=pkg.trained_with_quarter_turns,
        turns=0 if flow == AS_TRAINED or pkg.flow is None else turns_between(flow, pkg.flow),
    )


# --- reading -------------------------------------------------------------------------


@dataclass
class Batch:
    tiles: list[Tile]
    pixels: np.ndarray  # (B, bands, tile, tile) float32, normalised, nodata = 0


def read_tile(src, pkg: ModelPackage, plan: Plan, t: Tile) -> np.ndarray:
    """One tile, normalised, at the model's cell size, filled to ``plan.tile`` (mirrored where
    ``plan.mirror_beyond``, else with NoData zeros); read with ``plan.halo_in`` pixels around it (within
    the raster) for NORMALISATION window's statistics."""
    col, row = plan.region.col_off + t.col, plan.region.row_off + t.row
    c0, r0 = max(0, col - plan.halo_in), max(0, row - plan.halo_in)
    c1, r1 = min(src.width, col + t.width + plan.halo_in), min(src.height, row + t.height + plan.halo_in)
    window = Window(c0, r0, c1 - c0, r1 - r0)
    factor = plan.tile / plan.tile_in
    h, w = max(1, round(t.height * factor)), max(1, round(t.width * factor))
    top, left = round((row - r0) * factor), round((col - c0) * factor)
    kw = {}
    if plan.resampled:
        kw = {"out_shape": (len(plan.bands), max(top + h, round((r1 - r0) * factor)),
                            max(left + w, round((c1 - c0) * factor))), "resampling": Resampling.bilinear}
    data = src.read(plan.bands, window=window, **kw).astype(np.float32)
    valid = valid_pixels(src, plan.bands, window, data, kw.get("out_shape"))
    data = normalised(data, valid, pkg.bands, pkg.normalisation, pkg.tile_size,
                      (slice(top, top + h), slice(left, left + w)))
    if (h, w) == (plan.tile, plan.tile):
        return data
    if plan.mirror_beyond:  # past the region's edge the network sees the region mirrored, not a NoData edge
        return np.pad(data, ((0, 0), (0, plan.tile - h), (0, plan.tile - w)), mode="symmetric")
    out = np.zeros((len(plan.bands), plan.tile, plan.tile), dtype=np.float32)
    out[:, :h, :w] = data
    return out


def batches(path: str, pkg: ModelPackage, plan: Plan, tiles: list[Tile]) -> Iterator[Batch]:
    """Batches of tiles in order, read from a dataset handle of this thread's own."""
    with rasterio.open(path) as src:
        for i in range(0, len(tiles), plan.batch_size):
            chunk = tiles[i : i + plan.batch_size]
            yield Batch(chunk, np.stack([read_tile(src, pkg, plan, t) for t in chunk]))


def in_background(items: Iterator, depth: int = 3) -> Iterator:
    """Run an iterator in a daemon thread, ``depth`` items ahead; errors re-raise here."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    end = object()
    stop = threading.Event()

    def work():
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(end)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            q.put(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is end:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


# --- prediction ----------------------------------------------------------------------


Forward = Callable[[np.ndarray], np.ndarray]


def predict_turned(forward: Forward, x: np.ndarray, turns: int, tta: bool, quarter_turns: bool = False) -> np.ndarray:
    """:func:`predict` on the tiles turned by ``turns`` quarter turns, its logits turned back."""
    if turns % 4 == 0:
        return predict(forward, x, tta, quarter_turns)
    y = predict(forward, np.rot90(x, turns, (2, 3)), tta, quarter_turns)
    return np.rot90(y, -turns, (2, 3))


def predict(forward: Forward, x: np.ndarray, tta: bool, quarter_turns: bool = False) -> np.ndarray:
    """Logits of a batch (``forward``: a runtime's); with ``tta`` the mean over horizontal / vertical flips,
    and with ``quarter_turns`` over those of the transposed tiles too (the 8 symmetries of a square tile)."""
    if not tta:
        return forward(x)
    views = (False, True) if quarter_turns else (False,)
    sums = []
    for transposed in views:
        xt = x.swapaxes(2, 3) if transposed else x
        y = forward(xt)
        for dims in ((3,), (2,), (2, 3)):
            y = y + np.flip(forward(np.flip(xt, dims)), dims)
        sums.append(y.swapaxes(2, 3) if transposed else y)
    return sum(sums[1:], sums[0]) / (4 * len(views))


def _bilinear_weights(size_in: int, size_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source indices (low, high) and weights of high, for resizing one axis as torch's bilinear
    interpolation with ``align_corners=False`` does."""
    src = (np.arange(size_out, dtype=np.float64) + 0.5) * (size_in / size_out) - 0.5
    src = np.clip(src, 0, None)
    low = np.minimum(np.floor(src).astype(np.int64), size_in - 1)
    high = np.minimum(low + 1, size_in - 1)
    return low, high, (src - low).astype(np.float32)


def resized(y: np.ndarray, size: int) -> np.ndarray:
    """(B, C, h, w) logits resized to (B, C, size, size), bilinear (torch's, ``align_corners=False``)."""
    r0, r1, wr = _bilinear_weights(y.shape[2], size)
    c0, c1, wc = _bilinear_weights(y.shape[3], size)
    rows = y[:, :, r0] * (1 - wr)[:, None] + y[:, :, r1] * wr[:, None]
    return (rows[:, :, :, c0] * (1 - wc) + rows[:, :, :, c1] * wc).astype(np.float32)


def logits_for(net: Runtime, batch: Batch, plan: Plan) -> np.ndarray:
    """Logits (B, C, tile_in, tile_in) float32 on the input grid."""
    y = predict_turned(net.forward, batch.pixels, plan.turns, plan.tta, plan.quarter_turns)
    if plan.resampled:
        y = resized(y, plan.tile_in)
    return np.ascontiguousarray(y, dtype=np.float32)


# --- writing -------------------------------------------------------------------------


class StripWriter:
    """Turns finished rows of blended logits into classes (and probabilities) and writes
    them in whole block rows, on a thread of its own."""

    def __init__(self, src_path: str, pkg: ModelPackage, plan: Plan, outputs: dict, mask: list[dict] | None):
        self.src_path, self.pkg, self.plan, self.outputs, self.mask = src_path, pkg, plan, outputs, mask
        self.values = np.array([c.value for c in pkg.classes], dtype=np.uint8)
        self.pending: list[tuple[int, np.ndarray]] = []
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, daemon=True)

    def start(self) -> "StripWriter":
        self.thread.start()
        return self

    def put(self, row: int, logits: np.ndarray) -> None:
        """Queue rows ``row .. row + logits.shape[1]`` of the region (C, h, width)."""
        if self.error:
            raise self.error
        self.queue.put((row, logits))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error:
            raise self.error

    def _work(self) -> None:
        try:
            with ExitStack() as stack:
                src = stack.enter_context(rasterio.open(self.src_path))
                dsts = {k: stack.enter_context(rasterio.open(p, "r+")) for k, p in self.outputs.items()}
                buffered, start = [], 0
                while (item := self.queue.get()) is not None:
                    row, logits = item
                    buffered.append(logits)
                    rows = sum(b.shape[1] for b in buffered)
                    if rows >= BLOCK_ROWS:
                        keep = rows - rows % BLOCK_ROWS
                        joined = np.concatenate(buffered, axis=1)
                        self._write(src, dsts, start, joined[:, :keep])
                        buffered, start = [joined[:, keep:]], start + keep
                if buffered and sum(b.shape[1] for b in buffered):
                    self._write(src, dsts, start, np.concatenate(buffered, axis=1))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            self.error = exc
            while self.queue.get() is not None:  # drain so the producer never blocks
                pass

    def _write(self, src, dsts: dict, row: int, logits: np.ndarray) -> None:
        r = self.plan.region
        window = Window(r.col_off, r.row_off + row, r.width, logits.shape[1])
        valid = valid_pixels(src, self.plan.bands, window)
        if self.mask:
            valid &= geometry_mask(
                self.mask, out_shape=valid.shape, transform=window_grid_transform(src, window), invert=True
            )
        out_window = Window(0, row, r.width, logits.shape[1])
        classes = self.values[np.argmax(logits, axis=0)]
        classes[~valid] = 0
        dsts["output"].write(classes, 1, window=out_window)
        if "output_probabilities" in dsts:
            e = np.exp(logits - logits.max(axis=0, keepdims=True))
            probs = e / e.sum(axis=0, keepdims=True)
            probs[:, ~valid] = PROBABILITY_NODATA
            dsts["output_probabilities"].write(probs.astype(np.float32), window=out_window)


def scene_tags(path: str, date: str | None = None) -> dict[str, str]:
    """What an output raster keeps of the scene it came from: its file name (``source``) and its acquisition
    date (``acquisition_date``: ``date``, else the one its name says, if any), so that fronts extracted from a
    class raster named anything are still dated and named after their scene."""
    from ..geo.dates import acquisition_date, parse_date

    day = parse_date(date) if date else acquisition_date(path)
    if date and day is None:
        raise EngineError(f"DATE {date!r} is not a date (YYYY-MM-DD).")
    return {"source": os.path.basename(path), **({"acquisition_date": day.isoformat()} if day else {})}


def create_outputs(src, pkg: ModelPackage, plan: Plan, paths: dict, tags: dict[str, str]) -> None:
    """Create the (empty) output rasters on the region's grid, with colours, names and the scene's ``tags``."""
    r = plan.region
    base = {
        **GTIFF_PROFILE,
        "width": r.width,
        "height": r.height,
        "crs": src.crs,
        "transform": window_grid_transform(src, r),
    }
    with rasterio.open(paths["output"], "w", **base, count=1, dtype="uint8", nodata=0) as dst:
        write_class_legend(dst, {c.value: (c.name, c.rgb) for c in pkg.classes}, model=pkg.name, **route_tags(pkg),
                           **tags)
    if "output_probabilities" in paths:
        with rasterio.open(
            paths["output_probabilities"], "w", **base, count=len(pkg.classes), dtype="float32",
            nodata=PROBABILITY_NODATA, predictor=3,
        ) as dst:
            for i, c in enumerate(pkg.classes, start=1):
                dst.set_band_description(i, f"p({c.name})")
            dst.update_tags(model=pkg.name, **tags)


# --- the whole job -------------------------------------------------------------------


def classify_raster(src_path: str, pkg: ModelPackage, net, plan: Plan, paths: dict,
                    reporter: Reporter, mask: list[dict] | None = None) -> int:
    """Classify ``plan.region`` of a raster into the (already created) outputs; returns tiles done."""
    r = plan.region
    tiles = tile_grid(r.height, r.width, plan.tile_in, plan.overlap_in)
    rows_of_tiles = row_bands(tiles)
    spans = final_rows(rows_of_tiles, r.height)
    n_classes = len(pkg.classes)
    band_h = min(plan.tile_in, r.height)
    acc = np.zeros((n_classes, band_h, r.width), dtype=np.float32)
    weight = np.zeros((band_h, r.width), dtype=np.float32)
    windows: dict[tuple, np.ndarray] = {}
    writer = StripWriter(src_path, pkg, plan, paths, mask).start()
    done = 0
    try:
        stream = in_background(batches(src_path, pkg, plan, tiles))
        band_index, top = 0, rows_of_tiles[0][0]
        for batch in stream:
            reporter.check_cancelled()
            logits = logits_for(net, batch, plan)
            for t, y in zip(batch.tiles, logits, strict=False):
                while t.row != rows_of_tiles[band_index][0]:  # next row of tiles: flush
                    top = _flush(writer, acc, weight, spans[band_index], top, rows_of_tiles[band_index + 1][0])
                    band_index += 1
                key = (t.height, t.width, t.row > 0, t.col > 0,
                       t.row + t.height < r.height, t.col + t.width < r.width)
                if key not in windows:
                    windows[key] = blend_window(t, r.height, r.width, plan.overlap_in)
                w = windows[key]
                rows = slice(t.row - top, t.row - top + t.height)
                acc[:, rows, t.cols] += y[:, : t.height, : t.width] * w
                weight[rows, t.cols] += w
            done += len(batch.tiles)
            reporter.progress(100.0 * done / len(tiles))
        _flush(writer, acc, weight, spans[band_index], top, None)
    finally:
        writer.close()
    return done


def _flush(writer: StripWriter, acc: np.ndarray, weight: np.ndarray, span: tuple[int, int],
           top: int, next_top: int | None) -> int:
    """Hand the now final rows ``span`` to the writer; shift the buffer down to ``next_top``."""
    start, stop = span
    writer.put(start, acc[:, start - top : stop - top] / weight[start - top : stop - top])
    if next_top is None:
        return top
    shift = next_top - top
    acc[:, :-shift] = acc[:, shift:].copy()
    weight[:-shift] = weight[shift:].copy()
    acc[:, -shift:] = 0
    weight[-shift:] = 0
    return next_top


@checked_as("classify")
def classify_job(job: dict, reporter: Reporter) -> dict:
    """The ``classify`` command: validate everything, then classify into atomic outputs (rasterio's
    warnings about a raster without CRS silenced: the job says so itself, in one line)."""
    with quiet_georeferencing():
        return _classified(job, reporter)


def _classified(job: dict, reporter: Reporter) -> dict:
    pkg = load_package(job["model"] or job["shipped_model"])
    scene_tags(job["input"], job["date"])  # a DATE that is no date: refused before any work
    mask = read_mask_geometries(job["mask"], job["input"], reporter) if job.get("mask") else None
    with open_raster(job["input"]) as src:
        plan = make_plan(src, pkg, job, reporter, mask)
    reporter.info(
        f"Model '{pkg.name}' ({pkg.architecture}, {len(pkg.classes)} classes) on {plan.device}; "
        f"{plan.region.width} x {plan.region.height} px, tiles of {plan.tile_in} px "
        f"with {plan.overlap_in} px overlap, batch {plan.batch_size}, {plan.runtime}, TTA {'on' if plan.tta else 'off'}"
        + (" (the model's recorded setting)." if job["tta"] is None and "tta" in pkg.classify else ".")
    )
    net = runtime_for(pkg, plan.device, plan.runtime)
    wanted = {"output": job["output"]}
    if job.get("output_probabilities"):
        wanted["output_probabilities"] = job["output_probabilities"]
    pixels = plan.region.width * plan.region.height
    check_free_space(os.path.dirname(os.path.abspath(job["output"])),
                     pixels * (1 + (4 * len(pkg.classes) if "output_probabilities" in wanted else 0)),
                     "OUTPUT and OUTPUT_PROBABILITIES" if "output_probabilities" in wanted else "OUTPUT")
    with ExitStack() as stack:
        paths = {k: stack.enter_context(atomic_output(p)) for k, p in wanted.items()}
        with rasterio.open(job["input"]) as src:
            create_outputs(src, pkg, plan, paths, scene_tags(job["input"], job["date"]))
        tiles = classify_raster(job["input"], pkg, net, plan, paths, reporter, mask)
    return {
        "output": str(job["output"]),
        "output_probabilities": wanted.get("output_probabilities"),
        "device": plan.device,
        "runtime": plan.runtime,
        "tiles": tiles,
        "classes": [{"value": c.value, "name": c.name} for c in pkg.classes],
        "region": [plan.region.col_off, plan.region.row_off, plan.region.width, plan.region.height],
    }
