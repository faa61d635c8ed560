"""The graphical-modeler chain ``models/classify_extract_evaluate.model3`` through
``qgis_process.bin`` (same set-up as tests/test_qgis_process.py): Classify Pixels ->
Extract Calving Front -> Evaluate Fronts in one run.

* A real FrontLearning image (``../shared/data/frontlearning``, never copied into the
  repository: the test skips without it) with the shipped default model, a 1-band
  front-line model; the reference front is the manual 1 px label turned into lines by
  Extract Calving Front (the front is black, value 0, on white).
* A georeferenced synthetic SAR scene with a random 1-band front model (wiring, metres).
* The ``.model3`` is what ``models/build_model_chains.py`` writes, and it validates.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from helpers import FRONTLEARNING, PLUGIN_DIR, engine_python, synthetic
from osgeo import ogr
from qgis_helpers import DEFAULT_MODEL, EXTRACT, model_classes, needs_qgis_process, read, read_lines, run, same_crs

pytestmark = needs_qgis_process

CHAIN = PLUGIN_DIR / "models" / "classify_extract_evaluate.model3"
REFINE_CHAIN = PLUGIN_DIR / "models" / "classify_refine_extract_evaluate.model3"
STACK_CHAIN = PLUGIN_DIR / "models" / "map_stack_evaluate.model3"
GENERATOR = PLUGIN_DIR / "models" / "build_model_chains.py"
QGIS_PYTHON = Path("/usr/bin/python3")
QGIS_PYTHON_PLUGINS = Path("/usr/share/qgis/python/plugins")
SCENE = "LC08_L1TP_229012_20160729_20170322_01_T1_B8"  # Kangerlussuaq, 200 x 300 px
SUMMARY = ("MEAN_DISTANCE", "MEAN_OF_IMAGE_MEANS", "MEDIAN_DISTANCE")


def run_chain(qgis_process, folder: Path, **inputs):  # noqa: F811 - the fixture, passed in
    """Run the chain with every output named under ``folder``: (CompletedProcess, results, paths)."""
    paths = {
        "classify:CLASSES": folder / "classes.tif",
        "extract:FRONTS": folder / "fronts.gpkg",
        "evaluate:ERRORS": folder / "errors.csv",
        "evaluate:REPORT": folder / "report.html",
    }
    done, results = run(qgis_process, CHAIN, **inputs, **paths)
    return done, results, paths


def assert_chain_results(done, results, paths, units: str):
    """The outputs every successful run has: one evaluated image, finite errors, CSV and HTML."""
    assert done.returncode == 0, done.stdout + done.stderr
    for name, path in paths.items():
        assert Path(results[name]) == path and path.is_file(), name
    assert results["evaluate:EVALUATED"] == 1 and results["evaluate:MISSING_PREDICTIONS"] == 0
    assert results["evaluate:UNITS"] == units
    for name in SUMMARY:
        value = results[f"evaluate:{name}"]
        assert isinstance(value, (int, float)) and math.isfinite(value) and value >= 0, (name, value)
    with open(paths["evaluate:ERRORS"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1, rows
    assert rows[0]["status"] == "ok" and rows[0]["units"] == units
    assert float(rows[0]["mean"]) == pytest.approx(results["evaluate:MEAN_DISTANCE"], abs=1e-3)
    assert "data:image/png;base64," in paths["evaluate:REPORT"].read_text(encoding="utf-8")


def assert_classes(path: Path, size: tuple, classes: set):
    data, info = read(path)
    assert info["size"] == size and info["count"] == 1 and info["dtype"] == "Byte"
    values = set(np.unique(data).tolist())
    assert values <= classes | {0}, f"values {sorted(values)} outside the model's classes {sorted(classes)}"
    assert values & classes, "no class at all"
    return data, info


def front_lines(path: Path) -> list:
    ds = ogr.Open(str(path))
    assert ds is not None, path
    layer = ds.GetLayer(0)
    assert ogr.GT_Flatten(layer.GetGeomType()) in (ogr.wkbLineString, ogr.wkbMultiLineString)
    ds = None
    lines, _ = read_lines(path)
    assert lines, "no front line"
    return lines


# --- the model file ---------------------------------------------------------------------------


def option(element: ET.Element):
    """A QGIS ``<Option>`` tree as Python values (maps, lists, strings)."""
    kind = element.get("type")
    if kind == "Map":
        return {child.get("name"): option(child) for child in element}
    if kind == "List" or kind == "StringList":
        return [option(child) for child in element]
    return element.get("value")


def chain_structure(path: Path) -> dict:
    """What a chain does, whichever QGIS version wrote it: its parameters (name, type, default; the
    destinations too, whose names the command line takes: ``classify:CLASSES``), each child's
    algorithm and parameter sources, and its outputs (child and child output). Layout,
    descriptions, help texts and the file format's own bookkeeping are left out: QGIS 3.22 and 3.40
    write the same chain with different bytes."""
    model = option(ET.parse(path).getroot())
    definitions = model["parameterDefinitions"]
    destinations = {name for name, d in definitions.items() if d.get("parameter_type", "").endswith("Destination")}
    # the names a user passes on the command line, with their types and defaults
    inputs = {name: (d.get("parameter_type"), d.get("default")) for name, d in definitions.items()}
    children, outputs = {}, {}
    for child_id, child in model["children"].items():
        sources = {}
        for name, values in child["params"].items():
            sources[name] = [(v.get("source"), v.get("parameter_name"), v.get("child_id"), v.get("output_name"),
                              v.get("static_value")) for v in values]
        children[child_id] = (child["alg_id"], sources)
        for output in child["outputs"].values():
            outputs[(child_id, output["output_name"])] = output.get("name")
    assert destinations, f"{path} has no destination parameter"
    return {"name": model["model_name"], "inputs": inputs, "children": children, "outputs": outputs}


def test_the_generator_writes_the_shipped_model_and_it_validates(qgis_env, tmp_path):  # noqa: F811
    if not QGIS_PYTHON_PLUGINS.is_dir():
        pytest.skip(f"QGIS's Processing plugin is not at {QGIS_PYTHON_PLUGINS}")
    env = dict(qgis_env)
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGIN_DIR.parent), str(QGIS_PYTHON_PLUGINS)])
    done = subprocess.run([str(QGIS_PYTHON), str(GENERATOR), "--output-dir", str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=180)
    # The generator loads what it wrote back and exits non-zero on any validation issue.
    assert done.returncode == 0, done.stdout + done.stderr
    for chain in (CHAIN, REFINE_CHAIN, STACK_CHAIN):
        assert chain_structure(tmp_path / chain.name) == chain_structure(chain), (
            f"{chain.name} does not do what {GENERATOR.name} writes: run the generator again"
        )
    expected = {"classify": "glacierterminus:classifypixels", "extract": "glacierterminus:extractcalvingfront",
                "evaluate": "glacierterminus:evaluatefronts"}
    for chain, extra in ((CHAIN, {}), (REFINE_CHAIN, {"refine": "glacierterminus:cscrefine"})):
        algs = {child_id: alg for child_id, (alg, _) in chain_structure(chain)["children"].items()}
        assert algs == {**expected, **extra}
    algs = {child_id: alg for child_id, (alg, _) in chain_structure(STACK_CHAIN)["children"].items()}
    assert algs == {"map": "glacierterminus:mapcalvingfronts", "evaluate": "glacierterminus:evaluatefronts"}


def test_chain_structure_sees_a_changed_link_and_a_changed_setting(tmp_path):
    """What the generator test compares is not blind: a re-linked source and a changed static value differ."""
    shipped = chain_structure(CHAIN)
    text = CHAIN.read_text(encoding="utf-8")
    relinked = tmp_path / "relinked.model3"
    relinked.write_text(text.replace('name="output_name" value="OUTPUT_PROBABILITIES"',
                                     'name="output_name" value="OUTPUT"', 1), encoding="utf-8")
    assert chain_structure(relinked) != shipped
    changed = tmp_path / "changed.model3"
    changed.write_text(text.replace('name="static_value" value="main"', 'name="static_value" value="all"', 1),
                       encoding="utf-8")
    assert chain_structure(changed) != shipped
    moved = tmp_path / "moved.model3"
    moved.write_text(text.replace('name="component_pos_x" value="240"', 'name="component_pos_x" value="250"'),
                     encoding="utf-8")
    assert chain_structure(moved) == shipped


def test_qgis_process_lists_the_chain_inputs_and_outputs(qgis_process):  # noqa: F811
    done = qgis_process("help", CHAIN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Classify, extract and evaluate fronts" in done.stdout
    _, _, listing = done.stdout.partition("Arguments")
    for name in ("INPUT", "MODEL", "BANDS", "FLOW", "REFERENCE", "WALLS", "classify:CLASSES", "extract:FRONTS",
                 "evaluate:ERRORS", "evaluate:REPORT"):
        assert f"\n{name}:" in listing, name


# --- a FrontLearning image with the shipped model ------------------------------------------------


def test_chain_on_a_frontlearning_image_with_the_default_model(qgis_process, engine_ready, tmp_path):  # noqa: F811, ARG001
    image = FRONTLEARNING / "images" / f"{SCENE}_Subset.png"
    label = FRONTLEARNING / "labels_1px" / f"{SCENE}_Front.png"
    if not (image.is_file() and label.is_file()):
        pytest.skip(f"FrontLearning scene {SCENE} not found under {FRONTLEARNING} "
                    "(the data set lives beside the checkout and is never copied into it)")

    reference = tmp_path / "reference.gpkg"
    done, results = run(qgis_process, EXTRACT, INPUT=label, METHOD="front_class", FRONT_CLASS=0, SMOOTHING=0,
                        OUTPUT=reference)
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["FRONT_COUNT"] >= 1

    # MODEL left out: the shipped default (a 1-band front-line model); BANDS=1 of the RGBA grey PNG.
    done, results, paths = run_chain(qgis_process, tmp_path, INPUT=image, BANDS=1, REFERENCE=reference)
    assert_chain_results(done, results, paths, units="px")

    classes, info = assert_classes(paths["classify:CLASSES"], (200, 300), model_classes(DEFAULT_MODEL))
    # the PNG has no geotransform (GDAL's default, y down); the classes lie where QGIS draws it (y = -row)
    assert read(image)[1]["transform"] == pytest.approx((0, 1, 0, 0, 0, 1))
    assert info["transform"] == pytest.approx((0, 1, 0, 0, 0, -1))
    for xs, props in front_lines(paths["extract:FRONTS"]):
        assert props["method"] == "front class"
        assert 0 <= min(xs) and max(xs) <= 200, "front outside the image (pixel coordinates)"

    # With fjord walls (here: down the image just outside the manual front's ends) the front runs
    # from one wall to the other.
    (ref_xs, _), = front_lines(reference)
    west, east = min(ref_xs) - 2, max(ref_xs) + 2
    walls = tmp_path / "walls.geojson"
    walls.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[x, 1], [x, 299]]}}
        for x in (west, east)]}))
    (tmp_path / "walled").mkdir()
    done, results, paths = run_chain(qgis_process, tmp_path / "walled", INPUT=image, BANDS=1, REFERENCE=reference,
                                     WALLS=walls)
    assert_chain_results(done, results, paths, units="px")
    (xs, props), = front_lines(paths["extract:FRONTS"])
    assert props["method"] == "between walls"
    assert min(xs) < west + 1.5 and max(xs) > east - 1.5, "from wall to wall"


# --- a georeferenced synthetic scene with a random front model ----------------------------------


@pytest.fixture(scope="module")
def front_model(engine_ready, tmp_path_factory):  # noqa: F811, ARG001
    """A 1-band model package with random (seeded) weights and classes background / front."""
    path = tmp_path_factory.mktemp("front-model") / "random-front"
    code = f"""
import torch
from glacier_terminus.core.segmentation.architectures import get_architecture
from glacier_terminus.core.segmentation.package import Band, ModelClass, ModelPackage, save_package
torch.manual_seed(0)
pkg = ModelPackage(name="random-1band-front", architecture="hrnet_w18_small", bands=[Band("sigma0", 0.12, 0.11)],
                   classes=[ModelClass(1, "background", "#dceefa", "background"),
                            ModelClass(2, "front", "#e31a1c", "front")],
                   tile_size=64, cell_size=30.0, dtype="float32", value_range=(0.0, 1.0))
save_package({str(path)!r}, pkg, get_architecture("hrnet_w18_small").build(1, 2).state_dict())
"""
    done = engine_python(code)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def test_chain_on_a_georeferenced_scene_in_metres(qgis_process, front_model, tmp_path):  # noqa: F811
    scene, truth = tmp_path / "LC08_L1TP_020007_20140801_20170420_01_T1.tif", tmp_path / "truth.geojson"
    synthetic(scene, width=96, height=80, kind="sar", seed=3, front=truth)
    (tmp_path / "out").mkdir()
    done, results, paths = run_chain(qgis_process, tmp_path / "out", INPUT=scene, MODEL=front_model,
                                     REFERENCE=truth)
    assert_chain_results(done, results, paths, units="m")

    _, src_info = read(scene)
    _, info = assert_classes(paths["classify:CLASSES"], src_info["size"], model_classes(front_model))
    assert info["transform"] == pytest.approx(src_info["transform"]) and same_crs(info["wkt"], src_info["wkt"])
    lines = front_lines(paths["extract:FRONTS"])
    assert read_lines(paths["extract:FRONTS"])[1] == "3413"
    assert all(p["mean_prob"] is not None for _, p in lines), "PROBABILITIES did not reach Extract Calving Front"
    x0, cell = src_info["transform"][0], src_info["transform"][1]
    assert all(x0 <= x <= x0 + cell * src_info["size"][0] for xs, _ in lines for x in xs)


# --- the chain with CSC Refine: a synthetic optical scene, a random 3-zone model ----------------------


def test_refine_chain_runs_csc_after_classify_pixels(qgis_process, engine_ready, tmp_path):  # noqa: F811, ARG001
    scene, truth, model = tmp_path / "scene.tif", tmp_path / "truth.geojson", tmp_path / "random4"
    synthetic(scene, width=200, height=160, front=truth)
    done = engine_python(f"from helpers import make_package; make_package({str(model)!r}, bands=4, tile=64)")
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "out"
    out.mkdir()
    paths = {
        "classify:CLASSES": out / "classes.tif",
        "refine:REFINED": out / "refined.tif",
        "refine:REPORT": out / "csc.html",
        "extract:FRONTS": out / "fronts.gpkg",
        "evaluate:ERRORS": out / "errors.csv",
        "evaluate:REPORT": out / "report.html",
    }
    done, results = run(qgis_process, REFINE_CHAIN, INPUT=scene, MODEL=model, REFERENCE=truth, PATCH_SIZE=3, **paths)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Executed 4 algorithm(s|\(s\))", done.stdout), done.stdout  # 3.22: algorithms, 3.40: algorithm(s)
    for name, path in paths.items():
        assert Path(results[name]) == path and path.is_file(), name
    _, src_info = read(scene)
    refined, info = assert_classes(paths["refine:REFINED"], src_info["size"], model_classes(model))
    assert info["colors"] and same_crs(info["wkt"], src_info["wkt"])
    coarse, _ = read(paths["classify:CLASSES"])
    assert not np.array_equal(refined, coarse), "CSC Refine returned the coarse map unchanged"
    assert 0 < results["refine:WEIGHTED_F1"] <= 1
    assert results["evaluate:UNITS"] == "m" and results["evaluate:EVALUATED"] == 1
