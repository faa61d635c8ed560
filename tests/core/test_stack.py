"""Map Calving Fronts' engine job on small synthetic stacks: scenes and shards, a failing scene, the
journal's settings, merging, and the bad inputs refused before any scene is mapped."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import make_package, make_raster

from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.stacks.fronts_layer import read_stack_fronts
from glacier_terminus.core.stacks.map_fronts import map_fronts_job
from glacier_terminus.core.stacks.merge import merge_fronts_job
from glacier_terminus.core.stacks.scenes import parse_shard, shard_of, stack_scenes

DATES = ("20140801", "20130718", "20150804", "20160729")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A random 1-band package whose route keeps every piece (random weights: plumbing, not skill)."""
    from glacier_terminus.core.segmentation.package import record_recipe

    path = make_package(tmp_path_factory.mktemp("model") / "m", bands=1, tile=64, n_classes=3)
    record_recipe(path, front_extraction={"method": "zone_boundary", "keep": "all", "min_length_cells": 2.0})
    return path


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    """Four dated 1-band scenes (EPSG:3413), named as Landsat scenes, in a folder."""
    folder = tmp_path_factory.mktemp("scenes")
    for n, day in enumerate(DATES):
        make_raster(folder / f"LC08_L1TP_020007_{day}_20170420_01_T1_B2.tif", 96, 96, bands=1, seed=n)
    return folder


def job(inputs, model, output, **more) -> dict:
    return {"inputs": [str(i) for i in inputs], "model": str(model), "output": str(output), "device": "cpu", **more}


def test_scenes_from_folders_and_globs_in_date_order_and_shards_share_them(scenes):
    listed = stack_scenes([str(scenes)])
    assert [s.date.isoformat() for s in listed] == ["2013-07-18", "2014-08-01", "2015-08-04", "2016-07-29"]
    assert stack_scenes([str(scenes / "*2015*.tif"), str(scenes)]) == listed, "a scene named twice is one scene"
    shares = [shard_of(listed, (k, 3)) for k in (1, 2, 3)]
    assert sorted(s.source for share in shares for s in share) == sorted(s.source for s in listed)
    assert [len(share) for share in shares] == [2, 1, 1]
    assert parse_shard("2/8") == (2, 8) and parse_shard(None) == (1, 1)
    for bad in ("3/2", "0/2", "two", "1/2/3"):
        with pytest.raises(EngineError, match="SHARD"):
            parse_shard(bad)


def test_a_failing_scene_is_recorded_and_the_others_are_mapped(scenes, model, tmp_path):
    broken = tmp_path / "LC08_L1TP_020007_20170101_20170420_01_T1_B2.tif"
    broken.write_bytes((scenes / f"LC08_L1TP_020007_{DATES[0]}_20170420_01_T1_B2.tif").read_bytes()[:2000])
    reporter = SilentReporter()
    result = map_fronts_job(job([scenes, broken], model, tmp_path / "fronts.gpkg"), reporter)
    assert result["scenes"] == 5 and result["failed"] == [broken.name]
    fronts, crs = read_stack_fronts(str(tmp_path / "fronts.gpkg"), "OUTPUT")
    assert crs is not None and crs.to_epsg() == 3413
    failed = [f for f in fronts if f["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["date"] == "2017-01-01" and failed[0]["message"]
    assert any(w.startswith(f"{broken.name}: failed, left out: ") for w in reporter.of("warning"))
    mapped = [f for f in fronts if f["status"] != "failed"]
    assert all(f["status"] in ("front", "no front") for f in mapped) and len(mapped) == 4
    assert not (tmp_path / "fronts.scenes" / f"{broken.name}.json").exists(), "a failed scene is tried again"
    again = map_fronts_job(job([scenes, broken], model, tmp_path / "fronts.gpkg"), SilentReporter())
    assert again["resumed"] == 4 and again["failed"] == [broken.name]


def test_other_settings_map_every_scene_again(scenes, model, tmp_path):
    map_fronts_job(job([scenes], model, tmp_path / "f.gpkg"), SilentReporter())
    reporter = SilentReporter()
    result = map_fronts_job(job([scenes], model, tmp_path / "f.gpkg", smoothing=3.0), reporter)
    assert result["resumed"] == 0
    assert any("mapped with other settings (smoothing): every scene is mapped again" in w
               for w in reporter.of("warning"))
    assert map_fronts_job(job([scenes], model, tmp_path / "f.gpkg", smoothing=3.0), SilentReporter())["resumed"] == 4


def test_merged_shards_equal_one_run_and_a_scene_mapped_twice_alike_is_kept_once(scenes, model, tmp_path):
    map_fronts_job(job([scenes], model, tmp_path / "all.gpkg"), SilentReporter())
    for k in (1, 2):
        map_fronts_job(job([scenes], model, tmp_path / f"s{k}.gpkg", shard=f"{k}/2"), SilentReporter())
    merge_fronts_job({"inputs": [str(tmp_path / "s2.gpkg"), str(tmp_path / "s1.gpkg"), str(tmp_path / "s1.gpkg")],
                      "output": str(tmp_path / "merged.gpkg")}, SilentReporter())
    merged, _ = read_stack_fronts(str(tmp_path / "merged.gpkg"), "merged")
    whole, _ = read_stack_fronts(str(tmp_path / "all.gpkg"), "whole")
    assert merged == whole and len(whole) == 4


def test_a_shard_with_other_fronts_for_a_scene_is_refused(scenes, model, tmp_path):
    map_fronts_job(job([scenes], model, tmp_path / "a.gpkg"), SilentReporter())
    map_fronts_job(job([scenes], model, tmp_path / "b.gpkg", smoothing=4.0), SilentReporter())
    with pytest.raises(EngineError, match="is in two INPUTS with different fronts"):
        merge_fronts_job({"inputs": [str(tmp_path / "a.gpkg"), str(tmp_path / "b.gpkg")],
                          "output": str(tmp_path / "m.gpkg")}, SilentReporter())
    assert not (tmp_path / "m.gpkg").exists()


def box_file(path: Path) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                "geometry": {"type": "LineString", "coordinates": [[0, 0], [10, 10]]}},
                                {"type": "Feature", "properties": {},
                                 "geometry": {"type": "LineString", "coordinates": [[0, 5], [10, 15]]}}]}))
    return path


@pytest.mark.parametrize("change, message", [
    ({"inputs": ["{tmp}/none"]}, "INPUTS: {tmp}/none does not exist."),
    ({"inputs": ["{tmp}/empty"]}, "INPUTS folder {tmp}/empty holds no rasters"),
    ({"inputs": ["{tmp}/*.jp2"]}, "INPUTS pattern {tmp}/*.jp2 matches no raster."),
    ({"shard": "5/4"}, "SHARD 5/4: K must be between 1 and N."),
    ({"output_table": "{tmp}/t.csv"}, "OUTPUT_TABLE need REFERENCE"),
    ({"reference": "{tmp}/two_lines.geojson"}, "REFERENCE needs OUTPUT_TABLE"),
    ({"reference": "{tmp}/two_lines.geojson", "output_table": "{tmp}/t.csv"},
     "REFERENCE must hold one box polygon or one centreline, not 2 features."),
    ({"output": "{tmp}/fronts.shp"}, "OUTPUT must be a GeoPackage file (.gpkg), not fronts.shp."),
    ({"rasters": "{tmp}/missing"}, "RASTERS folder {tmp}/missing does not exist."),
    ({"tta": 2}, "Parameter TTA must be at most 1, not 2."),
], ids=["missing", "empty-folder", "no-match", "shard", "table-without-box", "box-without-table", "two-lines",
        "shapefile", "rasters-folder", "tta"])
def test_bad_stack_jobs_fail_before_any_scene_without_output(scenes, model, tmp_path, change, message):
    (tmp_path / "empty").mkdir()
    box_file(tmp_path / "two_lines.geojson")
    changed = {k: ([v.format(tmp=tmp_path) for v in value] if isinstance(value, list) else
                   value.format(tmp=tmp_path) if isinstance(value, str) else value) for k, value in change.items()}
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(EngineError) as raised:
        map_fronts_job({**job([scenes], model, tmp_path / "fronts.gpkg"), **changed}, SilentReporter())
    assert message.format(tmp=tmp_path) in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no output, no journal"


def test_two_scenes_of_one_name_are_refused(scenes, model, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    name = f"LC08_L1TP_020007_{DATES[0]}_20170420_01_T1_B2.tif"
    (other / name).write_bytes((scenes / name).read_bytes())
    with pytest.raises(EngineError, match=f"INPUTS holds two scenes named {name}"):
        map_fronts_job(job([scenes, other], model, tmp_path / "fronts.gpkg"), SilentReporter())


def test_the_stacks_lines_are_the_extracted_fronts(scenes, model, tmp_path):
    """Each scene's feature holds exactly the lines Classify Pixels + Extract Calving Front give that scene."""
    from glacier_terminus.core.engine.cli import run_job
    from glacier_terminus.core.geo.vector import read_vector

    map_fronts_job(job([scenes], model, tmp_path / "stack.gpkg"), SilentReporter())
    stack, _ = read_stack_fronts(str(tmp_path / "stack.gpkg"), "stack")
    scene = next(p for p in sorted(scenes.iterdir()) if DATES[2] in p.name)
    run_job("classify", {"input": str(scene), "model": str(model), "output": str(tmp_path / "c.tif"),
                         "output_probabilities": str(tmp_path / "p.tif"), "device": "cpu"})
    run_job("extract_front", {"input": str(tmp_path / "c.tif"), "probabilities": str(tmp_path / "p.tif"),
                              "model": str(model), "output": str(tmp_path / "one.gpkg")})
    one = [np.asarray(f.geometry["coordinates"]) for f in read_vector(tmp_path / "one.gpkg").features]
    mine = next(f for f in stack if f["source"] == scene.name)
    assert one and len(one) == len(mine["lines"]) == mine["pieces"]
    for a, b in zip(one, mine["lines"], strict=True):
        np.testing.assert_array_equal(a, np.asarray(b))
    assert mine["date"] == "2015-08-04"
