"""Nothing lost, nothing silently wrong, at the engine: outputs that would overwrite inputs, NaN as
NoData, jobs checked against their one declaration, transactional datasets, damaged inputs.

The same mechanisms seen from QGIS are in ``test_bad_input.py`` (through ``qgis_process``)."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio

from glacier_terminus.core.engine.cli import commands, run_job
from glacier_terminus.core.engine.protocol import EngineError
from glacier_terminus.core.fronts.metrics import front_error, grid_for_lines
from glacier_terminus.core.geo.vector import read_vector, write_lines


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def grey_float(scene: Path, path: Path, nan_rows: int = 0) -> Path:
    """Band 1 of the scene as float32 without a NoData tag, its first ``nan_rows`` rows NaN."""
    with rasterio.open(scene / "scene.tif") as ds:
        grey = ds.read(1).astype(np.float32)
        profile = ds.profile
    grey[:nan_rows] = np.nan
    profile.update(count=1, dtype="float32", nodata=None)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(grey, 1)
    return path


# --- every declaration holds ----------------------------------------------------------------


def test_every_default_passes_its_own_declaration():
    for name, command in commands().items():
        job = {p.name: "x.tif" for p in command.params if p.required}
        for p in command.params:
            if p.required and p.suffixes:
                job[p.name] = f"{p.name}{p.suffixes[0]}"
            elif p.required and p.multiple:
                job[p.name] = [f"{p.name}"]
            elif p.required:
                job[p.name] = p.name
        checked = command.checked_job(job)
        for p in command.params:
            if not p.required:
                assert checked[p.name] == p.default, (name, p.name)


@pytest.mark.parametrize("command,change,message", [
    ("classify", {"batch_size": 0}, "BATCH_SIZE must be at least 1, not 0"),
    ("classify", {"batch_size": "four"}, 'BATCH_SIZE must be a whole number, not "four"'),
    ("classify", {"batch_size": 2.5}, "BATCH_SIZE must be a whole number, not 2.5"),
    ("classify", {"cell_size": -30}, "CELL_SIZE must be at least 0, not -30"),
    ("classify", {"cell_size": float("nan")}, "CELL_SIZE must be a number, not NaN"),
    ("classify", {"input": ["a.tif", "b.tif"]}, "INPUT takes one value, not a list"),
    ("classify", {"device": "gpu"}, "DEVICE must be one of auto, cpu, cuda, not 'gpu'"),
    ("classify", {"output": "c.png"}, r"OUTPUT must be a GeoTIFF file \(.tif or .tiff\), not c.png"),
    ("classify", {"tta": 3}, "TTA must be at most 1, not 3"),
    ("classify", {"colour": "red"}, "Unknown parameter"),
    ("extract_front", {"output": "f.shp"}, r"OUTPUT must be a GeoPackage file \(.gpkg\)"),
    ("extract_front", {"min_mean_prob": 2}, "MIN_MEAN_PROB must be at most 1, not 2"),
    ("train", {"epochs": {"n": 3}}, "EPOCHS takes one value, not a dict"),
    ("train", {"validation": 0.95}, "VALIDATION must be at most 0.9"),
    ("csc_refine", {"patch_size": -1}, "PATCH_SIZE must be at least 1"),
    ("terminus_change", {"reverse": True, "output": 5}, "OUTPUT must be a CSV file"),
])
def test_a_job_is_checked_against_its_declaration_with_the_parameter_named(tmp_path, command, change, message):
    base = {
        "classify": {"input": "in.tif", "output": "c.tif"},
        "extract_front": {"input": "in.tif", "output": "f.gpkg"},
        "train": {"datasets": ["tiles"], "output_model": "m"},
        "csc_refine": {"input": "in.tif", "coarse": "c.tif", "output": "r.tif"},
        "terminus_change": {"fronts": "f.gpkg", "reference": "b.gpkg", "output": "t.csv"},
    }[command]
    with pytest.raises(EngineError, match=message) as err:
        commands()[command].checked_job({**base, **change})
    assert "\n" not in str(err.value)


def test_the_command_line_gives_the_same_one_line_errors(engine, tmp_path):
    done = engine("classify", "--input", "a.tif", "--output", "c.tif", "--batch-size", "0", cwd=tmp_path)
    assert done.returncode == 1
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert last == {"error": "Parameter BATCH_SIZE must be at least 1, not 0."}
    top = engine("--help")
    assert top.returncode == 0 and "{'option_strings'" not in top.stdout and "2-98 % stretch" in top.stdout


# --- outputs never touch inputs -------------------------------------------------------------


def test_output_naming_an_input_raster_is_refused_and_the_input_kept(scene, tmp_path):
    image = tmp_path / "image.tif"
    image.write_bytes((scene / "scene.tif").read_bytes())
    before = digest(image)
    for output in (image, tmp_path / "sub" / ".." / "image.tif"):
        with pytest.raises(EngineError, match="OUTPUT would overwrite INPUT"):
            run_job("classify", {"input": str(image), "shipped_model": "optical_fronts", "bands": [1],
                                     "output": str(output)})
    (tmp_path / "link.tif").symlink_to(image)
    with pytest.raises(EngineError, match="OUTPUT would overwrite INPUT"):
        run_job("classify", {"input": str(image), "output": str(tmp_path / "link.tif")})
    with pytest.raises(EngineError, match="OUTPUT would overwrite COARSE"):
        run_job("csc_refine", {"input": str(scene / "scene.tif"), "coarse": str(image), "output": str(image)})
    assert digest(image) == before


def test_output_naming_an_input_table_or_csv_is_refused(scene, tmp_path):
    fronts = write_lines(tmp_path / "fronts.gpkg", [(np.array([[0.0, 0.0], [10.0, 0.0]]), {"date": "2020-01-01"})],
                         None, [("date", "DATE")])
    csv = tmp_path / "table.csv"
    csv.write_text("a,b\n1,2\n")
    before = {p: digest(p) for p in (fronts, csv)}
    table = tmp_path / "fronts.csv"  # a vector table whose name ends like the output's
    table.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    before[table] = digest(table)
    with pytest.raises(EngineError, match="OUTPUT would overwrite FRONTS"):
        run_job("terminus_change", {"fronts": str(table), "reference": str(fronts), "output": str(table)})
    with pytest.raises(EngineError, match="OUTPUT_PLOT would overwrite REFERENCE"):
        run_job("terminus_change", {"fronts": str(fronts), "reference": f"{tmp_path}/plot.png|layername=box",
                                        "output": str(tmp_path / "t.csv"), "output_plot": str(tmp_path / "plot.png")})
    with pytest.raises(EngineError, match="OUTPUT would overwrite PREDICTED"):
        run_job("evaluate_fronts", {"predicted": str(csv), "reference": str(fronts), "output": str(csv)})
    with pytest.raises(EngineError, match="OUTPUT and OUTPUT_PROBABILITIES name the same place"):
        run_job("classify", {"input": str(scene / "scene.tif"), "output": str(tmp_path / "c.tif"),
                                 "output_probabilities": str(tmp_path / "." / "c.tif")})
    assert {p: digest(p) for p in before} == before


def test_an_output_folder_holding_an_input_is_refused(tmp_path):
    (tmp_path / "tiles").mkdir()
    with pytest.raises(EngineError, match="OUTPUT_MODEL .* holds DATASETS"):
        run_job("train", {"datasets": [str(tmp_path / "tiles")], "output_model": str(tmp_path)})
    with pytest.raises(EngineError, match="OUTPUT_MODEL .* lies inside DATASETS"):
        run_job("train", {"datasets": [str(tmp_path / "tiles")], "output_model": str(tmp_path / "tiles" / "m")})


def test_an_output_may_lie_inside_another_outputs_folder(tmp_path):
    """The training report inside its model package is the usual layout, not a clash."""
    (tmp_path / "tiles").mkdir()
    job = commands()["train"].checked_job({"datasets": [str(tmp_path / "tiles")], "output_model": str(tmp_path / "m"),
                                           "report": str(tmp_path / "m" / "report.html")})
    assert job["report"] == str(tmp_path / "m" / "report.html")


def test_an_output_geopackage_keeps_its_other_layers(scene, tmp_path):
    out = tmp_path / "work.gpkg"
    write_lines(out, [(np.array([[0.0, 0.0], [5.0, 5.0]]), {"name": "manual"})], None, [("name", "TEXT")],
                layer="manual_fronts")
    run_job("extract_front", {"input": str(scene / "zones.tif"), "output": str(out)})
    run_job("extract_front", {"input": str(scene / "zones.tif"), "output": str(out)})  # again: replaces its own
    with sqlite3.connect(out) as db:
        layers = sorted(r[0] for r in db.execute("SELECT table_name FROM gpkg_contents"))
    assert layers == ["fronts", "manual_fronts"]
    assert len(read_vector(f"{out}|layername=manual_fronts").features) == 1
    assert len(read_vector(f"{out}|layername=fronts").features) >= 1
    (tmp_path / "notes.gpkg").write_text("my notes\n")
    with pytest.raises(EngineError, match="exists and is not a GeoPackage"):
        run_job("extract_front", {"input": str(scene / "zones.tif"), "output": str(tmp_path / "notes.gpkg")})
    assert (tmp_path / "notes.gpkg").read_text() == "my notes\n"


# --- NaN is never data ----------------------------------------------------------------------


def test_an_all_nan_raster_is_classified_as_all_nodata(scene, tmp_path):
    image = grey_float(scene, tmp_path / "nan.tif", nan_rows=300)
    run_job("classify", {"input": str(image), "shipped_model": "optical_fronts", "output": str(tmp_path / "c.tif"),
                             "output_probabilities": str(tmp_path / "p.tif"), "device": "cpu"})
    with rasterio.open(tmp_path / "c.tif") as ds:
        assert not ds.read(1).any()
    with rasterio.open(tmp_path / "p.tif") as ds:
        assert not ds.read_masks(1).any()


def test_nan_rows_along_an_edge_leave_the_front_where_it_was(scene, tmp_path):
    fronts = {}
    for name, rows in (("clean", 0), ("nan_edge", 8)):
        image = grey_float(scene, tmp_path / f"{name}.tif", nan_rows=rows)
        run_job("classify", {"input": str(image), "shipped_model": "optical_fronts", "device": "cpu",
                                 "output": str(tmp_path / f"{name}_c.tif"),
                                 "output_probabilities": str(tmp_path / f"{name}_p.tif")})
        run_job("extract_front", {"input": str(tmp_path / f"{name}_c.tif"), "model": "optical_fronts",
                                      "probabilities": str(tmp_path / f"{name}_p.tif"),
                                      "output": str(tmp_path / f"{name}.gpkg")})
        fronts[name] = read_vector(tmp_path / f"{name}.gpkg").lines()
        if rows:
            with rasterio.open(tmp_path / f"{name}_c.tif") as ds:
                assert not ds.read(1)[:rows].any(), "the NaN rows are NoData"
    assert fronts["clean"] and fronts["nan_edge"], "a front in both"
    error = front_error("nan", fronts["nan_edge"], fronts["clean"], grid_for_lines(fronts["clean"], 30.0, None))
    apart = error.row()["mean"] / 30.0 if error is not None else float("inf")
    assert apart <= 1.0, f"{apart:.2f} px apart"


def test_nan_never_reaches_training_tiles(scene, tmp_path):
    image = grey_float(scene, tmp_path / "nan.tif", nan_rows=40)
    run_job("export_tiles", {"input": str(image), "labels": str(scene / "surface.tif"),
                                 "output": str(tmp_path / "tiles"), "tile_size": 64})
    meta = json.loads((tmp_path / "tiles" / "dataset.json").read_text())
    assert all(np.isfinite([b["mean"], b["std"]]).all() for b in meta["bands"])
    for tile in meta["tiles"][:20]:
        with rasterio.open(tmp_path / "tiles" / tile["image"]) as ds:
            assert np.isfinite(ds.read()).all()


# --- datasets are transactional --------------------------------------------------------------


def test_two_exports_appending_at_once_list_every_tile(scene, tmp_path):
    """Two engine processes export into one new dataset at the same time."""
    images = []
    for seed in (5, 6):
        run_job("synthetic", {"output": str(tmp_path / f"s{seed}.tif"), "width": 384, "height": 384,
                                  "seed": seed, "surface": str(tmp_path / f"s{seed}_classes.tif")})
        images.append(seed)
    procs = [subprocess.Popen([sys.executable, "-m", "glacier_terminus.core", "export_tiles",
                               "--input", str(tmp_path / f"s{s}.tif"), "--labels", str(tmp_path / f"s{s}_classes.tif"),
                               "--output", str(tmp_path / "tiles"), "--tile-size", "64"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in images]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    meta = json.loads((tmp_path / "tiles" / "dataset.json").read_text())
    on_disk = {f"{sub}/{p.name}" for sub in ("images", "labels") for p in (tmp_path / "tiles" / sub).iterdir()}
    listed = {t["image"] for t in meta["tiles"]} | {t["label"] for t in meta["tiles"]}
    assert listed == on_disk and len(meta["sources"]) == 2
    assert sum(s["tiles"] for s in meta["sources"]) == len(meta["tiles"]) > 0


def test_chips_a_killed_export_left_are_removed_by_the_next(scene, tmp_path):
    run_job("export_tiles", {"input": str(scene / "scene.tif"), "labels": str(scene / "surface.tif"),
                                 "output": str(tmp_path / "tiles"), "tile_size": 64})
    stray = tmp_path / "tiles" / "images" / "killed_00001.tif"
    stray.write_bytes(b"half a tile")
    other = tmp_path / "other.tif"
    run_job("synthetic", {"output": str(other), "width": 200, "height": 200, "seed": 9,
                              "surface": str(tmp_path / "other_classes.tif")})
    run_job("export_tiles", {"input": str(other), "labels": str(tmp_path / "other_classes.tif"),
                                 "output": str(tmp_path / "tiles"), "tile_size": 64})
    assert not stray.exists()


def label_raster(scene: Path, path: Path, values: np.ndarray, dtype: str) -> Path:
    with rasterio.open(scene / "surface.tif") as ds:
        profile = ds.profile
    profile.update(dtype=dtype, nodata=None)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(dtype), 1)
    return path


@pytest.mark.parametrize("kind,message", [
    ("above_255", "class values outside 0-255 .*recode"),
    ("continuous", "distinct values: it looks like a continuous raster"),
])
def test_labels_that_cannot_be_classes_are_refused_by_name(scene, tmp_path, kind, message):
    with rasterio.open(scene / "surface.tif") as ds:
        classes = ds.read(1).astype(np.int32)
    if kind == "above_255":
        classes[:10, :10] = 300
    else:
        classes = (np.arange(classes.size).reshape(classes.shape) % 211) + 1
    labels = label_raster(scene, tmp_path / "labels.tif", classes, "uint16")
    with pytest.raises(EngineError, match=f"LABELS.*{message}"):
        run_job("export_tiles", {"input": str(scene / "scene.tif"), "labels": str(labels),
                                     "output": str(tmp_path / "tiles")})
    assert not (tmp_path / "tiles").exists()


# --- damaged and odd inputs -------------------------------------------------------------------


def test_a_truncated_raster_is_named_as_damaged(scene, tmp_path):
    data = (scene / "scene.tif").read_bytes()
    (tmp_path / "cut.tif").write_bytes(data[: len(data) // 2])
    with pytest.raises(EngineError, match=r"INPUT .*cut.tif is damaged or truncated") as err:
        run_job("classify", {"input": str(tmp_path / "cut.tif"), "output": str(tmp_path / "c.tif")})
    assert "\n" not in str(err.value) and sorted(p.name for p in tmp_path.iterdir()) == ["cut.tif"]


def test_a_rotated_grid_is_refused(scene, tmp_path):
    from affine import Affine

    with rasterio.open(scene / "scene.tif") as ds:
        profile, data = ds.profile, ds.read()
    profile["transform"] = Affine.rotation(20) * profile["transform"]
    with rasterio.open(tmp_path / "rotated.tif", "w", **profile) as dst:
        dst.write(data)
    with pytest.raises(EngineError, match="has a rotated grid"):
        run_job("classify", {"input": str(tmp_path / "rotated.tif"), "output": str(tmp_path / "c.tif")})


def test_a_self_crossing_box_is_refused(scene, tmp_path):
    from rasterio.crs import CRS

    fronts = write_lines(tmp_path / "f.gpkg", [(np.array([[0.0, 5.0], [10.0, 5.0]]), {"date": "2020-01-01"})],
                         CRS.from_epsg(3413), [("date", "DATE")])
    box = tmp_path / "box.geojson"
    box.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::3413"}}, "features": [{"type": "Feature", "properties": {}, "geometry": {
            "type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 6], [0, 0]]]}}]}))
    with pytest.raises(EngineError, match="box polygon crosses itself"):
        run_job("terminus_change", {"fronts": str(fronts), "reference": str(box),
                                        "output": str(tmp_path / "t.csv")})
