"""The shipped optical model's result does not depend on how Classify Pixels tiles a raster: on a long
scene made of a real FrontLearning scene and its mirror images side by side (one front running across
it), small tiles, the default tiles and one single tile give the same classes within the stated
tolerance, and the default padding leaves no front broken at a tile edge."""
from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers import FRONTLEARNING, ROOT

from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.fronts.extract import extract_front_job
from glacier_terminus.core.geo.tiling import tile_starts
from glacier_terminus.core.geo.vector import line_parts, read_vector
from glacier_terminus.core.segmentation.inference import MAX_TILE, classify_job
from glacier_terminus.core.segmentation.package import TILING_INDEPENDENT, load_package

SCENE = FRONTLEARNING / "images" / "LE07_L1TP_009011_20000805_20170210_01_T1_B2_Subset.png"
MODEL = ROOT / "models" / "default"
COPIES = 8  # the scene and its mirror image, four times: 1600 x 300 px, the front crossing it all
SMALL_TILE = 224  # the training tile, the smallest Classify Pixels runs: edges every 160 px
#: The stated tolerance between two tilings: the share of pixels of another class, and the mean and the
#: 99.9th percentile of the front probability's difference (the front is a 1 px class: along it a little
#: more or less context moves the probability of single pixels a long way).
CLASSES_DIFFERING = 0.003
MEAN_PROBABILITY_DIFFERENCE = 0.005
PROBABILITY_DIFFERENCE_999 = 0.6
#: A front piece ending this close (px) to a tile edge ends at that edge.
EDGE_PX = 3

pytestmark = pytest.mark.skipif(not SCENE.exists(), reason=f"the FrontLearning data is not at {FRONTLEARNING}")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tilings")
    with rasterio.open(SCENE) as src:
        grey = src.read(1)
    long = np.hstack([grey if i % 2 == 0 else grey[:, ::-1] for i in range(COPIES)])
    scene = tmp / "long.tif"
    with rasterio.open(scene, "w", driver="GTiff", width=long.shape[1], height=long.shape[0], count=1,
                       dtype="uint8") as dst:
        dst.write(long, 1)
    out = {}
    for name, tile_size in (("small", SMALL_TILE), ("default", 0), ("single", long.shape[1])):
        classes, probs, front = tmp / f"{name}.tif", tmp / f"{name}_p.tif", tmp / f"{name}.gpkg"
        result = classify_job({"input": str(scene), "model": str(MODEL), "output": str(classes),
                               "output_probabilities": str(probs), "tile_size": tile_size, "device": "cpu"},
                              SilentReporter())
        extract_front_job({"input": str(classes), "probabilities": str(probs), "output": str(front),
                           "keep": "all"}, SilentReporter())  # every copy's front, not only the main one
        with rasterio.open(classes) as c, rasterio.open(probs) as p:
            out[name] = {"tiles": result["tiles"], "classes": c.read(1), "front_p": p.read(2),
                         "lines": [part for f in read_vector(front).features for part in line_parts(f.geometry)]}
    return out, long.shape


def test_the_shipped_model_runs_large_tiles():
    pkg = load_package(MODEL)
    assert pkg.normalisation in TILING_INDEPENDENT and MAX_TILE["cpu"] > 2 * pkg.tile_size


def test_tilings_agree_within_the_stated_tolerance(runs):
    out, _ = runs
    assert out["small"]["tiles"] >= 12 and out["single"]["tiles"] == 1 and out["default"]["tiles"] == 3
    for name in ("small", "default"):
        differing = float((out[name]["classes"] != out["single"]["classes"]).mean())
        diff = np.abs(out[name]["front_p"] - out["single"]["front_p"])
        assert differing <= CLASSES_DIFFERING, (name, differing)
        assert float(diff.mean()) <= MEAN_PROBABILITY_DIFFERENCE, (name, float(diff.mean()))
        assert float(np.percentile(diff, 99.9)) <= PROBABILITY_DIFFERENCE_999, (name, np.percentile(diff, 99.9))


def test_no_front_breaks_at_a_tile_edge(runs):
    """Every tile edge of the small tiling that the single tile's front crosses, the small tiles' front
    crosses too, and no piece of it ends at a tile edge where the single tile's front does not end; the
    default tiles give the front in as many pieces as the single tile."""
    out, (height, width) = runs

    def crossed(lines, x):
        return any(((part[:-1, 0] - x) * (part[1:, 0] - x) <= 0).any() for part in lines)

    def ends(lines):
        return np.array([part[i, 0] for part in lines for i in (0, -1)])

    edges = []
    for start in tile_starts(width, SMALL_TILE, 64)[1:]:
        edges += [start, start + SMALL_TILE - 1]
    reference = [x for x in edges if crossed(out["single"]["lines"], x)]
    assert len(reference) >= 5, "the front crosses too few tile edges for the test to mean anything"
    assert [x for x in reference if not crossed(out["small"]["lines"], x)] == []
    single_ends = ends(out["single"]["lines"])
    broken = [x for x in ends(out["small"]["lines"]) if np.abs(np.array(edges) - x).min() <= EDGE_PX
              and np.abs(single_ends - x).min() > EDGE_PX]
    assert broken == [], f"the small tiles' front ends at tile edges at x = {broken}"
    assert len(out["default"]["lines"]) == len(out["single"]["lines"])
