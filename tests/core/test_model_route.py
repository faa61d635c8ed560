"""A model says how its output becomes a front, and which imagery it suits.

* model.json's ``front_extraction`` (the route its validation chose) drives Extract Calving
  Front's METHOD auto, from MODEL or from the class raster Classify Pixels wrote; a route that
  names an unknown method is refused in one line.
* The SAR zones' roles: no information and rock never make a front.
* A model given imagery of the other kind warns, or is refused when the bands cannot match.
* Shipped models are found by name.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import rasterio
from helpers import make_package, make_raster
from rasterio.transform import from_origin

from glacier_terminus.core.engine.protocol import EngineError, Reporter, SilentReporter
from glacier_terminus.core.fronts.extract import extract_front_job
from glacier_terminus.core.geo.vector import read_vector
from glacier_terminus.core.segmentation.inference import classify_job
from glacier_terminus.core.segmentation.package import ModelClass, load_package, record_recipe, roles_from_package
from glacier_terminus.core.segmentation.shipped_models import SHIPPED_MODELS, shipped_model_path

SAR_CLASSES = [ModelClass(1, "no information", "#303030", "no_information"), ModelClass(2, "rock", "#7a5c3c", "rock"),
               ModelClass(3, "glacier", "#dceefa", "glacier"), ModelClass(4, "ocean", "#1f4e9c", "ocean"),
               ModelClass(5, "front", "#e6194b", "front")]


class Collect(Reporter):
    def __init__(self):
        super().__init__()
        self.seen: list[tuple[str, object]] = []

    def _emit(self, key, value):
        self.seen.append((key, value))

    def said(self, key: str) -> list[str]:
        return [str(v) for k, v in self.seen if k == key]


def sar_package(path: Path, route: dict | None = None, imagery: str | None = "sar") -> Path:
    """A 1-band package with CaFFe's five classes (random weights) and, if given, a recorded route."""
    make_package(path, bands=1, tile=64, cell_size=None, n_classes=5)
    meta = json.loads((path / "model.json").read_text())
    meta["classes"] = [{"value": c.value, "name": c.name, "color": c.color, "role": c.role} for c in SAR_CLASSES]
    (path / "model.json").write_text(json.dumps(meta))
    record_recipe(path, imagery=imagery, front_extraction=route)
    return path


def zones_raster(path: Path, zones: np.ndarray, tags: dict | None = None, classes=SAR_CLASSES) -> Path:
    with rasterio.open(path, "w", driver="GTiff", width=zones.shape[1], height=zones.shape[0], count=1,
                       dtype="uint8", nodata=0, crs="EPSG:3413", transform=from_origin(0, 0, 10, 10)) as dst:
        dst.write(zones.astype(np.uint8), 1)
        dst.update_tags(classes=json.dumps({c.value: c.name for c in classes}), **(tags or {}))
    return path


def fjord() -> np.ndarray:
    """Rock down both sides, glacier above a straight front at row 30, ocean below; a strip of
    no information (radar shadow) between the rock and the ocean on the left, and a front class
    row along the front."""
    zones = np.full((64, 64), 3, np.uint8)
    zones[31:, :] = 4
    zones[:, :8] = 2
    zones[:, 56:] = 2
    zones[31:, 8:12] = 1
    zones[30, 12:56] = 5
    return zones


def test_the_sar_classes_have_their_roles(tmp_path):
    roles = roles_from_package(str(sar_package(tmp_path / "sar")))
    assert roles.ocean == (4,) and roles.glacier == (3,) and roles.front == 5
    assert 1 not in roles.ocean + roles.glacier and 2 not in roles.ocean + roles.glacier


def test_method_auto_follows_the_route_the_model_recorded(tmp_path):
    model = sar_package(tmp_path / "sar", route={"method": "zone_boundary", "keep": "main"})
    raster = zones_raster(tmp_path / "zones.tif", fjord())
    seen = Collect()
    result = extract_front_job({"input": str(raster), "model": str(model), "output": str(tmp_path / "a.gpkg")}, seen)
    assert result["method"] == "zone_boundary"
    assert any("recorded route" in m and "zone boundary" in m for m in seen.said("info"))
    # the route travels in the class raster's tags (as classify writes them): no MODEL needed
    tagged = zones_raster(tmp_path / "tagged.tif", fjord(),
                          {"front_extraction": json.dumps({"method": "zone_boundary"})})
    assert extract_front_job({"input": str(tagged), "output": str(tmp_path / "b.gpkg")},
                             SilentReporter())["method"] == "zone_boundary"
    # without a route, auto picks the front class as before; an explicit METHOD always wins
    untagged = zones_raster(tmp_path / "plain.tif", fjord())
    assert extract_front_job({"input": str(untagged), "output": str(tmp_path / "c.gpkg")},
                             SilentReporter())["method"] == "front_class"
    assert extract_front_job({"input": str(raster), "model": str(model), "method": "front_class",
                              "output": str(tmp_path / "d.gpkg")}, SilentReporter())["method"] == "front_class"


def test_rock_and_no_information_never_make_a_front(tmp_path):
    from glacier_terminus.core.geo.vector import read_vector

    model = sar_package(tmp_path / "sar", route={"method": "zone_boundary"})
    out = tmp_path / "front.gpkg"
    extract_front_job({"input": str(zones_raster(tmp_path / "z.tif", fjord())), "model": str(model),
                       "output": str(out), "smoothing": 0.0}, SilentReporter())
    xy = np.concatenate(read_vector(str(out), "OUTPUT").lines())
    cols = xy[:, 0] / 10.0
    rows = -xy[:, 1] / 10.0
    # the front runs along the glacier/ocean edge (row 30/31, where the front class lies) and never
    # down the rock (columns < 8, > 56) or the no-information strip (columns 8-12) beside the ocean
    assert np.all((rows >= 29.5) & (rows <= 31.5)), (rows.min(), rows.max())
    assert cols.min() >= 11.5 and cols.max() <= 56.5


def test_a_route_naming_an_unknown_method_is_refused_in_one_line(tmp_path):
    model = sar_package(tmp_path / "sar")
    meta = json.loads((model / "model.json").read_text())
    meta["front_extraction"] = {"method": "magic"}
    (model / "model.json").write_text(json.dumps(meta))
    with pytest.raises(EngineError, match=r"front_extraction names an unknown method 'magic'") as caught:
        load_package(model)
    assert "\n" not in str(caught.value)
    tagged = zones_raster(tmp_path / "tagged.tif", fjord(), {"front_extraction": json.dumps({"method": "magic"})})
    out = tmp_path / "front.gpkg"
    with pytest.raises(EngineError, match=r"INPUT's front_extraction tag names an unknown method 'magic'"):
        extract_front_job({"input": str(tagged), "output": str(out)}, SilentReporter())
    assert not out.exists()


def test_a_zones_raster_without_an_ocean_class_is_refused_in_one_line(tmp_path):
    zones = fjord()
    zones[zones == 4] = 3
    raster = zones_raster(tmp_path / "z.tif", zones, classes=[c for c in SAR_CLASSES if c.role != "ocean"])
    out = tmp_path / "front.gpkg"
    with pytest.raises(EngineError, match="No class of INPUT is ocean"):
        extract_front_job({"input": str(raster), "method": "zone_boundary", "output": str(out),
                           "ocean_classes": None}, SilentReporter())
    assert not out.exists()


def test_classify_carries_the_route_to_extraction(tmp_path):
    model = sar_package(tmp_path / "sar", route={"method": "zone_boundary", "keep": "main"})
    scene = make_raster(tmp_path / "JAC_2009-06-21_TSX_6_1_005.tif", 64, 64, bands=1, crs=None, dtype="uint8",
                        nodata=None)
    classes = tmp_path / "classes.tif"
    classify_job({"input": str(scene), "model": str(model), "output": str(classes), "device": "cpu"},
                 SilentReporter())
    with rasterio.open(classes) as ds:
        assert json.loads(ds.tags()["front_extraction"]) == {"keep": "main", "method": "zone_boundary"}
        assert ds.tags()["imagery"] == "sar"


def test_an_optical_four_band_raster_given_to_the_sar_model_is_refused(tmp_path):
    model = sar_package(tmp_path / "sar")
    scene = make_raster(tmp_path / "scene.tif", 64, 64, bands=4)
    out = tmp_path / "classes.tif"
    with pytest.raises(EngineError, match=r"INPUT looks like optical imagery \(it has 4 bands\) but model .* is a "
                                          r"SAR model of 1 band\(s\): use an optical model \(the shipped "
                                          r"optical_fronts\)"):
        classify_job({"input": str(scene), "model": str(model), "output": str(out), "device": "cpu"},
                     SilentReporter())
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["sar", "scene.tif"]


def test_a_landsat_scene_given_to_the_sar_model_warns(tmp_path):
    model = sar_package(tmp_path / "sar")
    scene = make_raster(tmp_path / "LC08_L1TP_020007_20140801_20170420_01_T1_B8.tif", 64, 64, bands=1)
    seen = Collect()
    classify_job({"input": str(scene), "model": str(model), "output": str(tmp_path / "c.tif"), "device": "cpu"},
                 seen)
    assert any("looks like optical imagery (its name is a Landsat scene's)" in w for w in seen.said("warning"))
    seen = Collect()
    sar_scene = make_raster(tmp_path / "S1A_IW_GRDH_1SDH_20190812T093243_x.tif", 64, 64, bands=1)
    classify_job({"input": str(sar_scene), "model": str(model), "output": str(tmp_path / "d.tif"), "device": "cpu"},
                 seen)
    assert not any("looks like" in w for w in seen.said("warning"))


def test_shipped_models_are_found_by_name():
    assert set(SHIPPED_MODELS) == {"optical_fronts", "sar_zones"}
    if not (shipped_model_path("optical_fronts") / "model.json").is_file():
        pytest.skip("the shipped optical model is not in models/default")
    pkg = load_package("optical_fronts")
    assert pkg.path == shipped_model_path("optical_fronts") and pkg.imagery == "optical"
    assert pkg.front_extraction["method"] == "front_class"


@pytest.mark.parametrize("name", sorted(SHIPPED_MODELS))
def test_a_shipped_package_names_no_folder_of_the_machine_that_trained_it(name):
    folder = shipped_model_path(name)
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()
             if p.suffix in (".json", ".html", ".md")}
    if "model.json" not in texts:
        pytest.skip(f"the shipped model {name} is not in {folder}")
    assert {"model.json", "report.html"} <= set(texts)
    for file, text in texts.items():
        found = re.findall(r"(?<![\w.~-])(?:/(?:work|home|tmp|root|Users|mnt)/|[A-Za-z]:\\\\)[^\s\"<]*", text)
        assert not found, f"{file} names {found[:3]}"


def test_every_method_but_auto_has_its_route_in_the_registry():
    from glacier_terminus.core.choices import EXTRACT_METHODS
    from glacier_terminus.core.fronts.routes import ROUTES

    assert set(ROUTES) == set(EXTRACT_METHODS) - {"auto"}


@pytest.mark.parametrize("name,role", [
    ("rock glacier", "rock"), ("snow on rock", "rock"), ("iceberg water", "ocean"), ("ice melange", "ocean"),
    ("glacier ice", "glacier"), ("calving front", "front"), ("no information", "no_information"),
    ("background", "background"), ("cloud", "other"),
])
def test_one_role_guesser_for_export_and_extraction(tmp_path, name, role):
    """Tile export records the role front extraction would guess from the same name."""
    from glacier_terminus.core.classes import role_of, roles_from_names
    from glacier_terminus.core.data.dataset import DatasetWriter

    assert role_of(name) == role
    with DatasetWriter(tmp_path / "tiles", 32, None, ["grey"], "uint8", None, SilentReporter()) as writer:
        writer.add_class(1, name)
        assert writer.dataset.classes[0].role == role
        roles = roles_from_names({1: name})
    found = {"ocean": roles.ocean, "glacier": roles.glacier, "rock": roles.rock,
             "front": (roles.front,) if roles.front else ()}
    assert {r for r, values in found.items() if values} == ({role} & set(found))


def test_no_settings_take_the_classify_and_extraction_settings_the_model_recorded(tmp_path):
    """Classify Pixels and Extract Calving Front left at their defaults give what the settings model.json
    records give when spelt out (TTA from ``classify``, the route from ``front_extraction``)."""
    route = {"method": "front_class", "grow_threshold": 0.2, "keep": "main", "min_length_cells": 3.0,
             "min_mean_prob": 0.05}
    model = sar_package(tmp_path / "sar", route=route)
    record_recipe(model, classify={"tta": 1})
    scene = make_raster(tmp_path / "scene.tif", 96, 96, bands=1, crs=None, dtype="uint8", nodata=None, seed=3)
    outputs = {}
    for name, settings in (("defaults", {}), ("tta", {"tta": 1}), ("plain", {"tta": 0})):
        seen = Collect()
        paths = {"output": str(tmp_path / f"{name}.tif"), "output_probabilities": str(tmp_path / f"{name}_p.tif")}
        classify_job({"input": str(scene), "model": str(model), "device": "cpu", **paths, **settings}, seen)
        with rasterio.open(paths["output_probabilities"]) as ds:
            outputs[name] = ds.read()
        if name == "defaults":
            assert any("TTA on (the model's recorded setting)" in m for m in seen.said("info"))
    np.testing.assert_array_equal(outputs["defaults"], outputs["tta"])
    assert not np.array_equal(outputs["defaults"], outputs["plain"]), "TTA changes the probabilities"
    fronts = {}
    for name, settings in (("defaults", {}), ("spelt out", {k: v for k, v in route.items() if k != "min_length_cells"}
                                                           | {"min_length": 3.0})):
        seen = Collect()
        out = tmp_path / f"{name}.gpkg"
        extract_front_job({"input": str(tmp_path / "defaults.tif"), "probabilities": str(tmp_path / "defaults_p.tif"),
                           "output": str(out), **settings}, seen)
        fronts[name] = [(f.geometry, f.properties) for f in read_vector(out).features]
        if name == "defaults":
            assert ("METHOD auto: the model's recorded route, front class (GROW_THRESHOLD 0.2, KEEP main, "
                    "MIN_MEAN_PROB 0.05, MIN_LENGTH_CELLS 3.0).") in seen.said("info")
    assert fronts["defaults"] and fronts["defaults"] == fronts["spelt out"]
