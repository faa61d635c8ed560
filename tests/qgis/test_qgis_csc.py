"""Headless QGIS: CSC Refine through ``qgis_process.bin`` with the real engine (same set-up as
tests/test_qgis_process.py): a synthetic 7-class scene whose coarse map is a tile majority map,
polygons drawn as the coarse map, and the bad inputs a user really gives it."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from helpers import engine_python, synthetic
from qgis_helpers import assert_failed_cleanly, needs_qgis_process, read, run, same_crs

pytestmark = needs_qgis_process

CSC = "glacierterminus:cscrefine"
FAST = {"SAMPLES_PER_CLASS": 800, "EPOCHS": 8}


@pytest.fixture(scope="module")
def csc_scene(engine_ready, tmp_path_factory):  # noqa: F811, ARG001
    """A 240 x 200 px optical scene, its 7-class truth and a 40 px tile-majority coarse map of it."""
    folder = tmp_path_factory.mktemp("csc")
    synthetic(folder / "image.tif", width=240, height=200, seed=5, surface=folder / "truth.tif")
    code = f"""
import rasterio
from glacier_terminus.core.synthetic.scenes import tile_majority
with rasterio.open({str(folder / 'truth.tif')!r}) as ds:
    truth, profile = ds.read(1), ds.profile
with rasterio.open({str(folder / 'coarse.tif')!r}, "w", **profile) as dst:
    dst.write(tile_majority(truth, 40), 1)
"""
    done = engine_python(code)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def test_refines_a_tile_majority_map(qgis_process, csc_scene, tmp_path):  # noqa: F811
    out = {"OUTPUT": tmp_path / "refined.tif", "OUTPUT_METRICS": tmp_path / "metrics.csv",
           "REPORT": tmp_path / "report.html"}
    done, results = run(qgis_process, CSC, INPUT=csc_scene / "image.tif", COARSE=csc_scene / "coarse.tif",
                        VALIDATION=csc_scene / "truth.tif", PATCH_SIZE=3, MODAL_FILTER=1, **FAST, **out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["WEIGHTED_F1"] > results["COARSE_WEIGHTED_F1"] + 0.03, results
    data, info = read(out["OUTPUT"])
    _, src = read(csc_scene / "image.tif")
    assert info["size"] == src["size"] and info["dtype"] == "Byte" and info["colors"]
    assert info["transform"] == pytest.approx(src["transform"]) and same_crs(info["wkt"], src["wkt"])
    assert set(np.unique(data).tolist()) <= set(range(1, 8))
    with open(out["OUTPUT_METRICS"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    weighted = {r["map"]: float(r["f1"]) for r in rows if r["name"] == "weighted avg"}
    assert weighted["refined"] == pytest.approx(results["WEIGHTED_F1"], abs=1e-3)
    assert "glacier ice" in {r["name"] for r in rows}  # SEE_ICE's names: the coarse map has no colour table
    assert out["REPORT"].read_text(encoding="utf-8").count("data:image/png;base64,") == 2


def test_polygons_drawn_roughly_as_the_coarse_map(qgis_process, csc_scene, tmp_path):  # noqa: F811
    _, src = read(csc_scene / "image.tif")
    x0, cell, _, y0 = src["transform"][0], src["transform"][1], None, src["transform"][3]

    def box(c0, r0, c1, r1):
        ring = [(c0, r0), (c1, r0), (c1, r1), (c0, r1), (c0, r0)]
        return {"type": "Polygon", "coordinates": [[[x0 + cell * c, y0 - cell * r] for c, r in ring]]}

    drawn = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3413"}},
             "features": [
                 {"type": "Feature", "properties": {"surface": "open water"}, "geometry": box(90, 170, 150, 195)},
                 {"type": "Feature", "properties": {"surface": "rock"}, "geometry": box(2, 150, 25, 195)},
                 {"type": "Feature", "properties": {"surface": "snow"}, "geometry": box(90, 5, 150, 20)},
             ]}
    (tmp_path / "drawn.geojson").write_text(json.dumps(drawn), encoding="utf-8")
    done, results = run(qgis_process, CSC, INPUT=csc_scene / "image.tif", COARSE=tmp_path / "drawn.geojson",
                        CLASS_FIELD="surface", OUTPUT=tmp_path / "refined.tif", **FAST)
    assert done.returncode == 0, done.stdout + done.stderr
    data, _ = read(tmp_path / "refined.tif")
    assert set(np.unique(data).tolist()) <= {1, 2, 3} and (data > 0).all()
    assert results["WEIGHTED_F1"] > 0.5 and results["COARSE_WEIGHTED_F1"] is None


@pytest.mark.parametrize("patch", ["2", "0", "9"])
def test_patch_sizes_outside_the_list_are_rejected_by_the_parameter(qgis_process, csc_scene, tmp_path, patch):  # noqa: F811
    before = sorted(p.name for p in tmp_path.iterdir())
    done, _ = run(qgis_process, CSC, INPUT=csc_scene / "image.tif", COARSE=csc_scene / "coarse.tif",
                  PATCH_SIZE=patch, OUTPUT=tmp_path / "refined.tif")
    assert_failed_cleanly(done, tmp_path, before, "PATCH_SIZE")


def test_a_coarse_map_of_one_class_is_a_clear_error(qgis_process, csc_scene, tmp_path):  # noqa: F811
    one, out = tmp_path / "one.tif", tmp_path / "out"  # QGIS keeps statistics beside inputs (.aux.xml)
    out.mkdir()
    code = f"""
import numpy as np, rasterio
with rasterio.open({str(csc_scene / 'coarse.tif')!r}) as ds:
    profile = ds.profile
with rasterio.open({str(one)!r}, "w", **profile) as dst:
    dst.write(np.full((profile["height"], profile["width"]), 4, np.uint8), 1)
"""
    assert engine_python(code).returncode == 0
    done, _ = run(qgis_process, CSC, INPUT=csc_scene / "image.tif", COARSE=one, OUTPUT=out / "refined.tif",
                  OUTPUT_METRICS=out / "metrics.csv", REPORT=out / "report.html")
    assert_failed_cleanly(done, out, [], "one class only (4 glacier ice)", "nothing to learn")


def test_a_coarse_map_on_another_grid_is_resampled_with_a_warning(qgis_process, csc_scene, tmp_path):  # noqa: F811
    code = f"""
import rasterio
from rasterio.transform import Affine
with rasterio.open({str(csc_scene / 'coarse.tif')!r}) as ds:
    data, profile = ds.read(1)[::40, ::40], ds.profile
profile.update(width=data.shape[1], height=data.shape[0], transform=profile["transform"] * Affine.scale(40))
with rasterio.open({str(tmp_path / 'tiles.tif')!r}, "w", **profile) as dst:
    dst.write(data, 1)
"""
    assert engine_python(code).returncode == 0
    done, results = run(qgis_process, CSC, INPUT=csc_scene / "image.tif", COARSE=tmp_path / "tiles.tif",
                        VALIDATION=csc_scene / "truth.tif", OUTPUT=tmp_path / "refined.tif", **FAST)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "COARSE is on another grid than INPUT: resampled to INPUT's grid, nearest neighbour" in done.stdout
    assert results["WEIGHTED_F1"] > results["COARSE_WEIGHTED_F1"]
