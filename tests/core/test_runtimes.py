"""The inference runtimes: torch and onnxruntime give the same classes, RUNTIME auto's choice, the ONNX
export's cache, and an engine that classifies with onnxruntime without importing torch."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import rasterio
from helpers import engine_env, make_package, make_raster

from glacier_terminus.core.choices import INFERENCE_RUNTIMES
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.segmentation import runtimes
from glacier_terminus.core.segmentation.inference import classify_job
from glacier_terminus.core.segmentation.package import load_package

needs_onnxruntime = pytest.mark.skipif(not (runtimes.installed("onnxruntime") and runtimes.installed("onnx")),
                                       reason="onnxruntime and onnx are not installed (requirements.txt)")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return make_package(tmp_path_factory.mktemp("model") / "m", bands=1, tile=64, n_classes=3, seed=5)


def test_every_runtime_choice_but_auto_is_registered():
    assert set(INFERENCE_RUNTIMES[1:]) == set(runtimes.RUNTIMES) and INFERENCE_RUNTIMES[0] == "auto"


@needs_onnxruntime
@pytest.mark.parametrize("tta", [0, 1])
def test_onnxruntime_gives_torchs_classes_and_probabilities(tmp_path, model, tta):
    scene = make_raster(tmp_path / "scene.tif", 150, 130, bands=1, seed=2)
    out = {}
    for name in ("torch", "onnxruntime"):
        result = classify_job({"input": str(scene), "model": str(model), "output": str(tmp_path / f"{name}.tif"),
                               "output_probabilities": str(tmp_path / f"{name}_p.tif"), "device": "cpu",
                               "runtime": name, "tta": tta}, SilentReporter())
        assert result["runtime"] == name
        with rasterio.open(tmp_path / f"{name}.tif") as c, rasterio.open(tmp_path / f"{name}_p.tif") as p:
            out[name] = (c.read(), p.read())
    np.testing.assert_array_equal(out["torch"][0], out["onnxruntime"][0])
    np.testing.assert_allclose(out["torch"][1], out["onnxruntime"][1], atol=1e-4)


def test_auto_takes_onnxruntime_on_the_cpu_when_installed_and_torch_otherwise(monkeypatch):
    monkeypatch.setattr(runtimes, "installed", lambda module: True)
    assert runtimes.pick_runtime("auto", "cpu") == "onnxruntime"
    assert runtimes.pick_runtime("auto", "cuda") == "torch"
    monkeypatch.setattr(runtimes, "installed", lambda module: module != "onnxruntime")
    assert runtimes.pick_runtime("auto", "cpu") == "torch"
    with pytest.raises(EngineError, match="RUNTIME onnxruntime is not installed"):
        runtimes.pick_runtime("onnxruntime", "cpu")
    monkeypatch.setattr(runtimes, "installed", lambda module: True)
    with pytest.raises(EngineError, match="RUNTIME onnxruntime runs on the CPU"):
        runtimes.pick_runtime("onnxruntime", "cuda")


@needs_onnxruntime
def test_the_export_is_cached_by_weights_and_made_again_for_other_weights(tmp_path, monkeypatch):
    monkeypatch.setenv("GLACIER_TERMINUS_CACHE", str(tmp_path / "cache"))
    first = make_package(tmp_path / "a", bands=1, tile=64, seed=1)
    second = make_package(tmp_path / "b", bands=1, tile=64, seed=2)
    path = runtimes.onnx_file(load_package(first))
    made = path.stat().st_mtime_ns
    assert runtimes.onnx_file(load_package(first)) == path and path.stat().st_mtime_ns == made, "taken from the cache"
    other = runtimes.onnx_file(load_package(second))
    assert other != path and other.is_file()
    assert sorted(p.name for p in (tmp_path / "cache" / "onnx").iterdir()) == sorted([path.name, other.name])


@needs_onnxruntime
def test_a_cached_export_does_not_hide_damaged_weights_or_changed_arguments(tmp_path, monkeypatch):
    monkeypatch.setenv("GLACIER_TERMINUS_CACHE", str(tmp_path / "cache"))
    good = make_package(tmp_path / "good", bands=1, tile=64, seed=1)
    cached = runtimes.onnx_file(load_package(good))
    damaged = tmp_path / "damaged"
    shutil.copytree(good, damaged)
    (damaged / "weights.safetensors").write_bytes(b"not safetensors")
    with pytest.raises(EngineError, match="weights_sha256 differs"):
        runtimes.onnx_file(load_package(damaged))
    changed = tmp_path / "changed"
    shutil.copytree(good, changed)
    meta = json.loads((changed / "model.json").read_text())
    meta["architecture_args"] = {**meta.get("architecture_args", {}), "not_an_argument": 1}
    (changed / "model.json").write_text(json.dumps(meta))
    with pytest.raises(EngineError, match="cannot be built with architecture_args"):
        runtimes.onnx_file(load_package(changed))
    assert [p.name for p in (tmp_path / "cache" / "onnx").iterdir()] == [cached.name]


@needs_onnxruntime
def test_the_engine_classifies_with_onnxruntime_without_importing_torch(tmp_path, model):
    scene = make_raster(tmp_path / "scene.tif", 64, 64, bands=1)
    job = {"input": str(scene), "model": str(model), "output": str(tmp_path / "c.tif"), "device": "cpu",
           "runtime": "onnxruntime"}
    classify_job({**job, "output": str(tmp_path / "warm.tif")}, SilentReporter())  # the export, made once
    code = ("import json, sys\nfrom glacier_terminus.core.engine.cli import run_job\n"
            f"result = run_job('classify', json.loads({json.dumps(json.dumps(job))}))\n"
            "print(json.dumps({'torch': 'torch' in sys.modules, 'smp': 'segmentation_models_pytorch' in sys.modules,"
            " 'runtime': result['runtime']}))")
    done = subprocess.run([sys.executable, "-c", code], env=engine_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"torch": False, "smp": False, "runtime": "onnxruntime"}
