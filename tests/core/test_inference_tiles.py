"""Large inference tiles: the tile side Classify Pixels picks, and NORMALISATION window's statistics,
which a tile read with its halo takes from the raster around it, the same whatever the tiling."""
from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from helpers import make_package, make_raster

from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.geo.tiling import Tile, tile_grid
from glacier_terminus.core.segmentation.inference import MAX_TILE, classify_job, inference_tile, make_plan, read_tile
from glacier_terminus.core.segmentation.package import load_package, normalised, window_counts, window_sums


def test_window_sums_are_the_sums_over_the_clipped_square():
    a = np.random.default_rng(0).random((2, 23, 31))
    sums = window_sums(a, 8)
    for i, j in ((0, 0), (11, 17), (22, 30), (4, 27)):
        np.testing.assert_allclose(sums[:, i, j], a[:, max(0, i - 4): i + 4, max(0, j - 4): j + 4].sum(axis=(1, 2)))


@pytest.mark.parametrize("side", [7, 8])
def test_window_sums_of_a_part_and_counts_are_those_of_the_whole(side):
    """Sums asked for part of the array are the whole array's sums there (the rest is context); the counts
    are the sums of ones."""
    a = np.random.default_rng(3).random((1, 40, 50))
    part = (slice(5, 33), slice(12, 50))
    np.testing.assert_allclose(window_sums(a, side, part), window_sums(a, side)[..., part[0], part[1]], rtol=1e-12)
    np.testing.assert_allclose(window_counts((40, 50), side, part),
                               window_sums(np.ones((40, 50)), side)[part[0], part[1]], rtol=1e-12)


def test_window_normalisation_of_a_part_is_the_wholes_there():
    values = np.random.default_rng(4).normal(500, 80, (1, 90, 70)).astype(np.float32)
    valid = np.random.default_rng(5).random((90, 70)) > 0.2
    part = (slice(20, 70), slice(0, 45))
    for mask in (None, valid):
        whole = normalised(values, mask, [], "window", 32)
        np.testing.assert_array_equal(normalised(values, mask, [], "window", 32, part), whole[..., part[0], part[1]])


def test_window_normalisation_is_the_tiles_own_at_its_centre():
    values = np.random.default_rng(1).normal(500, 80, (1, 64, 64)).astype(np.float32)
    by_window = normalised(values, None, [], "window", 64)
    by_tile = normalised(values, None, [], "tile")
    np.testing.assert_allclose(by_window[:, 32, 32], by_tile[:, 32, 32], rtol=1e-4)


def test_window_normalisation_ignores_nodata_and_flat_windows():
    values = np.full((1, 40, 40), 7.0, np.float32)
    valid = np.ones((40, 40), bool)
    valid[:, :10] = False
    x = normalised(values, valid, [], "window", 16)
    assert np.isfinite(x).all() and (x[:, :, :10] == 0).all() and np.abs(x).max() < 1e-5


@pytest.fixture(scope="module")
def window_model(tmp_path_factory):
    path = make_package(tmp_path_factory.mktemp("model") / "m", bands=1, tile=64, n_classes=3, seed=5)
    meta = json.loads((path / "model.json").read_text())
    meta["normalisation"] = "window"
    (path / "model.json").write_text(json.dumps(meta))
    return path


def plan_of(scene, pkg, tile_size: int):
    """Classify Pixels' plan for ``scene`` with every setting at its default but TILE_SIZE."""
    job = {"input": str(scene), "bands": None, "flow": "as_trained", "batch_size": 4, "cell_size": 0.0,
           "pixel_size": None, "padding": None, "tile_size": tile_size, "device": "cpu", "runtime": "torch", "tta": 0}
    with rasterio.open(scene) as src:
        return make_plan(src, pkg, job, SilentReporter(), None)


def test_a_tile_read_with_its_halo_is_normalised_as_the_whole_raster(tmp_path, window_model):
    scene = make_raster(tmp_path / "s.tif", 150, 170, bands=1, seed=3)
    pkg = load_package(window_model)
    plan = plan_of(scene, pkg, 64)
    with rasterio.open(scene) as src:
        whole = normalised(src.read().astype(np.float32), src.read_masks(1) > 0, pkg.bands, "window", 64)
        assert plan.halo_in == 32 and plan.tile == 64
        for t in (Tile(0, 0, 64, 64), Tile(40, 70, 64, 64), Tile(86, 106, 64, 64)):
            np.testing.assert_allclose(read_tile(src, pkg, plan, t)[:, : t.height, : t.width],
                                       whole[:, t.rows, t.cols], atol=1e-5)


@pytest.mark.parametrize(("shape", "largest", "overlap", "side", "tiles"), [
    ((4096, 4096), 1024, 64, 896, 25),  # five tiles a side, each no larger than five need
    ((200, 300), 1024, 64, 320, 1),  # a small scene: one tile, rounded up to the stride
    ((100, 90), 1024, 64, 224, 1),  # never smaller than the training tile
    ((2048, 700), 1024, 64, 736, 3),
])
def test_the_inference_tile_covers_the_region_in_the_fewest_tiles(shape, largest, overlap, side, tiles):
    got = inference_tile(shape, largest, overlap, 224)
    assert got == side and got % 32 == 0
    assert len(tile_grid(shape[0], shape[1], got, overlap)) == tiles


def test_a_large_raster_runs_the_devices_largest_tiles_with_fewer_tiles_per_batch(tmp_path, window_model):
    scene = make_raster(tmp_path / "s.tif", 3000, 400, bands=1, seed=3)
    pkg = load_package(window_model)
    plan = plan_of(scene, pkg, 0)
    assert plan.tile <= MAX_TILE["cpu"] and plan.tile > 3 * pkg.tile_size and plan.batch_size == 1
    assert plan.overlap_in == 2 * 16  # PADDING's default for a 64 px model: a quarter of its tile


def test_a_model_normalised_tile_by_tile_keeps_its_training_tile(tmp_path):
    path = make_package(tmp_path / "m", bands=1, tile=64, n_classes=3, seed=5)
    meta = json.loads((path / "model.json").read_text())
    meta["normalisation"] = "tile"
    (path / "model.json").write_text(json.dumps(meta))
    scene = make_raster(tmp_path / "s.tif", 300, 300, bands=1, seed=3)
    result = classify_job({"input": str(scene), "model": str(path), "output": str(tmp_path / "c.tif"),
                           "device": "cpu", "tile_size": 1024}, SilentReporter())
    assert result["tiles"] == len(tile_grid(300, 300, 64, 32))


def test_a_tile_larger_than_the_raster_is_filled_with_its_mirror_image(tmp_path, window_model):
    """Past the raster's edge a large tile holds the raster mirrored, not a NoData edge (which the shipped
    optical model took for a front along the last row of a 300-row scene in a 320 px tile)."""
    scene = make_raster(tmp_path / "s.tif", 70, 50, bands=1, seed=3)
    pkg = load_package(window_model)
    plan = plan_of(scene, pkg, 0)
    assert plan.tile == 96 and plan.mirror_beyond
    with rasterio.open(scene) as src:
        x = read_tile(src, pkg, plan, Tile(0, 0, 70, 50))
    np.testing.assert_array_equal(x[:, 70:, :50], x[:, 69 - 25 : 69 - 25 + 26, :50][:, ::-1][:, :26])
    np.testing.assert_array_equal(x[:, :70, 50:], x[:, :70, 4:50][:, :, ::-1])
