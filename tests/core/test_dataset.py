"""Export Training Tiles in the engine: tiles, labels, dataset.json, appending, PNG pairs, errors."""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio
from helpers import FRONTLEARNING
from rasterio.transform import from_origin

from glacier_terminus.core.data.dataset import load_dataset
from glacier_terminus.core.data.png_dataset import export_png_job
from glacier_terminus.core.data.tile_export import export_tiles_job
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.synthetic import scenes as sy
from glacier_terminus.core.synthetic.writer import write_scene


def export(inp, labels, out, **kw) -> tuple[dict, SilentReporter]:
    rep = SilentReporter()
    job = {"input": str(inp), "labels": str(labels), "output": str(out), "class_field": None, "line_width": 3.0,
           "tile_size": 64, "stride": 0, "cell_size": 0.0, "min_labeled": 0.05, "source": None, "group": None}
    job.update(kw)
    return export_tiles_job(job, rep), rep


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A 4-band synthetic scene (EPSG:3413, 30 m, 150 x 110 px) with its zones and front."""
    folder = tmp_path_factory.mktemp("scene")
    spec = sy.SceneSpec(width=150, height=110, seed=5)
    write_scene(spec, str(folder / "scene.tif"), zones_path=str(folder / "zones.tif"),
                   front_path=str(folder / "front.geojson"))
    return spec, folder


def chips(out: Path):
    meta = json.loads((out / "dataset.json").read_text())
    for t in meta["tiles"]:
        with rasterio.open(out / t["image"]) as im, rasterio.open(out / t["label"]) as lb:
            yield t, im.read(), np.all(im.read_masks() > 0, axis=0), lb.read(1), im.transform, lb.transform


def test_tiles_cover_the_raster_and_labels_line_up(scene, tmp_path):
    spec, folder = scene
    out = tmp_path / "tiles"
    result, _ = export(folder / "scene.tif", folder / "zones.tif", out, stride=48, min_labeled=0.0)
    image = sy.image_window(spec, 0, 0, spec.height, spec.width)
    zones = sy.zones_from_surface(sy.surface_window(spec, 0, 0, spec.height, spec.width))
    covered = np.zeros((spec.height, spec.width), bool)
    with rasterio.open(folder / "scene.tif") as src:
        for t, img, valid, lab, itf, ltf in chips(out):
            r, c = t["row"], t["col"]
            assert img.shape == (4, 64, 64) and valid.all()
            assert (img == image[:, r:r + 64, c:c + 64]).all(), "image chip is the raster's window"
            assert (lab == zones[r:r + 64, c:c + 64]).all(), "label chip lines up pixel for pixel"
            assert itf == ltf == src.window_transform(rasterio.windows.Window(c, r, 64, 64))
            covered[r:r + 64, c:c + 64] = True
    assert covered.all(), "tiles cover the whole raster"
    starts_r, starts_c = {t["row"] for t, *_ in chips(out)}, {t["col"] for t, *_ in chips(out)}
    assert starts_r == {0, 46} and starts_c == {0, 48, 86}, "stride 48, last tile ends at the edge"
    assert result["tiles_written"] == 6


def test_a_class_raster_on_another_grid_is_read_on_the_image_grid(scene, tmp_path):
    spec, folder = scene
    zones = sy.zones_from_surface(sy.surface_window(spec, 0, 0, spec.height, spec.width))
    coarse = zones[::2, ::2]  # 60 m cells over the same area
    with rasterio.open(folder / "scene.tif") as src:
        profile = dict(driver="GTiff", width=coarse.shape[1], height=coarse.shape[0], count=1, dtype="uint8",
                       nodata=0, crs=src.crs, transform=src.transform * src.transform.scale(2, 2))
    with rasterio.open(tmp_path / "coarse.tif", "w", **profile) as dst:
        dst.write(coarse, 1)
    out = tmp_path / "tiles"
    export(folder / "scene.tif", tmp_path / "coarse.tif", out, stride=64, min_labeled=0.0)
    for t, _, _, lab, *_ in chips(out):
        rows = (np.arange(64) + t["row"]) // 2
        cols = (np.arange(64) + t["col"]) // 2
        assert (lab == coarse[rows[:, None], cols[None, :]]).all()


def test_dataset_json_statistics_and_classes_match_the_chips(scene, tmp_path):
    spec, folder = scene
    out = tmp_path / "tiles"
    export(folder / "scene.tif", folder / "zones.tif", out)
    ds = load_dataset(out)
    values = np.concatenate([img.reshape(4, -1) for _, img, *_ in chips(out)], axis=1).astype(np.float64)
    labels = np.concatenate([c[3].ravel() for c in chips(out)])
    for b, stats in enumerate(ds.bands):
        assert stats.mean == pytest.approx(values[b].mean(), rel=1e-9)
        assert stats.std == pytest.approx(values[b].std(), rel=1e-6)
    assert [c.name for c in ds.classes] == ["ocean", "glacier", "rock"]
    assert [c.role for c in ds.classes] == ["ocean", "glacier", "rock"]
    assert {c.value: c.pixels for c in ds.classes} == {v: int((labels == v).sum()) for v in (1, 2, 3)}
    assert ds.tile_size == 64 and ds.cell_size == pytest.approx(30.0) and ds.dtype == "uint16"
    assert {t.source for t in ds.tiles} == {"scene"}


def test_runs_into_one_folder_append_and_keep_statistics_exact(scene, tmp_path):
    spec, folder = scene
    other = tmp_path / "other.tif"
    write_scene(sy.SceneSpec(width=100, height=80, seed=9), str(other), zones_path=str(tmp_path / "oz.tif"))
    out = tmp_path / "tiles"
    export(folder / "scene.tif", folder / "zones.tif", out, group="west")
    result, _ = export(other, tmp_path / "oz.tif", out, group="east")
    ds = load_dataset(out)
    assert len(ds.tiles) == result["dataset"]["tiles"] and {s["source"] for s in ds.sources} == {"scene", "other"}
    assert {t.group for t in ds.tiles} == {"west", "east"}
    values = np.concatenate([img.reshape(4, -1) for _, img, *_ in chips(out)], axis=1).astype(np.float64)
    assert ds.bands[0].mean == pytest.approx(values[0].mean(), rel=1e-9)
    assert ds.bands[0].std == pytest.approx(values[0].std(), rel=1e-6)
    assert len(os.listdir(out / "images")) == len(ds.tiles)
    with pytest.raises(EngineError, match="already holds tiles of"):
        export(other, tmp_path / "oz.tif", out)


@pytest.mark.parametrize("change,message", [
    ({"tile_size": 96}, "TILE_SIZE=64"),
    ({"cell_size": 60.0}, "CELL_SIZE=30"),
    ({"sar": True}, "band"),
])
def test_appending_something_incompatible_is_refused_and_changes_nothing(scene, tmp_path, change, message):
    spec, folder = scene
    out = tmp_path / "tiles"
    export(folder / "scene.tif", folder / "zones.tif", out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    inp = folder / "scene.tif"
    if change.pop("sar", False):
        inp = tmp_path / "sar.tif"
        write_scene(sy.SceneSpec(width=100, height=80, seed=2, kind="sar"), str(inp))
    with pytest.raises(EngineError, match=message) as err:
        export(inp, folder / "zones.tif", out, **change)
    assert "\n" not in str(err.value)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def geo_raster(path: Path, height=96, width=128, crs="EPSG:32624", cell=10.0, origin=(500000.0, 7500000.0)):
    data = (np.arange(height * width).reshape(1, height, width) % 251).astype("uint8")
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="uint8", crs=crs,
                       transform=from_origin(*origin, cell, cell)) as dst:
        dst.write(data)
    return path


def test_polygons_rasterise_where_they_should(tmp_path):
    inp = geo_raster(tmp_path / "in.tif")  # x 500000..501280, y 7499040..7500000, 10 m
    box = lambda x0, y0, x1, y1: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]  # noqa: E731
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kind": "water"}, "geometry": {"type": "Polygon",
         "coordinates": box(500100, 7499500, 500400, 7499800)}},  # cols 10..39, rows 20..49
        {"type": "Feature", "properties": {"kind": "ice"}, "geometry": {"type": "Polygon",
         "coordinates": box(500700, 7499100, 501000, 7499300)}},  # cols 70..99, rows 70..89
    ]}
    (tmp_path / "poly.geojson").write_text(json.dumps(fc))
    out = tmp_path / "tiles"
    export(inp, tmp_path / "poly.geojson", out, class_field="kind", tile_size=64, stride=32, min_labeled=0.0)
    ds = load_dataset(out)
    assert [(c.value, c.name, c.role) for c in ds.classes] == [(1, "ice", "glacier"), (2, "water", "ocean")]
    full = np.zeros((96, 128), np.uint8)
    for t, _, _, lab, *_ in chips(out):
        full[t["row"]:t["row"] + 64, t["col"]:t["col"] + 64] = lab
    expected = np.zeros((96, 128), np.uint8)
    expected[20:50, 10:40] = 2
    expected[70:90, 70:100] = 1
    assert (full == expected).all()


def test_front_lines_are_burnt_line_width_pixels_wide(tmp_path):
    inp = geo_raster(tmp_path / "in.tif")
    y = 7500000 - 10 * 40.5  # the centre of row 40
    line = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "LineString", "coordinates": [[500000 - 50, y], [501280 + 50, y]]}}]}
    (tmp_path / "front.geojson").write_text(json.dumps(line))
    out = tmp_path / "tiles"
    export(inp, tmp_path / "front.geojson", out, line_width=3, tile_size=64, stride=64, min_labeled=0.0)
    ds = load_dataset(out)
    assert [(c.name, c.role) for c in ds.classes] == [("background", "background"), ("front", "front")]
    full = np.zeros((96, 128), np.uint8)
    for t, _, _, lab, *_ in chips(out):
        full[t["row"]:t["row"] + 64, t["col"]:t["col"] + 64] = lab
    front_rows = np.flatnonzero((full == 2).all(axis=1))
    assert front_rows.tolist() == [39, 40, 41], "3 px wide, centred on the line, across tile borders"
    assert ((full == 2).sum(axis=0) == 3).all() and (full[full != 2] == 1).all()


def test_synthetic_front_labels_follow_the_true_front(scene, tmp_path):
    spec, folder = scene
    out = tmp_path / "tiles"
    export(folder / "scene.tif", folder / "front.geojson", out, line_width=3, min_labeled=0.0)
    zones = sy.zones_from_surface(sy.surface_window(spec, 0, 0, spec.height, spec.width))
    boundary = np.zeros_like(zones, bool)
    boundary[:-1] |= (zones[:-1] == 2) & (zones[1:] == 1)  # glacier above ocean
    full = np.zeros_like(zones)
    for t, _, _, lab, *_ in chips(out):
        full[t["row"]:t["row"] + 64, t["col"]:t["col"] + 64] = lab
    from scipy.ndimage import distance_transform_edt

    distance = distance_transform_edt(~boundary)
    assert (full == 2).sum() > 0 and distance[full == 2].max() <= 2.5


def test_cell_size_resamples_the_tiles(scene, tmp_path):
    spec, folder = scene
    out = tmp_path / "tiles"
    _, rep = export(folder / "scene.tif", folder / "zones.tif", out, cell_size=60.0, tile_size=32, min_labeled=0.0)
    assert any("Resampling" in m for m in rep.of("info"))
    ds = load_dataset(out)
    assert ds.cell_size == pytest.approx(60.0)
    for _tile, img, _valid, lab, itf, _ in chips(out):
        assert img.shape == (4, 32, 32) and itf.a == pytest.approx(60.0)
        assert set(np.unique(lab)) <= {0, 1, 2, 3}


def test_a_raster_smaller_than_a_tile_is_padded_with_a_warning(tmp_path):
    inp = geo_raster(tmp_path / "small.tif", height=40, width=50)
    poly = {"type": "Feature", "properties": {"c": 1}, "geometry": {"type": "Polygon", "coordinates": [
        [[500000, 7499600], [500500, 7499600], [500500, 7500000], [500000, 7500000], [500000, 7499600]]]}}
    (tmp_path / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [poly]}))
    out = tmp_path / "tiles"
    result, rep = export(inp, tmp_path / "p.geojson", out, class_field="c", tile_size=64)
    assert any("smaller than TILE_SIZE 64" in w and "padded" in w for w in rep.of("warning"))
    [(t, img, valid, lab, *_)] = list(chips(out))
    assert valid[:40, :50].all() and not valid[40:].any() and not valid[:, 50:].any()
    assert (lab[40:] == 0).all() and (lab[:, 50:] == 0).all() and (lab[:40, :50] == 1).all()


def front_png_pairs(folder: Path, scenes: dict[str, int]) -> tuple[Path, Path]:
    """PNG pairs like FrontLearning's: grey RGBA images, a dark front line on white labels."""
    images, labels = folder / "images", folder / "labels"
    images.mkdir()
    labels.mkdir()
    for i, (scene, row) in enumerate(scenes.items()):
        grey = ((np.arange(80 * 100).reshape(80, 100) * (i + 3)) % 200 + 20).astype("uint8")
        rgba = np.stack([grey, grey, grey, np.full_like(grey, 255)])
        label = np.full((3, 80, 100), 255, "uint8")
        label[:, row - 1:row + 2, :] = 0
        for path, data in ((images / f"{scene}_Subset.png", rgba), (labels / f"{scene}_Front.png", label)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
                with rasterio.open(path, "w", driver="PNG", width=100, height=80, count=len(data),
                                   dtype="uint8") as dst:
                    dst.write(data)
    return images, labels


def test_png_pairs_become_a_front_dataset_grouped_by_glacier(tmp_path):
    scenes = {"LE07_L1TP_008011_20000323_20170212_01_T1_B2": 30, "LC08_L1TP_230012_20150819_20170406_01_T1_B8": 50,
              "LC08_L1TP_022006_20130718_20170503_01_T1_B2": 60}
    images, labels = front_png_pairs(tmp_path, scenes)
    out = tmp_path / "tiles"
    rep = SilentReporter()
    result = export_png_job({"images": str(images), "labels": str(labels), "output": str(out), "tile_size": 64,
                             "stride": 0, "min_labeled": 0.05, "image_suffix": "_Subset", "label_suffix": "_Front",
                             "threshold": 128, "groups": None}, rep)
    ds = load_dataset(out)
    assert ds.cell_size is None and ds.crs is None and [b.name for b in ds.bands] == ["grey"]
    assert {t.source: t.group for t in ds.tiles} == {
        "LE07_L1TP_008011_20000323_20170212_01_T1_B2": "Jakobshavn",
        "LC08_L1TP_230012_20150819_20170406_01_T1_B8": "Kangerlussuaq",
        "LC08_L1TP_022006_20130718_20170503_01_T1_B2": "Sverdrup"}
    assert [(c.name, c.role) for c in ds.classes] == [("background", "background"), ("front", "front")]
    assert result["tiles_written"] == len(ds.tiles) == 3 * 6  # rows 0, 16 x cols 0, 32, 36 (stride 32)
    assert ds.classes[1].pixels > 0
    for t, _img, _valid, lab, *_ in chips(out):
        front = scenes[t["source"]]
        assert t["row"] <= front < t["row"] + 64, "every tile of these scenes holds the front's row"
        rows = np.flatnonzero((lab == 2).any(axis=1)) + t["row"]
        assert rows.size > 0 and set(rows.tolist()) <= {front + d for d in (-1, 0, 1)}, "the front where it is drawn"


@pytest.mark.skipif(not (FRONTLEARNING / "images").is_dir(), reason="FrontLearning data not present")
def test_the_frontlearning_folder_exports(tmp_path):
    rep = SilentReporter()
    result = export_png_job({"images": str(FRONTLEARNING / "images"), "labels": str(FRONTLEARNING / "labels"),
                             "output": str(tmp_path / "fl"), "tile_size": 192, "stride": 192, "min_labeled": 0.05,
                             "image_suffix": "_Subset", "label_suffix": "_Front", "threshold": 128,
                             "groups": None}, rep)
    assert result["scenes"] == 123
    assert set(result["groups"]) == {"Jakobshavn", "Sverdrup", "Kangerlussuaq"}
    assert len({s["source"] for s in load_dataset(tmp_path / "fl").sources}) == 123


@pytest.mark.parametrize("case,message", [
    ("missing labels", "LABELS .* does not exist"),
    ("tile size", "TILE_SIZE must be a multiple of 32"),
    ("stride", "STRIDE must be between 1 and TILE_SIZE"),
    ("no class field", "CLASS_FIELD is required"),
    ("wrong class field", "no field 'nope' \\(its fields: kind\\)"),
    ("far polygons", "No tile has at least MIN_LABELED"),
    ("not empty", "not empty and has no dataset.json"),
    ("cell size without crs", "no CRS .* CELL_SIZE must be 0"),
])
def test_bad_input_is_one_line_error_and_no_output(tmp_path, case, message):
    inp = geo_raster(tmp_path / "in.tif", crs=None if case == "cell size without crs" else "EPSG:32624")
    x0 = 900000 if case == "far polygons" else 500000
    poly = {"type": "Feature", "properties": {"kind": 1}, "geometry": {"type": "Polygon", "coordinates": [
        [[x0, 7499600], [x0 + 500, 7499600], [x0 + 500, 7500000], [x0, 7500000], [x0, 7499600]]]}}
    (tmp_path / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [poly]}))
    labels, kw = tmp_path / "p.geojson", {"class_field": "kind"}
    out = tmp_path / "tiles"
    if case == "missing labels":
        labels = tmp_path / "none.geojson"
    elif case == "tile size":
        kw["tile_size"] = 50
    elif case == "stride":
        kw["stride"] = 100
    elif case == "no class field":
        kw["class_field"] = None
    elif case == "wrong class field":
        kw["class_field"] = "nope"
    elif case == "not empty":
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    elif case == "cell size without crs":
        kw["cell_size"] = 30.0
        labels = inp
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(EngineError, match=message) as err:
        export(inp, labels, out, **kw)
    assert "\n" not in str(err.value)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_cancel_leaves_no_folder(scene, tmp_path):
    spec, folder = scene

    class CancelAtFirstTile(SilentReporter):
        def progress(self, percent):
            super().progress(percent)
            self.cancel_requested = True

    with pytest.raises(EngineError, match="Cancelled"):
        export_tiles_job({"input": str(folder / "scene.tif"), "labels": str(folder / "zones.tif"),
                          "output": str(tmp_path / "tiles"), "tile_size": 64, "min_labeled": 0.0},
                         CancelAtFirstTile())
    assert not (tmp_path / "tiles").exists()


def test_png_fronts_are_thinned_and_grown_to_line_width(tmp_path):
    scenes = {"LE07_L1TP_008011_20000323_20170212_01_T1_B2": 30}  # drawn 3 px wide, rows 29-31
    images, labels = front_png_pairs(tmp_path, scenes)
    job = {"images": str(images), "labels": str(labels), "tile_size": 64, "stride": 0, "min_labeled": 0.0,
           "image_suffix": "_Subset", "label_suffix": "_Front", "threshold": 128, "groups": None}
    widths = {}
    for width in (0, 1, 7):
        out = tmp_path / f"tiles{width}"
        export_png_job({**job, "output": str(out), "line_width": width}, SilentReporter())
        full = np.zeros((80, 100), np.uint8)
        for t, _, _, lab, *_ in chips(out):
            full[t["row"]:t["row"] + 64, t["col"]:t["col"] + 64] = lab
        rows = np.flatnonzero((full == 2).any(axis=1)).tolist()
        widths[width] = rows
        assert ((full == 2).sum(axis=0) == len(rows)).all(), "the same width in every column"
    assert widths == {0: [29, 30, 31], 1: [30], 7: list(range(27, 34))}, "as drawn; centre line; 7 px about it"
    with pytest.raises(EngineError, match="LINE_WIDTH must be 0"):
        export_png_job({**job, "output": str(tmp_path / "bad"), "line_width": 0.5}, SilentReporter())
    assert not (tmp_path / "bad").exists()
