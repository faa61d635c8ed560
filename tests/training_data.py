"""Tiny tile datasets for the training tests: synthetic scenes exported, or chips written directly."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from affine import Affine

from glacier_terminus.core.data.dataset import DatasetWriter
from glacier_terminus.core.data.tile_export import export_tiles_job
from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.synthetic.scenes import SceneSpec
from glacier_terminus.core.synthetic.writer import write_scene

#: (seed, group) of the scenes of :func:`synthetic_tiles`.
SCENES = ((1, "west"), (2, "west"), (3, "east"))


def synthetic_tiles(folder: Path, size: int = 128, tile: int = 64) -> Path:
    """Three synthetic optical scenes (zones as labels) cut into ``tile`` px tiles: 12 tiles at the defaults."""
    out = folder / "tiles"
    for seed, group in SCENES:
        image, zones = folder / f"scene{seed}.tif", folder / f"zones{seed}.tif"
        write_scene(SceneSpec(width=size, height=size, seed=seed), str(image), zones_path=str(zones))
        export_tiles_job({"input": str(image), "labels": str(zones), "output": str(out), "tile_size": tile,
                          "stride": tile, "min_labeled": 0.0, "group": group}, SilentReporter())
    return out


def direct_tiles(out: Path, sources: dict[str, list[int]], tile: int = 64, tiles_per_source: int = 2,
                 groups: dict[str, str] | None = None) -> Path:
    """A dataset written chip by chip: each source's tiles hold stripes of the classes listed for it."""
    rng = np.random.default_rng(0)
    with DatasetWriter(out, tile, 30.0, ["b1", "b2"], "uint16", "EPSG:3413", SilentReporter()) as writer:
        for value, name in ((1, "ocean"), (2, "glacier"), (3, "rock")):
            if any(value in v for v in sources.values()):
                writer.add_class(value, name)
        for source, values in sources.items():
            group = (groups or {}).get(source, source)
            name = writer.add_source(source, f"/data/{source}.tif", f"/data/{source}_labels.tif", "raster", group)
            for k in range(tiles_per_source):
                labels = np.repeat(np.array(values, np.uint8), -(-tile // len(values)))[:tile]
                labels = np.tile(labels[:, None], (1, tile))
                image = (rng.normal(1000, 100, (2, tile, tile)) + 300.0 * labels).astype("uint16")
                writer.write_tile(image, np.ones((tile, tile), bool), labels, Affine(30, 0, 30 * tile * k, 0, -30, 0),
                                  "EPSG:3413", name, group, 0, tile * k)
    return out
