"""A CaFFe-layout folder of SAR scenes (images, zones, fronts as PNG) -> a tile dataset.

The CaFFe benchmark (Gourmelon et al. 2022, ESSD 14, 4287-4313, CC BY 4.0) and copies of it
lay a scene out as ``images/<name>.png`` (SAR amplitude, grey), ``zones/<name>_zones.png``
(``1`` no information, ``2`` rock, ``3`` glacier, ``4`` ocean including ice melange; the
full-resolution CaFFe files code the same zones as 0 / 64 / 127 / 254) and
``fronts/<name>_front.png`` (the front bright on black). Names are
``<glacier>_<date>_<sensor>_<m per px>_<quality>_<orbit>``: each scene's validation group is
its glacier, and its sensor and date go into dataset.json with it.

LABELS picks what the tiles hold: ``zones_front`` (the four zones with a fifth class, the
front, drawn over them: one network for both), ``zones`` or ``front`` (front on background).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..choices import CAFFE_LABELS
from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter
from ..geo.raster import open_raster, quiet_georeferencing
from ..geo.scene_names import parse_scene_name
from .dataset import DatasetWriter
from .labels import FRONT_CLASSES, widened
from .png_dataset import export_result, read_png_image, require_tiles, write_scene_tiles
from .tile_export import TileOptions, padding_note

#: CaFFe's zones: (value, name, colour, role); "no information" (SAR shadow, layover, outside the
#: scene) never makes a front.
ZONE_CLASSES = (
    (1, "no information", "#303030", "no_information"),
    (2, "rock", "#7a5c3c", "rock"),
    (3, "glacier", "#dceefa", "glacier"),
    (4, "ocean", "#1f4e9c", "ocean"),
)
FRONT_OVER_ZONES = (5, "front", "#e6194b", "front")
#: LABELS choices -> the classes the tiles hold.
LABEL_DESIGNS: dict[str, tuple[tuple[int, str, str, str], ...]] = dict(
    zip(CAFFE_LABELS, (ZONE_CLASSES + (FRONT_OVER_ZONES,), ZONE_CLASSES, FRONT_CLASSES), strict=True))
#: The zone codes of CaFFe's full-resolution files, mapped to the values above.
_FULL_RESOLUTION_CODES = {0: 1, 64: 2, 127: 3, 254: 4}
@dataclass(frozen=True)
class CaffeScene:
    """What a CaFFe scene name says."""

    name: str
    glacier: str
    date: str | None
    sensor: str
    resolution_m: float


def caffe_scene(name: str) -> CaffeScene:
    """``JAC_2009-06-21_TSX_6_1_005`` -> glacier JAC, 2009-06-21, TerraSAR-X, 6 m per pixel."""
    scene = parse_scene_name(name)
    if scene.glacier is None:
        raise EngineError(f"{name} is not a CaFFe scene name (<glacier>_<YYYY-MM-DD>_<sensor>_<m per px>_"
                          f"<quality>_<orbit>, e.g. JAC_2009-06-21_TSX_6_1_005).")
    assert scene.caffe_sensor is not None and scene.resolution_m is not None, "a CaFFe name has both"
    return CaffeScene(name, scene.glacier, scene.date.isoformat() if scene.date else None, scene.caffe_sensor,
                      scene.resolution_m)


def scene_files(folder: Path) -> list[tuple[str, Path, Path, Path]]:
    """``(name, image, zones, front)`` of every scene in a CaFFe-layout folder, sorted by name."""
    images, zones, fronts = folder / "images", folder / "zones", folder / "fronts"
    for label, sub in (("images", images), ("zones", zones), ("fronts", fronts)):
        if not sub.is_dir():
            raise EngineError(f"INPUT {folder} has no {label}/ folder: a CaFFe-layout folder holds images/, "
                              f"zones/ and fronts/.")
    scenes, missing = [], []
    for image in sorted(images.glob("*.png")):
        zone, front = zones / f"{image.stem}_zones.png", fronts / f"{image.stem}_front.png"
        if zone.is_file() and front.is_file():
            scenes.append((image.stem, image, zone, front))
        else:
            missing.append(image.stem)
    if missing:
        raise EngineError(f"{len(missing)} image(s) in {images} lack zones/<name>_zones.png or "
                          f"fronts/<name>_front.png, e.g. {missing[0]}.")
    if not scenes:
        raise EngineError(f"INPUT {folder} holds no scene: images/ has no PNG.")
    return scenes


def read_zones(path: Path) -> np.ndarray:
    """A zone PNG as values 1-4 (either coding); any other value is an error naming the file."""
    with open_raster(path, "ZONES") as ds:
        zones = ds.read(1)
    values = set(np.unique(zones).tolist())
    if values <= {1, 2, 3, 4}:
        return zones.astype(np.uint8)
    if values <= set(_FULL_RESOLUTION_CODES):
        lut = np.zeros(256, np.uint8)
        lut[list(_FULL_RESOLUTION_CODES)] = list(_FULL_RESOLUTION_CODES.values())
        return lut[zones]
    raise EngineError(f"{path.name} holds zone values {sorted(values)}: CaFFe zones are 1-4 (no information, "
                      f"rock, glacier, ocean) or 0/64/127/254.")


def read_front(path: Path, width: float) -> np.ndarray:
    """The front drawing as a mask (bright on dark); re-drawn ``width`` px wide when given."""
    with open_raster(path, "FRONTS") as ds:
        front = ds.read(1) > 127
    if width:
        from skimage.morphology import skeletonize

        front = widened(skeletonize(front), width)
    return front


def scene_labels(zones: np.ndarray, front: np.ndarray, design: str) -> np.ndarray:
    """The tile labels of one scene for a LABELS design."""
    if design == "zones":
        return zones
    if design == "front":
        return np.where(front, 2, 1).astype(np.uint8)
    return np.where(front, FRONT_OVER_ZONES[0], zones).astype(np.uint8)


@checked_as("export_caffe_tiles")
def export_caffe_job(job: dict, reporter: Reporter) -> dict:
    """The ``export_caffe_tiles`` command: a CaFFe-layout folder -> a tile dataset."""
    opts = TileOptions.from_job(job)
    design = job["labels"]
    width = job["front_width"]
    if width < 0 or 0 < width < 1:
        raise EngineError(f"FRONT_WIDTH must be 0 (the front as drawn) or at least 1 pixel, not {width:g}.")
    folder = Path(job["input"])
    scenes = scene_files(folder)
    parsed = [caffe_scene(name) for name, *_ in scenes]
    wanted = set(job["glaciers"] or [])
    unknown = wanted - {s.glacier for s in parsed}
    if unknown:
        raise EngineError(f"GLACIERS {', '.join(sorted(unknown))} not in {folder} (it holds "
                          f"{', '.join(sorted({s.glacier for s in parsed}))}).")
    chosen = [(files, scene) for files, scene in zip(scenes, parsed, strict=True)
              if not wanted or scene.glacier in wanted]
    groups: dict[str, int] = {}
    sensors: dict[str, int] = {}
    tried = padded = 0
    with quiet_georeferencing():
        first, _, names = read_png_image(chosen[0][0][1])
        with DatasetWriter(job["output"], opts.tile_size, None, names, str(first.dtype), None, reporter) as writer:
            for value, name, color, role in LABEL_DESIGNS[design]:
                writer.add_class(value, name, color, role)
            for n, ((name, image_path, zone_path, front_path), scene) in enumerate(chosen):
                reporter.check_cancelled()
                image, valid, these = read_png_image(image_path)
                if these != names or image.dtype != first.dtype:
                    raise EngineError(f"{image_path.name} has {len(these)} {image.dtype} band(s), unlike "
                                      f"{chosen[0][0][1].name} ({len(names)} {first.dtype}).")
                zones, front = read_zones(zone_path), read_front(front_path, width)
                if zones.shape != valid.shape or front.shape != valid.shape:
                    raise EngineError(f"{name}: its image, zones and front differ in size.")
                labels = np.where(valid, scene_labels(zones, front, design), 0).astype(np.uint8)
                padded += padding_note("", valid.shape[0], valid.shape[1], opts, 1.0) is not None
                source = writer.add_source(name, os.path.abspath(image_path), os.path.abspath(zone_path),
                                           f"caffe {design}", scene.glacier, sensor=scene.sensor,
                                           date=scene.date, resolution_m=scene.resolution_m,
                                           fronts=os.path.abspath(front_path))
                written, planned = write_scene_tiles(writer, image, valid, labels, opts, source, scene.glacier)
                groups[scene.glacier] = groups.get(scene.glacier, 0) + written
                sensors[scene.sensor] = sensors.get(scene.sensor, 0) + 1
                tried += planned
                reporter.progress(100.0 * (n + 1) / len(chosen))
            require_tiles(groups, opts)
        dataset = writer.dataset
    return {**export_result(job, opts, reporter, dataset, groups, tried, padded, len(chosen)), "sensors": sensors}
