"""Plain PNG image / label pairs (such as the FrontLearning set) -> a tile dataset.

Images are ``<images>/<scene><image_suffix>.png``, labels ``<labels>/<scene><label_suffix>.png``
with the front drawn dark on white. Tiles hold two classes, 1 background and 2 front, in
pixel units (no CRS, cell size null). A grey image stored as RGB(A) becomes one band; the
alpha band, if any, marks NoData. Each scene's validation group is its glacier, from the
Landsat path/row in its name (the FrontLearning table below, or a GROUPS file), so that
training can hold a glacier out.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from affine import Affine

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter
from ..geo.raster import quiet_georeferencing
from .dataset import DatasetWriter, default_group, summary
from .labels import FRONT_CLASSES, widened
from .tile_export import TileOptions, labelled_enough, pad_to, padding_note, plan_windows

#: FrontLearning's glaciers by Landsat path/row (Mohajerani et al. 2019; the data's README).
FRONTLEARNING_GLACIERS: dict[str, tuple[str, ...]] = {
    "Jakobshavn": ("008011", "009011", "010011"),
    "Sverdrup": ("020007", "021006", "021007", "022006", "023006", "024006"),
    "Kangerlussuaq": ("229012", "230012", "231012"),
}


def read_groups(path: str | None) -> dict[str, str]:
    """Path/row (or any part of a scene name) -> group, from a GROUPS JSON file
    ``{"group": ["part", ...]}``; the FrontLearning table when no file is given."""
    table = FRONTLEARNING_GLACIERS
    if path:
        try:
            table = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise EngineError(f"Cannot read GROUPS {path}: {exc}") from None
        if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
            raise EngineError(f"GROUPS {path} must map each group name to a list of scene name parts.")
    return {str(part): str(group) for group, parts in table.items() for part in parts}


def group_of(scene: str, parts: dict[str, str]) -> str:
    """The group of a scene: its path/row (or a name part) looked up, else the path/row."""
    key = default_group(scene)
    if key in parts:
        return parts[key]
    for part, group in parts.items():
        if part in scene:
            return group
    return key


def scene_pairs(images: Path, labels: Path, image_suffix: str,
                label_suffix: str) -> tuple[list[tuple[str, Path, Path]], list[str]]:
    """``(scene, image, label)`` for every image with a label, sorted by scene, and the
    scenes without a label."""
    for label, folder in (("IMAGES", images), ("LABELS", labels)):
        if not folder.is_dir():
            raise EngineError(f"{label} folder {folder} does not exist.")
    pairs, unmatched = [], []
    for image in sorted(images.glob(f"*{image_suffix}.png")):
        scene = image.name[: -len(f"{image_suffix}.png")]
        label_png = labels / f"{scene}{label_suffix}.png"
        if label_png.is_file():
            pairs.append((scene, image, label_png))
        else:
            unmatched.append(scene)
    if not pairs:
        raise EngineError(f"No image in {images} named *{image_suffix}.png has a label named "
                          f"<scene>{label_suffix}.png in {labels}.")
    return pairs, unmatched


def read_png_image(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(bands, valid, band names): one grey band when the colour channels are equal."""
    from rasterio.enums import ColorInterp

    from ..geo.raster import open_raster

    with open_raster(path, "IMAGES") as ds:
        interp = list(ds.colorinterp)
        colour = [i for i, ci in enumerate(interp) if ci != ColorInterp.alpha]
        data = ds.read([i + 1 for i in colour])
        valid = np.all(ds.read_masks() > 0, axis=0)
    if len(colour) >= 3 and all(np.array_equal(data[0], data[i]) for i in range(1, len(colour))):
        return data[:1], valid, ["grey"]
    if len(colour) == 1:
        return data, valid, ["grey"]
    names = {ColorInterp.red: "red", ColorInterp.green: "green", ColorInterp.blue: "blue"}
    return data, valid, [names.get(interp[i], f"band {i + 1}") for i in colour]


def read_png_front(path: Path, threshold: int, width: float = 0.0) -> np.ndarray:
    """Labels from a front drawing: 2 (front) where dark, 1 (background) elsewhere. With a
    ``width``, the drawing is thinned to its centre line and grown to ``width`` pixels."""
    from ..geo.raster import open_raster

    with open_raster(path, "LABELS") as ds:
        front = ds.read(1) < threshold
    if width:
        from skimage.morphology import skeletonize

        # padded by repeating the edge, so that a front running off the image keeps its ends
        m = 8
        front = widened(skeletonize(np.pad(front, m, mode="edge"))[m:-m, m:-m], width)
    return np.where(front, 2, 1).astype(np.uint8)


def read_pair(image_path: Path, label_path: Path, threshold: int, width: float = 0.0):
    """(image, valid, labels, band names) of one scene; labels are 0 where the image has no data."""
    image, valid, names = read_png_image(image_path)
    labels = read_png_front(label_path, threshold, width)
    if labels.shape != valid.shape:
        raise EngineError(f"{label_path.name} is {labels.shape[1]} x {labels.shape[0]} px but its image is "
                          f"{valid.shape[1]} x {valid.shape[0]} px.")
    return image, valid, np.where(valid, labels, 0).astype(np.uint8), names


def write_scene_tiles(writer: DatasetWriter, image: np.ndarray, valid: np.ndarray, labels: np.ndarray,
                      opts: TileOptions, source: str, group: str) -> tuple[int, int]:
    """Cut one in-memory scene into tiles; returns how many were written and how many were tried."""
    height, width = valid.shape
    windows = plan_windows(height, width, opts, 1.0)
    kept = 0
    for w in windows:
        rows, cols = slice(w.row, w.row + w.height), slice(w.col, w.col + w.width)
        img, ok, chip = pad_to(opts.tile_size, image[:, rows, cols], valid[rows, cols], labels[rows, cols])
        if labelled_enough(ok, chip, opts.min_labeled):
            writer.write_tile(img, ok, chip, Affine.translation(w.col, w.row), None, source, group, w.row, w.col)
            kept += 1
    return kept, len(windows)


@checked_as("export_png_tiles")
def export_png_job(job: dict, reporter: Reporter) -> dict:
    """The ``export_png_tiles`` command: PNG image / front label pairs -> a tile dataset."""
    opts = TileOptions.from_job(job)
    threshold, width = job["threshold"], job["line_width"]
    if width < 0 or (0 < width < 1):
        raise EngineError(f"LINE_WIDTH must be 0 (the front as drawn) or at least 1 pixel, not {width:g}.")
    pairs, unmatched = scene_pairs(Path(job["images"]), Path(job["labels"]),
                                   job["image_suffix"] or "", job["label_suffix"] or "")
    if unmatched:
        reporter.warning(f"{len(unmatched)} image(s) have no label and are left out: "
                         f"{', '.join(unmatched[:5])}{' ...' if len(unmatched) > 5 else ''}")
    parts = read_groups(job.get("groups"))
    tried = padded = 0
    groups: dict[str, int] = {}
    with quiet_georeferencing():
        first, _, names = read_png_image(pairs[0][1])
        cell = job["cell_size"] or None  # nominal: PNGs carry no georeferencing
        with DatasetWriter(job["output"], opts.tile_size, cell, names, str(first.dtype), None, reporter) as writer:
            for value, name, color, role in FRONT_CLASSES:
                writer.add_class(value, name, color, role)
            for n, (scene, image_path, label_path) in enumerate(pairs):
                reporter.check_cancelled()
                image, valid, labels, these = read_pair(image_path, label_path, threshold, width)
                if these != names or image.dtype != first.dtype:
                    raise EngineError(f"{image_path.name} has {len(these)} {image.dtype} band(s), unlike "
                                      f"{pairs[0][1].name} ({len(names)} {first.dtype}): all images must have "
                                      f"the same bands.")
                padded += padding_note("", valid.shape[0], valid.shape[1], opts, 1.0) is not None
                group = group_of(scene, parts)
                source = writer.add_source(scene, os.path.abspath(image_path), os.path.abspath(label_path),
                                           "png front", group)
                written, planned = write_scene_tiles(writer, image, valid, labels, opts, source, group)
                groups[group] = groups.get(group, 0) + written
                tried += planned
                reporter.progress(100.0 * (n + 1) / len(pairs))
            require_tiles(groups, opts)
        dataset = writer.dataset
    return export_result(job, opts, reporter, dataset, groups, tried, padded, len(pairs))


def require_tiles(groups: dict[str, int], opts: TileOptions) -> None:
    """Refuse an export that kept no tile (inside the writer, so that nothing is left)."""
    if not sum(groups.values()):
        raise EngineError(f"No tile has at least MIN_LABELED = {opts.min_labeled:g} of its pixels "
                          f"labelled; lower MIN_LABELED.")


def export_result(job: dict, opts: TileOptions, reporter: Reporter, dataset, groups: dict[str, int], tried: int,
                  padded: int, scenes: int) -> dict:
    """The closing messages and the result of a scene-folder export (tiles kept per group)."""
    kept = sum(groups.values())
    if padded:
        reporter.warning(f"{padded} image(s) are smaller than TILE_SIZE {opts.tile_size} px along a side: "
                         f"their tiles are padded with NoData, which training ignores.")
    reporter.info(f"Wrote {kept} tile(s) of {scenes} scene(s) to {job['output']} "
                  f"({', '.join(f'{g}: {n}' for g, n in sorted(groups.items()))}); {tried - kept} skipped.")
    return {"output": os.path.abspath(job["output"]), "tiles_written": kept, "tiles_skipped": tried - kept,
            "scenes": scenes, "groups": groups, "dataset": summary(dataset)}
