"""Real SAR scenes (CaFFe, ``../shared/data/caffe256``, never copied into the repository) through
the engine and ``qgis_process.bin``: a short training of a zones-and-front model that lowers its
loss, its package classifying a CaFFe scene in QGIS with the route it records carried to Extract
Calving Front, and the refine chain with the shipped SAR model. The tests skip, saying so, when
the data (or, for the chain, the shipped SAR model) is absent.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from helpers import CAFFE, PLUGIN_DIR
from qgis_helpers import QGIS_PROCESS, read, run

from glacier_terminus.core.data.caffe_dataset import export_caffe_job
from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.fronts.extract import extract_front_job
from glacier_terminus.core.segmentation.package import record_recipe
from glacier_terminus.core.segmentation.shipped_models import shipped_model_path

SCENE = "JAC_2009-06-21_TSX_6_1_005"
pytestmark = [
    pytest.mark.skipif(not (CAFFE / "images").is_dir(), reason=f"the CaFFe data is not at {CAFFE} (it lives beside "
                                                               "the checkout)"),
    pytest.mark.skipif(not os.path.isfile(QGIS_PROCESS), reason="qgis_process.bin is not installed"),
]
REFINE_CHAIN = PLUGIN_DIR / "models" / "classify_refine_extract_evaluate.model3"


def caffe_subset(folder: Path, per_glacier: int) -> Path:
    """A CaFFe-layout folder of links to the first scenes of each glacier (nothing copied)."""
    for sub in ("images", "zones", "fronts"):
        (folder / sub).mkdir(parents=True)
    for glacier in ("JAC", "DBE", "SI", "Jorum"):
        for image in sorted((CAFFE / "images").glob(f"{glacier}_*.png"))[:per_glacier]:
            name = image.stem
            for sub, suffix in (("images", ""), ("zones", "_zones"), ("fronts", "_front")):
                (folder / sub / f"{name}{suffix}.png").symlink_to(CAFFE / sub / f"{name}{suffix}.png")
    return folder


@pytest.fixture(scope="module")
def sar_model(tmp_path_factory):
    """A zones-and-front package trained for three epochs on 12 CaFFe scenes, recording its route."""
    from glacier_terminus.core.engine.cli import run_job

    root = tmp_path_factory.mktemp("caffe")
    export_caffe_job({"input": str(caffe_subset(root / "data", 3)), "output": str(root / "tiles")}, SilentReporter())
    model = root / "model"
    result = run_job("train", {"datasets": [str(root / "tiles")], "output_model": str(model),
                               "architecture": "mobilenetv3_unet",
                        "epochs": 3, "batch_size": 4, "learning_rate": 3e-3, "validation": 0.0, "patience": 0,
                        "augment": ["flip"], "normalisation": "tile", "device": "cpu", "seed": 0},
                       SilentReporter())
    record_recipe(model, imagery="sar", front_extraction={"method": "zone_boundary", "keep": "main"})
    return model, result


def test_a_short_training_on_caffe_scenes_lowers_the_loss(sar_model):
    model, _ = sar_model
    meta = json.loads((model / "model.json").read_text())
    losses = [epoch["train_loss"] for epoch in meta["training"]["history"]]
    assert len(losses) == 3 and losses[-1] < losses[0], losses
    assert [c["role"] for c in meta["classes"]] == ["no_information", "rock", "glacier", "ocean", "front"]


def test_the_trained_package_classifies_a_caffe_scene_through_qgis_process(qgis_process, engine_ready, sar_model,  # noqa: F811
                                                                           tmp_path):
    model, _ = sar_model
    classes, probabilities = tmp_path / "classes.tif", tmp_path / "probabilities.tif"
    done, results = run(qgis_process, "glacierterminus:classifypixels", INPUT=CAFFE / "images" / f"{SCENE}.png",
                        MODEL=model, OUTPUT=classes, OUTPUT_PROBABILITIES=probabilities, DEVICE="cpu")
    assert done.returncode == 0, done.stdout + done.stderr
    data, info = read(classes)
    assert info["size"] == (256, 256) and set(np.unique(data).tolist()) <= {1, 2, 3, 4, 5}
    # METHOD auto, no MODEL: the route the package records comes with the class raster
    done, results = run(qgis_process, "glacierterminus:extractcalvingfront", INPUT=classes,
                        PROBABILITIES=probabilities, OUTPUT=tmp_path / "front.gpkg")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the model's recorded route, zone boundary" in done.stdout + done.stderr


@pytest.mark.skipif(not (shipped_model_path("sar_zones") / "model.json").is_file(),
                    reason="the shipped SAR model is not in models/caffe-sar")
def test_the_refine_chain_runs_the_shipped_sar_model_on_a_caffe_scene(qgis_process, engine_ready, tmp_path):  # noqa: F811
    reference = tmp_path / "reference.gpkg"
    extract_front_job({"input": str(CAFFE / "fronts" / f"{SCENE}_front.png"), "method": "front_class",
                       "front_class": 255, "smoothing": 0.0, "min_length": 0.0, "output": str(reference)},
                      SilentReporter())
    out = tmp_path / "out"
    out.mkdir()
    paths = {"classify:CLASSES": out / "classes.tif", "refine:REFINED": out / "refined.tif",
             "refine:REPORT": out / "csc.html", "extract:FRONTS": out / "fronts.gpkg",
             "evaluate:ERRORS": out / "errors.csv", "evaluate:REPORT": out / "report.html"}
    done, results = run(qgis_process, REFINE_CHAIN, INPUT=CAFFE / "images" / f"{SCENE}.png",
                        MODEL=shipped_model_path("sar_zones"), REFERENCE=reference, PATCH_SIZE=1, **paths)
    assert done.returncode == 0, done.stdout + done.stderr
    refined, _ = read(paths["refine:REFINED"])
    assert set(np.unique(refined).tolist()) <= {1, 2, 3, 4, 5}
    assert results["evaluate:EVALUATED"] == 1 and results["evaluate:UNITS"] == "px"
    assert results["evaluate:MISSING_PREDICTIONS"] == 0 and 0 <= results["evaluate:MEAN_DISTANCE"] < 256
    # refined classes are zones: the chain takes their boundary, not the model's route for its own output
    assert "the model's recorded route" not in done.stdout + done.stderr
    with sqlite3.connect(paths["extract:FRONTS"]) as db:
        assert {m for (m,) in db.execute("SELECT method FROM fronts")} == {"zone boundary"}
