"""Headless QGIS: Export Training Tiles and Train Terminus Model through ``qgis_process.bin``,
then Classify Pixels with the trained package (how qgis_process is run: see test_qgis_process.py)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import synthetic
from qgis_helpers import QGIS_PROCESS, needs_qgis_process, read

EXPORT = "glacierterminus:exporttrainingtiles"
TRAIN = "glacierterminus:trainterminusmodel"
CLASSIFY = "glacierterminus:classifypixels"

pytestmark = needs_qgis_process


@pytest.fixture(scope="module")
def qgis_process(qgis_env):  # noqa: F811
    """``qgis_process(*args)``, its engine on one intra-op thread (64 px tiles gain little from
    more, and a busy shared CPU loses a lot)."""
    env = {**qgis_env, "OMP_NUM_THREADS": "1"}

    def run(*args, timeout=600):
        return subprocess.run([QGIS_PROCESS, *map(str, args)], env=env, capture_output=True, text=True,
                              timeout=timeout)

    return run


def run(qgis_process, alg: str, timeout=600, **params):  # noqa: F811
    """Run an algorithm with ``--json``; returns (CompletedProcess, results dict or None)."""
    done = qgis_process("--json", "run", alg, "--", *(f"{k}={v}" for k, v in params.items()), timeout=timeout)
    return done, json.loads(done.stdout)["results"] if done.returncode == 0 else None


@pytest.fixture(scope="module")
def scenes(engine_ready, tmp_path_factory):  # noqa: F811
    """Two small synthetic optical scenes (EPSG:3413, 30 m) with their zone rasters."""
    folder = tmp_path_factory.mktemp("scenes")
    out = []
    for seed in (1, 2):
        image = synthetic(folder / f"scene{seed}.tif", width=128, height=128, seed=seed,
                          zones=folder / f"zones{seed}.tif")
        out.append((image, folder / f"zones{seed}.tif"))
    return out


def test_help_describes_every_parameter(qgis_process):  # noqa: F811
    for alg, names in ((EXPORT, ("INPUT", "LABELS", "CLASS_FIELD", "LINE_WIDTH", "TILE_SIZE", "STRIDE", "CELL_SIZE",
                                 "MIN_LABELED", "GROUP", "OUTPUT", "TILES")),
                       (TRAIN, ("DATASETS", "ARCHITECTURE", "EPOCHS", "BATCH_SIZE", "LEARNING_RATE", "VALIDATION",
                                "VALIDATION_GROUPS", "PATIENCE", "AUGMENT", "FLOW", "DEVICE", "INIT_WEIGHTS", "RESUME",
                                "MONITOR", "CLASS_WEIGHTING", "DICE_WEIGHT", "SEED", "OUTPUT_MODEL", "REPORT",
                                "BEST_EPOCH", "MEAN_IOU"))):
        done = qgis_process("help", alg)
        assert done.returncode == 0, done.stderr
        description, listed = done.stdout.split("Arguments", 1)
        for name in names:
            assert f"({name}" in description, f"{alg}: {name} is not explained"
            assert f"\n{name}:" in listed, f"{alg}: {name} is not among the arguments and outputs"


def test_polygon_labels_in_another_crs_rasterise_on_the_raster(qgis_process, scenes, tmp_path):  # noqa: F811
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    image, _ = scenes[0]
    _, info = read(image)
    x0, cell, _, y0, _, _ = info["transform"]
    # rows 10..49, cols 20..59 of the raster, written in EPSG:4326
    corners = [(x0 + cell * 20, y0 - cell * 10), (x0 + cell * 60, y0 - cell * 10), (x0 + cell * 60, y0 - cell * 50),
               (x0 + cell * 20, y0 - cell * 50)]
    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:3413"),
                                      QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    ring = [[p.x(), p.y()] for p in (to_wgs84.transform(QgsPointXY(x, y)) for x, y in corners + corners[:1])]
    labels = tmp_path / "labels.geojson"
    labels.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"kind": "glacier ice"}, "geometry": {"type": "Polygon",
                                                                               "coordinates": [ring]}}]}))
    out = tmp_path / "tiles"
    done, results = run(qgis_process, EXPORT, INPUT=image, LABELS=labels, CLASS_FIELD="kind", TILE_SIZE=64,
                        STRIDE=64, MIN_LABELED=0.1, OUTPUT=out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert Path(results["OUTPUT"]) == out and results["TILES"] == 1, "only the top-left tile is 10% labelled"
    meta = json.loads((out / "dataset.json").read_text())
    assert [(c["value"], c["name"], c["role"]) for c in meta["classes"]] == [(1, "glacier ice", "glacier")]
    [tile] = meta["tiles"]
    assert (tile["row"], tile["col"]) == (0, 0)
    chip, _ = read(out / tile["label"])
    expected = np.zeros((64, 64), np.uint8)
    expected[10:50, 20:60] = 1
    assert (chip[0] == expected).all()


def test_tiles_train_a_model_that_classifies_through_qgis_process(qgis_process, scenes, tmp_path):  # noqa: F811
    tiles = tmp_path / "tiles"
    for (image, zones), group in zip(scenes, ("west", "east"), strict=False):
        done, results = run(qgis_process, EXPORT, INPUT=image, LABELS=zones, TILE_SIZE=64, STRIDE=64,
                            MIN_LABELED=0, GROUP=group, OUTPUT=tiles)
        assert done.returncode == 0, done.stdout + done.stderr
        assert results["TILES"] == 4
    model = tmp_path / "model"
    done, results = run(qgis_process, TRAIN, DATASETS=tiles, ARCHITECTURE="hrnet_w18_small", EPOCHS=2,
                        BATCH_SIZE=2, LEARNING_RATE=0.003, VALIDATION_GROUPS="east", FLOW="down", DEVICE="cpu",
                        OUTPUT_MODEL=model, REPORT=tmp_path / "report.html")
    assert done.returncode == 0, done.stdout + done.stderr
    assert Path(results["OUTPUT_MODEL"]) == model and Path(results["REPORT"]) == tmp_path / "report.html"
    assert results["BEST_EPOCH"] in (1, 2) and 0 <= results["MEAN_IOU"] <= 1
    assert "Epoch 2/2" in done.stdout + done.stderr
    meta = json.loads((model / "model.json").read_text())
    assert meta["training"]["sources"]["validation"] == ["scene2"]
    assert meta["flow"] == "down", "the synthetic glaciers flow down the image"
    assert (tmp_path / "report.html").read_text().count("data:image/png;base64,") == 3

    out = tmp_path / "classes.tif"
    done, _ = run(qgis_process, CLASSIFY, INPUT=scenes[1][0], MODEL=model, OUTPUT=out, FLOW="right", DEVICE="cpu")
    assert done.returncode == 0, done.stdout + done.stderr
    classes, info = read(out)
    assert info["size"] == (128, 128)
    assert set(np.unique(classes).tolist()) <= {1, 2, 3} and len(np.unique(classes)) >= 1


def test_a_raster_smaller_than_the_tile_is_padded_with_a_warning(qgis_process, engine_ready, tmp_path):  # noqa: F811
    image = synthetic(tmp_path / "small.tif", width=48, height=40, zones=tmp_path / "zones.tif")
    done, results = run(qgis_process, EXPORT, INPUT=image, LABELS=tmp_path / "zones.tif", TILE_SIZE=64,
                        OUTPUT=tmp_path / "tiles")
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["TILES"] == 1
    assert "smaller than TILE_SIZE 64 px along its height and width" in done.stdout + done.stderr


def test_bad_tile_size_fails_cleanly(qgis_process, scenes, tmp_path):  # noqa: F811
    image, zones = scenes[0]
    done, _ = run(qgis_process, EXPORT, INPUT=image, LABELS=zones, TILE_SIZE=50, OUTPUT=tmp_path / "tiles")
    assert done.returncode != 0
    assert "TILE_SIZE must be a multiple of 32" in done.stdout + done.stderr
    assert not (tmp_path / "tiles").exists()


def test_a_folder_without_dataset_json_fails_cleanly(qgis_process, tmp_path):  # noqa: F811
    (tmp_path / "empty").mkdir()
    done, _ = run(qgis_process, TRAIN, DATASETS=tmp_path / "empty", DEVICE="cpu", OUTPUT_MODEL=tmp_path / "model")
    assert done.returncode != 0
    assert "has no dataset.json" in done.stdout + done.stderr
    assert not (tmp_path / "model").exists()
