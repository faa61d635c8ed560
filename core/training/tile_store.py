"""The tiles training draws from: one or more datasets merged, split into training and
validation by source image (or group), and held as arrays batches are cut from."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..data.dataset import CELL_TOLERANCE, BandStats, Dataset, DatasetClass, TileRecord, load_dataset
from ..engine.protocol import EngineError, Reporter
from ..geo.raster import quiet_georeferencing
from ..segmentation.package import normalised
from .losses import IGNORE

#: Share of the machine's memory the preloaded tiles may take (per process).
PRELOAD_SHARE = 0.5


@dataclass
class TileCollection:
    """The tiles of several datasets with their classes and band statistics merged."""

    datasets: list[Dataset]
    tiles: list[tuple[Dataset, TileRecord]]
    classes: list[DatasetClass]
    bands: list[BandStats]
    tile_size: int
    cell_size: float | None
    dtype: str

    @property
    def class_values(self) -> list[int]:
        return [c.value for c in self.classes]

    def pixels(self, indices: Sequence[int]) -> np.ndarray:
        """Labelled pixels per class (in :attr:`classes` order) over some tiles."""
        where = {v: i for i, v in enumerate(self.class_values)}
        counts = np.zeros(len(self.classes), dtype=np.int64)
        for i in indices:
            for value, n in self.tiles[i][1].class_pixels.items():
                counts[where[value]] += n
        return counts


def open_datasets(paths: Sequence[str], reporter: Reporter) -> TileCollection:
    """Read and merge dataset folders; incompatible ones give a one-line EngineError."""
    if not paths:
        raise EngineError("DATASETS: give at least one tile dataset folder.")
    datasets = [load_dataset(p) for p in paths]
    first = datasets[0]
    classes: dict[int, DatasetClass] = {}
    bands = [BandStats(b.name) for b in first.bands]
    for ds in datasets:
        if not ds.tiles:
            raise EngineError(f"DATASETS: {ds.root} holds no tiles.")
        if len(ds.bands) != len(first.bands):
            raise EngineError(f"DATASETS: {ds.root} has {len(ds.bands)} band(s) but {first.root} has "
                              f"{len(first.bands)}; train on datasets with the same bands.")
        if ds.tile_size != first.tile_size:
            raise EngineError(f"DATASETS: {ds.root} has tiles of {ds.tile_size} px but {first.root} of "
                              f"{first.tile_size} px; export them at one TILE_SIZE.")
        other_cell = (ds.cell_size is not None and first.cell_size is not None
                      and abs(ds.cell_size / first.cell_size - 1) > CELL_TOLERANCE)
        if (ds.cell_size is None) != (first.cell_size is None) or other_cell:
            raise EngineError(f"DATASETS: {ds.root} has a cell size of {_cell(ds.cell_size)} but {first.root} "
                              f"{_cell(first.cell_size)}; export them at one CELL_SIZE.")
        if ds.dtype != first.dtype:
            reporter.warning(f"DATASETS: {ds.root} is {ds.dtype} but {first.root} is {first.dtype}.")
        for c in ds.classes:
            known = classes.get(c.value)
            if known is None:
                classes[c.value] = DatasetClass(c.value, c.name, c.color, c.role, c.pixels)
            elif known.name != c.name:
                raise EngineError(f"DATASETS: class {c.value} is '{c.name}' in {ds.root} but '{known.name}' in "
                                  f"another dataset; use one class numbering.")
            else:
                known.pixels += c.pixels
        for mine, theirs in zip(bands, ds.bands, strict=False):
            mine.merge(theirs)
    if len(classes) < 2:
        raise EngineError(f"DATASETS hold {len(classes)} class(es); a model needs at least two.")
    tiles = [(ds, t) for ds in datasets for t in ds.tiles]
    known_values = set(classes)
    for ds, t in tiles:
        if set(t.class_pixels) - known_values:
            raise EngineError(f"DATASETS: tile {t.label} in {ds.root} holds classes {sorted(t.class_pixels)} "
                              f"not listed in its dataset.json.")
    return TileCollection(datasets, tiles, sorted(classes.values(), key=lambda c: c.value), bands,
                          first.tile_size, first.cell_size, first.dtype)


def _cell(cell: float | None) -> str:
    return "none (pixel units)" if cell is None else f"{cell:g} m"


@dataclass
class Split:
    """Tile indices for training and validation, and which sources went where."""

    train: list[int]
    validation: list[int]
    train_sources: list[str]
    validation_sources: list[str]
    how: str
    validation_groups: list[str] = field(default_factory=list)


def split_tiles(col: TileCollection, fraction: float, groups: Sequence[str] | None, seed: int) -> Split:
    """Hold out whole source images (``fraction`` of the tiles, roughly) or whole groups.

    A source is identified by its name, so tiles of one image in several datasets stay
    on one side.
    """
    sources = [t.source for _, t in col.tiles]
    names = sorted(set(sources))
    wanted = [g for g in (groups or []) if str(g).strip()]
    if wanted:
        known = sorted({t.group for _, t in col.tiles})
        lowered = {g.lower(): g for g in known}
        unknown = [g for g in wanted if g.lower() not in lowered]
        if unknown:
            raise EngineError(f"VALIDATION_GROUPS: no tiles of group(s) {', '.join(unknown)}; the datasets' groups "
                              f"are {', '.join(known)}.")
        held = {lowered[g.lower()] for g in wanted}
        group_sources: dict[str, set[str]] = {}
        for _, t in col.tiles:
            group_sources.setdefault(t.source, set()).add(t.group)
        mixed = [s for s, gs in group_sources.items() if len(gs & held) and len(gs - held)]
        if mixed:
            raise EngineError(f"Source image {mixed[0]} has tiles in a held-out group and in another group; "
                              f"give each image one group.")
        val_sources = {s for s, gs in group_sources.items() if gs & held}
        how = f"held-out group(s): {', '.join(sorted(held))}"
        if len(val_sources) == len(names):
            raise EngineError("VALIDATION_GROUPS holds out every tile: leave at least one group for training.")
    elif fraction > 0:
        if len(names) < 2:
            raise EngineError(f"VALIDATION {fraction:g} leaves no validation tiles: the datasets hold tiles of one "
                              f"source image only ({names[0]}), and tiles of one image are never split. Export "
                              f"tiles of more images, or set VALIDATION to 0.")
        rng = np.random.default_rng(seed)
        order = [names[i] for i in rng.permutation(len(names))]
        per_source = {s: sources.count(s) for s in names}
        target = fraction * len(sources)
        val_sources, held_tiles = set(), 0
        for s in order[:-1]:  # the last always trains
            if held_tiles >= target:
                break
            val_sources.add(s)
            held_tiles += per_source[s]
        how = f"{len(val_sources)} of {len(names)} source images held out (VALIDATION {fraction:g})"
        held = set()
    else:
        val_sources, how, held = set(), "no validation (VALIDATION 0)", set()
    train = [i for i, s in enumerate(sources) if s not in val_sources]
    validation = [i for i, s in enumerate(sources) if s in val_sources]
    if (wanted or fraction > 0) and not validation:
        raise EngineError("No validation tiles: hold out more source images (VALIDATION) or other groups.")
    return Split(train, validation, sorted(set(names) - val_sources), sorted(val_sources), how, sorted(held))


def check_classes(col: TileCollection, split: Split) -> None:
    """Every class must have pixels in the training tiles; otherwise say where they are."""
    train = col.pixels(split.train)
    val = col.pixels(split.validation)
    missing = [(c, int(v)) for c, t, v in zip(col.classes, train, val, strict=False) if t == 0]
    if missing:
        where = "; ".join(f"'{c.name}' (value {c.value})" + (f" is only in the validation tiles ({v} px)" if v
                                                               else " is in no tile")
                          for c, v in missing)
        raise EngineError(f"Label class(es) missing from the training tiles: {where}. Export tiles that hold "
                          f"them, or hold out other images.")


class TileArrays:
    """Tiles of one side of the split, normalised into float32 batches on request.

    Held in memory in their own dtype when they fit (the usual case); otherwise read
    from their files batch by batch.
    """

    def __init__(self, col: TileCollection, indices: Sequence[int], preload: bool, reporter: Reporter,
                 progress: tuple[float, float] = (0.0, 0.0), normalisation: str = "dataset") -> None:
        self.col = col
        self.indices = list(indices)
        self.normalisation = normalisation  # one of package.NORMALISATIONS
        self.lut = np.full(256, IGNORE, dtype=np.uint8)
        for i, v in enumerate(col.class_values):
            self.lut[v] = i
        self.preloaded = preload
        self.images: np.ndarray | None = None
        self.labels: np.ndarray | None = None
        self.valid: np.ndarray | None = None
        if preload and self.indices:
            self._preload(reporter, progress)

    def __len__(self) -> int:
        return len(self.indices)

    def _read(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(image, class indices, valid) of the k-th tile, from its files."""
        import rasterio

        ds, t = self.col.tiles[self.indices[k]]
        size = self.col.tile_size
        try:
            with quiet_georeferencing():
                with rasterio.open(ds.root / t.image) as src:
                    image = src.read()
                    valid = np.all(src.read_masks() > 0, axis=0)
                with rasterio.open(ds.root / t.label) as src:
                    labels = src.read(1)
        except rasterio.errors.RasterioIOError as exc:
            raise EngineError(f"Cannot read tile {t.image} of {ds.root}: {exc}") from None
        if image.shape != (len(self.col.bands), size, size) or labels.shape != (size, size):
            raise EngineError(f"Tile {t.image} of {ds.root} is not {size} x {size} px with "
                              f"{len(self.col.bands)} band(s) as dataset.json says.")
        labels = self.lut[labels]
        labels[~valid] = IGNORE
        return image, labels, valid

    def _preload(self, reporter: Reporter, progress: tuple[float, float]) -> None:
        n, size = len(self.indices), self.col.tile_size
        self.images = np.empty((n, len(self.col.bands), size, size), dtype=np.dtype(self.col.dtype))
        self.labels = np.empty((n, size, size), dtype=np.uint8)
        valid = np.empty((n, size, size), dtype=bool)
        start, span = progress
        for k in range(n):
            if k % 16 == 0:
                reporter.check_cancelled()
            self.images[k], self.labels[k], valid[k] = self._read(k)
            if span:
                reporter.progress(start + span * (k + 1) / n)
        self.valid = None if valid.all() else valid

    def batch(self, ks: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Normalised images (B, C, T, T) float32 (NoData 0), class indices (B, T, T)
        int64 (unlabelled = IGNORE) and the valid mask (None when all valid)."""
        index = np.asarray(ks)
        if self.images is not None and self.labels is not None:
            images, labels = self.images[index], self.labels[index]
            valid = None if self.valid is None else self.valid[index]
        else:
            read = [self._read(int(k)) for k in index]
            images = np.stack([r[0] for r in read])
            labels = np.stack([r[1] for r in read])
            stacked = np.stack([r[2] for r in read])
            valid = None if stacked.all() else stacked
        x = normalised(images, None if valid is None else valid[:, None], self.col.bands, self.normalisation,
                       images.shape[-1])
        return x, labels.astype(np.int64), valid


def fits_in_memory(col: TileCollection, n_tiles: int, processes: int) -> bool:
    """Whether ``n_tiles`` tiles can be preloaded within this process's share of memory."""
    size = col.tile_size
    per_tile = size * size * (len(col.bands) * np.dtype(col.dtype).itemsize + 2)
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = 8 * 2**30
    return n_tiles * per_tile <= PRELOAD_SHARE * memory / max(1, processes)
