"""Tile datasets: a folder of image and label chips described by ``dataset.json``.

::

    <folder>/dataset.json      what the chips are (see :class:`Dataset`)
    <folder>/images/<name>.tif image chips: the source's bands and dtype, NoData as a mask
    <folder>/labels/<name>.tif uint8 class chips: 0 = unlabelled, classes from 1

Several exports into one folder append to it. Band statistics are kept as sums, sums of
squares and counts, so appending keeps the mean and standard deviation exact. Exports
write their chips first and ``dataset.json`` last (atomically); a failed or cancelled
export removes the chips it wrote, so the folder is always what ``dataset.json`` says.
"""
from __future__ import annotations

import datetime
import json
import math
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..classes import GREY, hex_rgb, role_of, write_class_legend
from ..engine.protocol import PARTIAL_OUTPUTS, EngineError, Reporter
from ..geo.raster import atomic_output
from ..geo.scene_names import parse_scene_name
from ..segmentation.package import ROLES

DATASET_FILE = "dataset.json"
FORMAT = "glacier-terminus-tiles"
VERSION = 1
IMAGES = "images"
LABELS = "labels"
#: Cell sizes closer than this (relative) count as the same.
CELL_TOLERANCE = 0.01
#: Colours for classes that bring none of their own.
PALETTE = ("#1f4e9c", "#dceefa", "#7a5c3c", "#e6194b", "#3cb44b", "#ffe119", "#911eb4", "#46f0f0",
           "#f032e6", "#bcf60c", "#fabebe", "#008080")


def default_group(source: str) -> str:
    """A validation group for a scene name: the Landsat path/row or Sentinel-2 tile in
    it, else the scene name itself."""
    return parse_scene_name(source).footprint or source


def safe_name(text: str) -> str:
    """A file-name-safe version of ``text`` (letters, digits, ``-``, ``_`` and ``.``)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return cleaned or "scene"


@dataclass
class BandStats:
    """Running statistics of one band over the valid pixels of the chips."""

    name: str
    count: int = 0
    sum: float = 0.0
    sum_sq: float = 0.0
    min: float | None = None
    max: float | None = None

    def add(self, values: np.ndarray) -> None:
        """Add the valid pixel values of one chip (1-D)."""
        if values.size == 0:
            return
        v = values.astype(np.float64, copy=False)
        self.count += int(v.size)
        self.sum += float(v.sum())
        self.sum_sq += float(np.dot(v, v))
        lo, hi = float(v.min()), float(v.max())
        self.min = lo if self.min is None else min(self.min, lo)
        self.max = hi if self.max is None else max(self.max, hi)

    def merge(self, other: "BandStats") -> None:
        self.count += other.count
        self.sum += other.sum
        self.sum_sq += other.sum_sq
        for attr, pick in (("min", min), ("max", max)):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            setattr(self, attr, theirs if mine is None else mine if theirs is None else pick(mine, theirs))

    @property
    def mean(self) -> float:
        return self.sum / self.count if self.count else 0.0

    @property
    def std(self) -> float:
        """Population standard deviation (never below a tiny positive floor)."""
        if not self.count:
            return 1.0
        variance = max(0.0, self.sum_sq / self.count - self.mean**2)
        return max(math.sqrt(variance), 1e-6)

    def to_json(self) -> dict:
        return {**asdict(self), "mean": self.mean, "std": self.std}

    @classmethod
    def from_json(cls, d: dict) -> "BandStats":
        return cls(str(d["name"]), int(d["count"]), float(d["sum"]), float(d["sum_sq"]),
                   None if d.get("min") is None else float(d["min"]),
                   None if d.get("max") is None else float(d["max"]))


@dataclass
class DatasetClass:
    """A label class: raster value (1..255), name, colour, role and pixels in the chips."""

    value: int
    name: str
    color: str
    role: str = "other"
    pixels: int = 0


@dataclass
class TileRecord:
    """One chip pair: file names (relative to the folder), where it came from, what it holds."""

    image: str
    label: str
    source: str
    group: str
    row: int
    col: int
    labeled: float  # fraction of the tile's pixels with a class
    class_pixels: dict[int, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        d = asdict(self)
        d["class_pixels"] = {str(k): int(v) for k, v in self.class_pixels.items()}
        return d

    @classmethod
    def from_json(cls, d: dict) -> "TileRecord":
        return cls(str(d["image"]), str(d["label"]), str(d["source"]), str(d.get("group") or d["source"]),
                   int(d.get("row", 0)), int(d.get("col", 0)), float(d.get("labeled", 0.0)),
                   {int(k): int(v) for k, v in dict(d.get("class_pixels", {})).items()})


@dataclass
class Dataset:
    """What ``dataset.json`` says about a tile folder."""

    root: Path
    tile_size: int
    cell_size: float | None  # metres per pixel; None = pixel units (no CRS)
    dtype: str
    bands: list[BandStats]
    classes: list[DatasetClass] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    tiles: list[TileRecord] = field(default_factory=list)
    crs: str | None = None
    created: str = ""
    updated: str = ""

    @property
    def json_path(self) -> Path:
        return self.root / DATASET_FILE

    def class_by_value(self, value: int) -> DatasetClass | None:
        return next((c for c in self.classes if c.value == value), None)

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "tile_size": self.tile_size,
            "cell_size": self.cell_size,
            "units": "pixels" if self.cell_size is None else "metres",
            "crs": self.crs,
            "dtype": self.dtype,
            "bands": [b.to_json() for b in self.bands],
            "classes": [asdict(c) for c in self.classes],
            "sources": self.sources,
            "tiles": [t.to_json() for t in self.tiles],
            "created": self.created,
            "updated": self.updated,
        }

    def save(self) -> None:
        """Write dataset.json atomically (a temporary file renamed over the old one)."""
        with atomic_output(self.json_path) as tmp:
            tmp.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


def _bad(path: Path, why: str) -> EngineError:
    return EngineError(f"Tile dataset {path}: {why}")


def load_dataset(path: str | os.PathLike, label: str = "DATASETS") -> Dataset:
    """Read a tile dataset folder (or its dataset.json); every problem is a one-line EngineError."""
    p = Path(path)
    if p.is_file() and p.name == DATASET_FILE:
        p = p.parent
    if not p.exists():
        raise EngineError(f"{label}: {p} does not exist.")
    if not p.is_dir():
        raise EngineError(f"{label}: {p} is not a tile dataset folder.")
    if not (p / DATASET_FILE).is_file():
        raise EngineError(
            f"{label}: folder {p} has no {DATASET_FILE}; make a tile dataset with Export Training Tiles "
            f"(engine command export_tiles or export_png_tiles)."
        )
    try:
        meta = json.loads((p / DATASET_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _bad(p, f"{DATASET_FILE} is not valid JSON ({exc}).") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _bad(p, f"{DATASET_FILE} is not a Glacier Terminus tile dataset (format {FORMAT!r}).")
    if int(meta.get("version", 0)) > VERSION:
        raise _bad(p, f"dataset version {meta.get('version')} is newer than this Glacier Terminus reads; "
                      f"update the plugin.")
    try:
        ds = Dataset(
            root=p,
            tile_size=int(meta["tile_size"]),
            cell_size=None if meta.get("cell_size") is None else float(meta["cell_size"]),
            dtype=str(meta["dtype"]),
            bands=[BandStats.from_json(b) for b in meta["bands"]],
            classes=[DatasetClass(int(c["value"]), str(c["name"]), str(c["color"]), str(c.get("role", "other")),
                                  int(c.get("pixels", 0))) for c in meta["classes"]],
            sources=list(meta.get("sources", [])),
            tiles=[TileRecord.from_json(t) for t in meta["tiles"]],
            crs=meta.get("crs"),
            created=str(meta.get("created", "")),
            updated=str(meta.get("updated", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(p, f"{DATASET_FILE} is missing or has a bad field ({exc}).") from None
    if not ds.bands:
        raise _bad(p, f"{DATASET_FILE} lists no bands.")
    if ds.tile_size < 1:
        raise _bad(p, "tile_size must be positive.")
    return ds


class FolderLock:
    """An exclusive lock on a folder (``flock`` on the folder itself), held while one export reads,
    extends and rewrites a dataset in it: a second export waits, then appends to what the first
    wrote. Where the system has no ``flock`` the lock does nothing."""

    def __init__(self, folder: Path, reporter: Reporter) -> None:
        self.fd: int | None = None
        try:
            import fcntl
        except ImportError:  # not a POSIX system
            return
        self.fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            reporter.info(f"Another export is writing to {folder}; waiting for it to finish.")
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = None


def _now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


class DatasetWriter:
    """Appends chips to a tile dataset folder (new or existing); all or nothing.

    Use as a context manager: on success ``dataset.json`` is rewritten with the new tiles,
    sources, classes and statistics; on any exception (cancel included) the chips written
    by this run are deleted (and the folder too, when this run created it).
    """

    def __init__(self, root: str | os.PathLike, tile_size: int, cell_size: float | None, band_names: list[str],
                 dtype: str, crs: str | None, reporter: Reporter) -> None:
        self.root = Path(root)
        self.reporter = reporter
        self.created_root = False
        self.written: list[Path] = []
        self.tiles: list[TileRecord] = []
        self.counters: dict[str, int] = {}
        self.class_pixels: dict[int, int] = {}
        if not self.root.parent.is_dir():
            raise EngineError(f"OUTPUT folder's parent {self.root.parent} does not exist.")
        # The parent's lock, not the dataset's: two exports into a dataset not made yet share it too.
        self.lock = FolderLock(self.root.parent, reporter)
        try:
            if (self.root / DATASET_FILE).is_file():
                self.dataset = load_dataset(self.root, "OUTPUT")
                self._check_compatible(tile_size, cell_size, band_names, dtype)
                self._remove_unlisted()
            else:
                self._check_new_folder()
                stamp = _now()
                self.dataset = Dataset(self.root, tile_size, cell_size, dtype, [BandStats(n) for n in band_names],
                                       crs=crs, created=stamp, updated=stamp)
        except BaseException:
            self.lock.release()
            raise
        self.stats = [BandStats(b.name) for b in self.dataset.bands]

    # -- opening -----------------------------------------------------------------------

    def _check_new_folder(self) -> None:
        if self.root.exists():
            if not self.root.is_dir():
                raise EngineError(f"OUTPUT {self.root} is a file, not a folder.")
            if any(self.root.iterdir()):
                raise EngineError(
                    f"OUTPUT folder {self.root} is not empty and has no {DATASET_FILE}: choose an empty or new "
                    f"folder, or an existing tile dataset to add to."
                )
        elif not self.root.parent.is_dir():
            raise EngineError(f"OUTPUT folder's parent {self.root.parent} does not exist.")
        if not os.access(self.root if self.root.exists() else self.root.parent, os.W_OK):
            raise EngineError(f"OUTPUT folder {self.root} is not writable.")

    def _remove_unlisted(self) -> None:
        """Remove chips that dataset.json does not list: what an export killed outright left behind."""
        listed = {t.image for t in self.dataset.tiles} | {t.label for t in self.dataset.tiles}
        orphans = [p for sub in (IMAGES, LABELS) if (self.root / sub).is_dir() for p in (self.root / sub).iterdir()
                   if p.is_file() and f"{sub}/{p.name}" not in listed]
        for p in orphans:
            p.unlink()
        if orphans:
            self.reporter.warning(f"Removed {len(orphans)} file(s) from {self.root} that {DATASET_FILE} does not "
                                  "list (left by an export that was stopped).")

    def _check_compatible(self, tile_size: int, cell_size: float | None, band_names: list[str], dtype: str) -> None:
        ds = self.dataset
        where = f"OUTPUT {self.root} already holds"
        if len(band_names) != len(ds.bands):
            raise EngineError(f"{where} tiles of {len(ds.bands)} band(s); INPUT has {len(band_names)}: "
                              f"export into another folder.")
        if tile_size != ds.tile_size:
            raise EngineError(f"{where} tiles of {ds.tile_size} px; this export asks for {tile_size} px: "
                              f"set TILE_SIZE={ds.tile_size} or export into another folder.")
        if (cell_size is None) != (ds.cell_size is None):
            have = "pixel units (no CRS)" if ds.cell_size is None else f"a {ds.cell_size:g} m cell size"
            raise EngineError(f"{where} tiles in {have}; INPUT's are "
                              f"{'in pixel units (no CRS)' if cell_size is None else f'{cell_size:g} m'}: "
                              f"export into another folder.")
        if cell_size is not None and ds.cell_size and abs(cell_size / ds.cell_size - 1) > CELL_TOLERANCE:
            raise EngineError(f"{where} tiles at {ds.cell_size:g} m per cell; this export would write "
                              f"{cell_size:g} m: set CELL_SIZE={ds.cell_size:g} or export into another folder.")
        names = [b.name for b in ds.bands]
        if band_names != names:
            self.reporter.warning(f"INPUT's bands ({', '.join(band_names)}) are named differently from the "
                                  f"dataset's ({', '.join(names)}); they are taken in order.")
        if dtype != ds.dtype:
            self.reporter.warning(f"INPUT is {dtype} but the dataset's tiles are {ds.dtype}; "
                                  f"check that the values are on the same scale.")

    def __enter__(self) -> "DatasetWriter":
        if not self.root.exists():
            self.root.mkdir()
            self.created_root = True
        for sub in (IMAGES, LABELS):
            (self.root / sub).mkdir(exist_ok=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._commit()
            else:
                self._rollback()
        finally:
            for path in self.written:
                PARTIAL_OUTPUTS.discard(str(path))
            self.lock.release()

    # -- adding ------------------------------------------------------------------------

    def add_source(self, source: str, path: str, labels: str | None, label_kind: str, group: str,
                   **attributes: Any) -> str:
        """Register a source image; returns its unique name in the dataset. ``attributes`` (e.g.
        ``sensor``, ``date``) are recorded with the source in dataset.json."""
        for s in self.dataset.sources:
            if s.get("path") == path and s.get("labels") == labels:
                raise EngineError(f"OUTPUT {self.root} already holds tiles of {path} with these labels "
                                  f"(added {s.get('added', '?')}): export into another folder.")
        taken = {s["source"] for s in self.dataset.sources} | set(self.counters)
        name, n = safe_name(source), 2
        unique = name
        while unique in taken:
            unique, n = f"{name}_{n}", n + 1
        self.dataset.sources.append({"source": unique, "path": path, "labels": labels, "label_kind": label_kind,
                                     "group": group, **attributes, "tiles": 0, "added": _now()})
        self.counters[unique] = 0
        return unique

    def add_class(self, value: int, name: str, color: str | None = None, role: str | None = None) -> None:
        """Declare a label class; a value the dataset already has must keep its name."""
        if not 1 <= value <= 255:
            raise EngineError(f"Label class values must be within 1..255 (0 is unlabelled), not {value}.")
        known = self.dataset.class_by_value(value)
        if known is not None:
            if known.name != name:
                raise EngineError(f"LABELS class {value} is '{name}' here but '{known.name}' in {self.root}'s "
                                  f"{DATASET_FILE}: export into another folder or use the same class values.")
            return
        role = role or role_of(name)
        if role not in ROLES:
            role = "other"
        color = color or PALETTE[(value - 1) % len(PALETTE)]
        self.dataset.classes.append(DatasetClass(value, name, color, role, 0))
        self.dataset.classes.sort(key=lambda c: c.value)

    def write_tile(self, image: np.ndarray, valid: np.ndarray, labels: np.ndarray, transform, crs,
                   source: str, group: str, row: int, col: int) -> TileRecord:
        """Write one chip pair and account for it. ``image`` (bands, T, T) in the source's
        dtype, ``valid`` (T, T) bool, ``labels`` (T, T) uint8 with 0 where unlabelled."""
        import rasterio

        tile = self.dataset.tile_size
        labels = np.where(valid, labels, 0).astype(np.uint8)
        values, counts = np.unique(labels[labels > 0], return_counts=True)
        unknown = sorted(set(values.tolist()) - {c.value for c in self.dataset.classes})
        if unknown:
            raise EngineError(f"LABELS holds class value(s) {unknown} that were not declared.")
        self.counters[source] += 1
        name = f"{source}_{self.counters[source]:05d}.tif"
        image_path, label_path = self.root / IMAGES / name, self.root / LABELS / name
        base = dict(driver="GTiff", width=tile, height=tile, crs=crs, transform=transform, compress="deflate")
        with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True):
            self.written.append(image_path)
            PARTIAL_OUTPUTS.add(str(image_path))  # until dataset.json lists it
            with rasterio.open(image_path, "w", **base, count=image.shape[0], dtype=image.dtype) as dst:
                dst.write(image)
                for i, b in enumerate(self.dataset.bands, start=1):
                    dst.set_band_description(i, b.name)
                if not valid.all():
                    dst.write_mask(valid.astype(np.uint8) * 255)
            self.written.append(label_path)
            PARTIAL_OUTPUTS.add(str(label_path))
            with rasterio.open(label_path, "w", **base, count=1, dtype="uint8", nodata=0) as dst:
                dst.write(labels, 1)
                write_class_legend(dst, {c.value: (c.name, hex_rgb(c.color, GREY)) for c in self.dataset.classes})
        for band, stats in enumerate(self.stats):
            stats.add(image[band][valid])
        record = TileRecord(f"{IMAGES}/{name}", f"{LABELS}/{name}", source, group, int(row), int(col),
                            round(float((labels > 0).mean()), 6),
                            {int(v): int(n) for v, n in zip(values, counts, strict=False)})
        for v, n in record.class_pixels.items():
            self.class_pixels[v] = self.class_pixels.get(v, 0) + n
        self.tiles.append(record)
        return record

    # -- finishing ---------------------------------------------------------------------

    def _commit(self) -> None:
        ds = self.dataset
        for mine, stats in zip(ds.bands, self.stats, strict=False):
            mine.merge(stats)
        for c in ds.classes:
            c.pixels += self.class_pixels.get(c.value, 0)
        ds.classes = [c for c in ds.classes if c.pixels > 0]
        for s in ds.sources:
            if s["source"] in self.counters:
                s["tiles"] = self.counters[s["source"]]  # one count per tile written
        ds.sources = [s for s in ds.sources if s.get("tiles", 0) > 0]
        ds.tiles.extend(self.tiles)
        ds.updated = _now()
        ds.save()

    def _rollback(self) -> None:
        for path in self.written:
            for p in (path, path.with_name(path.name + ".msk"), path.with_name(path.name + ".aux.xml")):
                if p.exists():
                    p.unlink()
        if self.created_root:
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            for sub in (IMAGES, LABELS):
                d = self.root / sub
                if d.is_dir() and not any(d.iterdir()) and not self.dataset.tiles:
                    d.rmdir()


def summary(ds: Dataset) -> dict[str, Any]:
    """A short description for results and messages."""
    return {
        "folder": str(ds.root),
        "tiles": len(ds.tiles),
        "sources": len(ds.sources),
        "tile_size": ds.tile_size,
        "cell_size": ds.cell_size,
        "bands": [{"name": b.name, "mean": round(b.mean, 6), "std": round(b.std, 6)} for b in ds.bands],
        "classes": [{"value": c.value, "name": c.name, "role": c.role, "pixels": c.pixels} for c in ds.classes],
        "groups": sorted({t.group for t in ds.tiles}),
    }
