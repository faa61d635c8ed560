"""Headless QGIS: the plugin through ``qgis_process.bin``, end to end with the real engine.

How qgis_process is run here (the Makefile and CI do the same):

* ``qgis_process.bin``, not ``/usr/bin/qgis_process`` (3.22's wrapper adds a flag 3.22
  rejects), with ``QT_QPA_PLATFORM=offscreen``;
* ``QGIS_PLUGINPATH`` = the folder holding the ``glacier_terminus`` link (build/plugins);
* ``QGIS_CUSTOM_CONFIG_PATH`` = a fresh temporary folder, so the QGIS profile (and the
  "enabled plugins" list in it) never depends on the machine's state;
* ``qgis_process.bin plugins enable glacier_terminus`` once per profile, then
  ``qgis_process.bin run glacierterminus:classifypixels -- INPUT=... MODEL=... OUTPUT=...``.

The end-to-end tests need the engine (``glacier_terminus.core.segmentation.inference`` importable by
the interpreter running pytest, which is the engine's venv): they skip otherwise. Scenes
come from the engine's ``synthetic`` command, models from ``save_package`` (random
weights, via tests/helpers.py) or the shipped ``models/default``. Rasters are read back
with QGIS's GDAL (``osgeo``); torch and rasterio only ever run in subprocesses here.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import synthetic
from osgeo import gdal, osr
from qgis_helpers import DEFAULT_MODEL, model_classes, needs_qgis_process, read, same_crs

ALG_ID = "glacierterminus:classifypixels"

pytestmark = needs_qgis_process


# --- qgis_process with a throw-away profile ------------------------------------------------


def classify(qgis_process, **params):
    """Run classifypixels with ``--json``; returns (CompletedProcess, results dict or None)."""
    args = ["--json", "run", ALG_ID, "--"] + [f"{k}={v}" for k, v in params.items()]
    done = qgis_process(*args)
    results = None
    if done.returncode == 0:
        results = json.loads(done.stdout)["results"]
    return done, results


def test_plugin_is_enabled_in_the_fresh_profile(qgis_process):
    done = qgis_process("plugins")
    assert done.returncode == 0
    assert "* glacier_terminus" in done.stdout


def test_list_shows_the_algorithms(qgis_process):
    done = qgis_process("list")
    assert done.returncode == 0, done.stderr
    assert "Glacier Terminus" in done.stdout
    assert ALG_ID in done.stdout


def test_help_describes_every_parameter(qgis_process):
    done = qgis_process("help", ALG_ID)
    assert done.returncode == 0, done.stderr
    assert "Classify Pixels (HRNet)" in done.stdout
    for name in ("INPUT", "MODEL", "PADDING", "BATCH_SIZE", "CELL_SIZE", "DEVICE", "TTA", "EXTENT",
                 "MASK", "OUTPUT", "OUTPUT_PROBABILITIES"):
        assert f"{name}:" in done.stdout, name
    assert "model.json" in done.stdout


# --- test data -----------------------------------------------------------------------------


def assert_failed_cleanly(done, output: Path, *phrases: str):
    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    assert not output.exists(), f"{output} was left behind"
    assert not list(output.parent.glob(output.stem + "*partial*")), "a partial file was left behind"
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text}"


# --- end to end ----------------------------------------------------------------------------


def test_classify_end_to_end(qgis_process, scene, model, tmp_path):
    out, prob = tmp_path / "classes.tif", tmp_path / "prob.tif"
    done, results = classify(qgis_process, INPUT=scene, MODEL=model, OUTPUT=out, OUTPUT_PROBABILITIES=prob,
                             DEVICE="cpu", BATCH_SIZE=2, PADDING=8)
    assert done.returncode == 0, done.stdout + done.stderr
    assert Path(results["OUTPUT"]) == out and Path(results["OUTPUT_PROBABILITIES"]) == prob
    src, src_info = read(scene)
    classes, info = read(out)
    assert info["size"] == src_info["size"] and info["count"] == 1
    assert info["transform"] == pytest.approx(src_info["transform"])
    assert same_crs(info["wkt"], src_info["wkt"])
    assert info["dtype"] == "Byte" and info["colors"]
    values = set(np.unique(classes).tolist())
    assert values <= model_classes(model) | {0}
    assert values & model_classes(model), "no class at all"
    probs, pinfo = read(prob)
    assert pinfo["count"] == len(model_classes(model)) and pinfo["dtype"] == "Float32"
    assert pinfo["size"] == src_info["size"]


def test_classify_with_tta(qgis_process, small_scene, model, tmp_path):
    out = tmp_path / "tta.tif"
    done, _ = classify(qgis_process, INPUT=small_scene, MODEL=model, OUTPUT=out, DEVICE="cpu", TTA=1)
    assert done.returncode == 0, done.stdout + done.stderr
    classes, info = read(out)
    assert info["size"] == read(small_scene)[1]["size"]
    assert set(np.unique(classes).tolist()) <= model_classes(model) | {0}


def test_temporary_output_is_a_geotiff(qgis_process, small_scene, model):
    # qgis_process deletes its temporary folder when it exits: only the name can be checked
    done, results = classify(qgis_process, INPUT=small_scene, MODEL=model, OUTPUT="TEMPORARY_OUTPUT",
                             DEVICE="cpu")
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["OUTPUT"].endswith(".tif")
    assert results["OUTPUT_PROBABILITIES"] in (None, "")


def assert_on_the_input_grid(info: dict, src_info: dict):
    """Same CRS and cell size, origin shifted by whole cells."""
    assert same_crs(info["wkt"], src_info["wkt"])
    x0, cx, _, y0, _, cy = src_info["transform"]
    x1, dx, _, y1, _, dy = info["transform"]
    assert (dx, dy) == pytest.approx((cx, cy))
    assert (x1 - x0) / cx == pytest.approx(round((x1 - x0) / cx), abs=1e-6)
    assert (y1 - y0) / cy == pytest.approx(round((y1 - y0) / cy), abs=1e-6)


def test_extent_limits_the_output(qgis_process, scene, model, tmp_path):
    _, src_info = read(scene)
    x0, cell, _, y0, _, _ = src_info["transform"]
    width, height = src_info["size"]
    # the left half of the raster, with an explicit CRS tag
    extent = f"{x0},{x0 + cell * width / 2},{y0 - cell * height},{y0} [EPSG:3413]"
    out = tmp_path / "half.tif"
    done, _ = classify(qgis_process, INPUT=scene, MODEL=model, OUTPUT=out, DEVICE="cpu", EXTENT=extent)
    assert done.returncode == 0, done.stdout + done.stderr
    classes, info = read(out)
    assert_on_the_input_grid(info, src_info)
    assert info["transform"][0] == pytest.approx(x0) and info["transform"][3] == pytest.approx(y0)
    assert info["size"] == (width // 2, height)
    assert (classes > 0).all()


def test_mask_in_wgs84_limits_the_output(qgis_process, scene, model, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    _, src_info = read(scene)
    x0, cell, _, y0, _, _ = src_info["transform"]
    width, height = src_info["size"]
    # a diamond over the middle of the raster, written in EPSG:4326
    cx, cy = x0 + cell * width / 2, y0 - cell * height / 2
    r = cell * 40
    diamond = [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy), (cx, cy - r)]
    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:3413"),
                                      QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    ring = [[p.x(), p.y()] for p in (to_wgs84.transform(QgsPointXY(x, y)) for x, y in diamond)]
    mask = tmp_path / "mask.geojson"
    mask.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    out = tmp_path / "masked.tif"
    done, _ = classify(qgis_process, INPUT=scene, MODEL=model, OUTPUT=out, DEVICE="cpu", MASK=mask)
    assert done.returncode == 0, done.stdout + done.stderr
    classes, info = read(out)
    assert_on_the_input_grid(info, src_info)
    w, h = info["size"]
    assert 78 <= w <= 82 and 78 <= h <= 82, "the output covers the mask's bounding box"
    assert classes[0, h // 2, w // 2] > 0, "the mask's centre is classified"
    for corner in (classes[0, :8, :8], classes[0, :8, -8:], classes[0, -8:, :8], classes[0, -8:, -8:]):
        assert corner.max() == 0, "outside the polygon is NoData"


def test_the_shipped_default_model_runs_when_present(qgis_process, scene, tmp_path):
    if not (DEFAULT_MODEL / "model.json").is_file():
        pytest.skip(f"no shipped model in {DEFAULT_MODEL} yet")
    meta = json.loads((DEFAULT_MODEL / "model.json").read_text(encoding="utf-8"))
    bands = len(meta["bands"])
    assert 1 <= bands <= 4, "the shipped model reads at most the scene's 4 bands"
    out = tmp_path / "default.tif"
    # MODEL left at its default; the model reads the first of the scene's bands it needs
    done, _ = classify(qgis_process, INPUT=scene, OUTPUT=out, DEVICE="cpu",
                       BANDS=",".join(str(b) for b in range(1, bands + 1)))
    assert done.returncode == 0, done.stdout + done.stderr
    classes, _ = read(out)
    assert set(np.unique(classes).tolist()) <= model_classes(DEFAULT_MODEL) | {0}


def test_cancel_stops_the_real_engine_and_leaves_no_file(engine_ready, model, tmp_path):  # noqa: ARG001
    """In-process run_engine (as the algorithm uses it) against the real engine: cancel mid-run."""
    import time

    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from glacier_terminus.glacier_provider.engine import run_engine

    big = synthetic(tmp_path / "big.tif", width=1536, height=1536)

    class CancelOnProgress(QgsProcessingFeedback):
        cancelled_at = None

        def setProgress(self, progress):  # noqa: N802
            super().setProgress(progress)
            if progress > 0 and self.cancelled_at is None:
                self.cancelled_at = time.monotonic()
                self.cancel()

    out = tmp_path / "out.tif"
    job = {"input": str(big), "model": str(model), "output": str(out), "output_probabilities": None,
           "padding": None, "batch_size": 2, "cell_size": 0.0, "device": "cpu", "tta": 1,
           "extent": None, "mask": None}
    feedback = CancelOnProgress()
    with pytest.raises(QgsProcessingException, match="^Cancelled.$"):
        run_engine("classify", job, feedback, python=sys.executable)
    assert feedback.cancelled_at is not None, "the engine reported no progress"
    assert time.monotonic() - feedback.cancelled_at < 15
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.tif"], "cancelled run left files"


# --- failures: non-zero exit, a clear message, no output file ------------------------------


@pytest.fixture
def model_stub(tmp_path):
    """A folder that passes the algorithm's early checks (for failures that come before the engine)."""
    path = tmp_path / "stub-model"
    path.mkdir()
    (path / "model.json").write_text("{}")
    (path / "weights.safetensors").write_bytes(b"")
    return path


def make_raster(path: Path, bands: int = 4) -> Path:
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 40, 30, bands, gdal.GDT_UInt16)
    ds.SetGeoTransform((-200000.0, 30.0, 0, -2200000.0, 0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3413)
    ds.SetProjection(srs.ExportToWkt())
    ds = None
    return path


def test_missing_input_fails(qgis_process, model_stub, tmp_path):
    out = tmp_path / "out.tif"
    done, _ = classify(qgis_process, INPUT=tmp_path / "nowhere.tif", MODEL=model_stub, OUTPUT=out)
    assert_failed_cleanly(done, out, "INPUT")


def test_non_raster_input_fails(qgis_process, model_stub, tmp_path):
    fake = tmp_path / "notes.tif"
    fake.write_text("a text file renamed .tif\n")
    out = tmp_path / "out.tif"
    done, _ = classify(qgis_process, INPUT=fake, MODEL=model_stub, OUTPUT=out)
    assert_failed_cleanly(done, out, "INPUT")


def test_model_without_weights_fails(qgis_process, tmp_path):
    raster = make_raster(tmp_path / "in.tif")
    model = tmp_path / "no-weights"
    model.mkdir()
    (model / "model.json").write_text("{}")
    out = tmp_path / "out.tif"
    done, _ = classify(qgis_process, INPUT=raster, MODEL=model, OUTPUT=out)
    assert_failed_cleanly(done, out, "weights.safetensors")


@pytest.mark.parametrize("content", [
    {"type": "FeatureCollection", "features": []},
    {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"a": 1}, "geometry": None}]},
], ids=["no features", "null geometry"])
def test_empty_mask_fails(qgis_process, model_stub, tmp_path, content):
    raster = make_raster(tmp_path / "in.tif")
    mask = tmp_path / "empty.geojson"
    mask.write_text(json.dumps(content))
    out = tmp_path / "out.tif"
    done, _ = classify(qgis_process, INPUT=raster, MODEL=model_stub, OUTPUT=out, MASK=mask)
    assert_failed_cleanly(done, out, "MASK has no polygons")


def test_band_count_mismatch_fails_in_the_engine(qgis_process, sar_scene, model, tmp_path):
    out = tmp_path / "out.tif"
    done, _ = classify(qgis_process, INPUT=sar_scene, MODEL=model, OUTPUT=out, DEVICE="cpu")
    assert_failed_cleanly(done, out, "INPUT has 1 band(s)", "expects 4")


def test_broken_weights_fail_in_the_engine(qgis_process, small_scene, model, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(model, broken)
    (broken / "weights.safetensors").write_bytes(b"not safetensors")
    out = tmp_path / "out.tif"
    done, _ = classify(qgis_process, INPUT=small_scene, MODEL=broken, OUTPUT=out, DEVICE="cpu")
    assert_failed_cleanly(done, out, "weights")


def test_a_folder_of_scenes_in_a_loop(qgis_process, model, tmp_path):
    """Batch use: every scene of a folder through qgis_process, one run each, as a shell loop does."""
    scenes = tmp_path / "scenes"
    scenes.mkdir()
    for seed in (1, 2):
        synthetic(scenes / f"scene_{seed}.tif", width=96, height=80, seed=seed)
    out = tmp_path / "classes"
    out.mkdir()
    for scene in sorted(scenes.glob("*.tif")):
        done, results = classify(qgis_process, INPUT=scene, MODEL=model, OUTPUT=out / scene.name, DEVICE="cpu")
        assert done.returncode == 0, done.stdout + done.stderr
        assert Path(results["OUTPUT"]) == out / scene.name
    assert sorted(p.name for p in out.iterdir()) == ["scene_1.tif", "scene_2.tif"]
    for path in out.iterdir():
        data, info = read(path)
        assert info["size"] == (96, 80) and set(np.unique(data).tolist()) <= model_classes(model)
