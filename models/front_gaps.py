"""Where the leave-one-glacier-out fronts miss the manual front, and how sure the model was there.

    python models/front_gaps.py build/frontlearning/recipe-<hash>   # a folder train_default.py made

Every manual front of a fold's held-out scenes (``fold-<glacier>/test/``) is walked in half-pixel
steps. Each point is *near* (within NEAR px of the predicted front), *beyond an end* (farther,
before the first near point of its manual line or after the last) or *in a gap* (farther,
between near points). For each kind the script prints its share of the manual front, what it
adds to the mean manual-to-predicted distance, and the median front probability
there (the highest within 2 px). Scenes without a predicted front are left out.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import rasterio
from scipy import ndimage
from scipy.spatial import cKDTree

from glacier_terminus.core.data.png_dataset import FRONTLEARNING_GLACIERS
from glacier_terminus.core.geo.lines import densify, map_to_pixel
from glacier_terminus.core.geo.vector import read_vector

NEAR = 3.0  # px
KINDS = ("near", "beyond an end", "in a gap")


def pixel_lines(path: Path, transform) -> list[np.ndarray]:
    """The lines of a GeoPackage as (row, col) points half a pixel apart."""
    return [densify(map_to_pixel(part, transform), 0.5) for part in read_vector(path).lines()]


def kinds_along(distance: np.ndarray) -> np.ndarray:
    """KINDS index of each point along one manual line, from its distances to the predicted front."""
    near = np.flatnonzero(distance <= NEAR)
    kind = np.ones(len(distance), dtype=int)  # beyond an end, unless near or between near points
    if len(near):
        kind[near[0]: near[-1] + 1] = 2
        kind[near] = 0
    return kind


def scene_points(test: Path, scene: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """For one scene's manual front points: distance to the prediction (px), kind index, probability."""
    with rasterio.open(test / f"{scene}_probabilities.tif") as ds:
        front = np.nan_to_num(ds.read(ds.count), nan=0.0)
        transform = ds.transform
    predicted = pixel_lines(test / f"{scene}_front.gpkg", transform)
    if not predicted:
        return None
    lines = pixel_lines(test / f"{scene}_reference.gpkg", transform)
    reference = np.concatenate(lines)
    distance = cKDTree(np.concatenate(predicted)).query(reference)[0]
    kind = np.concatenate([kinds_along(d) for d in np.split(distance, np.cumsum([len(r) for r in lines])[:-1])])
    rc = np.clip(np.round(reference).astype(int), 0, np.array(front.shape) - 1)
    probability = ndimage.maximum_filter(front, size=5)[rc[:, 0], rc[:, 1]]
    return distance, kind, probability


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recipe", help="a recipe folder of models/train_default.py (holding fold-<glacier>/test/)")
    recipe = Path(ap.parse_args().recipe)
    for glacier in FRONTLEARNING_GLACIERS:
        test = recipe / f"fold-{glacier}" / "test"
        scenes = sorted(p.name[: -len("_reference.gpkg")] for p in test.glob("*_reference.gpkg"))
        if not scenes:
            sys.exit(f"No measured scenes in {test}: run models/train_default.py first.")
        found = [r for r in (scene_points(test, s) for s in scenes) if r is not None]
        distance, kind, probability = (np.concatenate(parts) for parts in zip(*found, strict=False))
        print(f"{glacier} ({len(found)} of {len(scenes)} scenes with a front): manual-to-predicted "
              f"mean {distance.mean():.2f} px")
        for k, name in enumerate(KINDS):
            share = kind == k
            median = f"{np.median(probability[share]):.3f}" if share.any() else "-"
            print(f"  {name:14s} {share.mean():6.1%} of the manual front, adds "
                  f"{distance[share].sum() / len(distance):5.2f} px, median front probability {median}")


if __name__ == "__main__":
    main()
