"""CaFFe-layout SAR scenes -> tile datasets (``export_caffe_tiles``): names, zones, labels, dataset.json.

The real CaFFe scenes (``../shared/data/caffe256``, never copied into the repository) are read
where they lie; the tests that need them skip, saying so, when the folder is absent.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
from helpers import CAFFE

from glacier_terminus.core.data.caffe_dataset import (
    ZONE_CLASSES,
    caffe_scene,
    export_caffe_job,
    read_zones,
    scene_labels,
)
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter

needs_caffe = pytest.mark.skipif(not (CAFFE / "images").is_dir(),
                                 reason=f"the CaFFe data is not at {CAFFE} (it lives beside the checkout)")


def test_scene_names_give_glacier_date_sensor_and_resolution():
    scene = caffe_scene("JAC_2009-06-21_TSX_6_1_005")
    assert (scene.glacier, scene.date, scene.sensor, scene.resolution_m) == ("JAC", "2009-06-21", "TerraSAR-X", 6.0)
    assert caffe_scene("Jorum_2011-09-04_RSAT_20_3_154").sensor == "RADARSAT-1"
    assert caffe_scene("SI_2018-02-26_S1_40_2_017").sensor == "Sentinel-1"
    with pytest.raises(EngineError, match="not a CaFFe scene name"):
        caffe_scene("LC08_L1TP_020007_20140801_20170420_01_T1_B2")


def _png(path: Path, data: np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="PNG", width=data.shape[1], height=data.shape[0], count=1,
                       dtype="uint8") as dst:
        dst.write(data.astype(np.uint8), 1)
    return path


def test_zones_are_read_in_either_coding_and_other_values_are_refused(tmp_path):
    small = np.array([[1, 2], [3, 4]], np.uint8)
    assert np.array_equal(read_zones(_png(tmp_path / "a.png", small)), small)
    full = np.array([[0, 64], [127, 254]], np.uint8)
    assert np.array_equal(read_zones(_png(tmp_path / "b.png", full)), small)
    with pytest.raises(EngineError, match=r"c.png holds zone values \[1, 7\]"):
        read_zones(_png(tmp_path / "c.png", np.array([[1, 7]], np.uint8)))


def test_the_front_is_drawn_over_the_zones():
    zones = np.full((4, 4), 3, np.uint8)
    zones[:, 2:] = 4
    front = np.zeros((4, 4), bool)
    front[:, 2] = True
    fused = scene_labels(zones, front, "zones_front")
    assert (fused[:, 2] == 5).all() and (fused[:, :2] == 3).all() and (fused[:, 3] == 4).all()
    assert np.array_equal(scene_labels(zones, front, "zones"), zones)
    assert set(np.unique(scene_labels(zones, front, "front")).tolist()) == {1, 2}


def test_a_folder_without_fronts_is_refused_by_name(tmp_path):
    _png(tmp_path / "caffe" / "images" / "JAC_2009-06-21_TSX_6_1_005.png", np.zeros((32, 32)))
    _png(tmp_path / "caffe" / "zones" / "JAC_2009-06-21_TSX_6_1_005_zones.png", np.ones((32, 32)))
    with pytest.raises(EngineError, match="has no fronts/ folder"):
        export_caffe_job({"input": str(tmp_path / "caffe"), "output": str(tmp_path / "tiles")}, SilentReporter())
    assert not (tmp_path / "tiles").exists()


@needs_caffe
def test_caffe_scenes_become_tiles_with_zones_front_groups_and_sensors(tmp_path):
    out = tmp_path / "tiles"
    result = export_caffe_job({"input": str(CAFFE), "output": str(out), "glaciers": ["Jorum"]}, SilentReporter())
    scenes = sorted(p.stem for p in (CAFFE / "images").glob("Jorum_*.png"))
    assert result["scenes"] == len(scenes) == result["tiles_written"]  # 256 px scenes: one tile each
    meta = json.loads((out / "dataset.json").read_text())
    roles = {c["value"]: (c["name"], c["role"]) for c in meta["classes"]}
    assert roles == {1: ("no information", "no_information"), 2: ("rock", "rock"), 3: ("glacier", "glacier"),
                     4: ("ocean", "ocean"), 5: ("front", "front")}
    assert {s["group"] for s in meta["sources"]} == {"Jorum"}
    by_name = {s["source"]: s for s in meta["sources"]}
    first = caffe_scene(scenes[0])
    assert by_name[scenes[0]]["sensor"] == first.sensor and by_name[scenes[0]]["date"] == first.date
    assert sum(result["sensors"].values()) == len(scenes)
    # the class counts are those of the label files: zones with the front over them
    counts = {v: 0 for v in roles}
    for name in scenes:
        with rasterio.open(CAFFE / "zones" / f"{name}_zones.png") as z, \
                rasterio.open(CAFFE / "fronts" / f"{name}_front.png") as f:
            fused = np.where(f.read(1) > 127, 5, z.read(1))
        for v in counts:
            counts[v] += int((fused == v).sum())
    assert {c["value"]: c["pixels"] for c in meta["classes"]} == counts
    tile = meta["tiles"][0]
    with rasterio.open(out / tile["label"]) as labels:
        assert set(np.unique(labels.read(1)).tolist()) <= set(roles)
    assert [v for v, *_ in ZONE_CLASSES] == [1, 2, 3, 4]
