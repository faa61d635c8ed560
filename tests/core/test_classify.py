"""The classify engine: grids, blending, cell size, NoData, errors, atomic outputs."""
import json

import numpy as np
import pytest
import rasterio
import torch
from helpers import make_package, make_raster

from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.geo.flow import DIRECTIONS, turns_between
from glacier_terminus.core.geo.tiling import tile_grid
from glacier_terminus.core.segmentation import inference
from glacier_terminus.core.segmentation.inference import PROBABILITY_NODATA, classify_job, predict, predict_turned
from glacier_terminus.core.segmentation.package import load_package


def job(inp, model, out, **kw):
    return {"input": str(inp), "model": str(model), "output": str(out), "output_probabilities": None,
            "padding": None, "batch_size": 4, "cell_size": 0.0, "device": "cpu", "tta": 0,
            "extent": None, "mask": None, **kw}


def read(path, band=None):
    with rasterio.open(path) as d:
        return (d.read(band) if band else d.read()), d.profile


def test_output_keeps_grid_crs_and_colours(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 150, 170)
    result = classify_job(job(inp, model, tmp_path / "out.tif", tile_size=64), SilentReporter())
    classes, prof = read(tmp_path / "out.tif", 1)
    with rasterio.open(inp) as src, rasterio.open(tmp_path / "out.tif") as out:
        assert (out.width, out.height, out.crs, out.transform) == (src.width, src.height, src.crs, src.transform)
        assert out.dtypes[0] == "uint8" and out.nodata == 0
        assert set(out.colormap(1)) >= {1, 2, 3}
    assert set(np.unique(classes)) <= {1, 2, 3}
    assert result["device"] == "cpu" and result["tiles"] > 1


def test_single_tile_equals_bare_forward(tmp_path, model):
    # a raster that fits in one tile: the tiled, blended pipeline is the network itself
    inp = make_raster(tmp_path / "in.tif", 64, 64)
    classify_job(job(inp, model, tmp_path / "c.tif", output_probabilities=str(tmp_path / "p.tif")),
                 SilentReporter())
    pkg = load_package(model)
    net = pkg.build_network("cpu")
    data, _ = read(inp)
    mean = np.array([b.mean for b in pkg.bands])[:, None, None]
    std = np.array([b.std for b in pkg.bands])[:, None, None]
    x = torch.from_numpy(((data - mean) / std).astype(np.float32))[None]
    with torch.inference_mode():
        expected = torch.softmax(net(x), 1)[0].numpy()
    probs, _ = read(tmp_path / "p.tif")
    np.testing.assert_allclose(probs, expected, atol=1e-5)
    classes, _ = read(tmp_path / "c.tif", 1)
    assert (classes == expected.argmax(0) + 1).all()


def checkerboard_logits(net, batch, plan):  # noqa: ARG001 - logits_for's signature
    """Stands in for the network: each tile's logits are one constant, 0 or 3 for class 1 in a
    checkerboard of tiles, so neighbouring tiles disagree as much as they can."""
    rows = sorted({t.row for t in tile_grid(plan.region.height, plan.region.width, plan.tile_in, plan.overlap_in)})
    cols = sorted({t.col for t in tile_grid(plan.region.height, plan.region.width, plan.tile_in, plan.overlap_in)})
    out = np.zeros((len(batch.tiles), 3, plan.tile_in, plan.tile_in), np.float32)
    for k, t in enumerate(batch.tiles):
        out[k, 0] = 3.0 * ((rows.index(t.row) + cols.index(t.col)) % 2)
    return out


def test_overlapping_tiles_leave_no_seams(tmp_path, model, monkeypatch):
    """Where two tiles disagree, the blended probability crosses from one to the other over the
    overlap: no step between neighbouring pixels larger than a fifth of the whole change (a plain
    average of the overlapping tiles steps by half of it at the overlap's edge, a cut by all of it)."""
    monkeypatch.setattr(inference, "logits_for", checkerboard_logits)
    inp = make_raster(tmp_path / "in.tif", 200, 200)
    classify_job(job(inp, model, tmp_path / "c.tif", padding=16, tile_size=64,
                     output_probabilities=str(tmp_path / "p.tif")),
                 SilentReporter())
    p, _ = read(tmp_path / "p.tif", 1)
    change = float(p.max() - p.min())
    assert change > 0.5, "the tiles did not disagree"
    steps = max(float(np.abs(np.diff(p, axis=0)).max()), float(np.abs(np.diff(p, axis=1)).max()))
    assert steps < 0.2 * change, f"a step of {steps:.3f} where the whole change is {change:.3f}"


@pytest.mark.parametrize("shape", [(10, 13), (64, 65), (129, 70)])
def test_small_and_odd_rasters(tmp_path, model, shape):
    inp = make_raster(tmp_path / "in.tif", *shape)
    classify_job(job(inp, model, tmp_path / "c.tif"), SilentReporter())
    classes, prof = read(tmp_path / "c.tif", 1)
    assert classes.shape == shape and (classes > 0).all()


def test_batch_size_does_not_change_result(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 140, 150)
    for b in (1, 8):
        classify_job(job(inp, model, tmp_path / f"c{b}.tif", batch_size=b), SilentReporter())
    assert (read(tmp_path / "c1.tif", 1)[0] == read(tmp_path / "c8.tif", 1)[0]).all()


def test_nodata_stays_nodata(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 100, 100)
    with rasterio.open(inp, "r+") as d:
        a = d.read()
        a[:, 20:40, 30:60] = 0
        d.write(a)
    classify_job(job(inp, model, tmp_path / "c.tif", output_probabilities=str(tmp_path / "p.tif")),
                 SilentReporter())
    classes, _ = read(tmp_path / "c.tif", 1)
    probs, _ = read(tmp_path / "p.tif")
    assert (classes[20:40, 30:60] == 0).all() and (classes[:20] > 0).all()
    assert (probs[:, 20:40, 30:60] == PROBABILITY_NODATA).all()


def test_cell_size_matching_writes_on_input_grid(tmp_path, model):
    # a 15 m raster with a 30 m model: tiles of 128 input px are read at 64 px
    inp = make_raster(tmp_path / "in.tif", 180, 200, cell=15.0)
    rep = SilentReporter()
    result = classify_job(job(inp, model, tmp_path / "c.tif", tile_size=64), rep)
    assert any("Resampling" in m for m in rep.of("info"))
    with rasterio.open(inp) as src, rasterio.open(tmp_path / "c.tif") as out:
        assert (out.shape, out.transform) == (src.shape, src.transform)
    assert result["tiles"] == 2 * 3  # 128-px tiles, 64 px overlap: rows at 0, 52; cols at 0, 64, 72


def test_cell_size_parameter_overrides_model(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 100, 100, cell=30.0)
    rep = SilentReporter()
    classify_job(job(inp, model, tmp_path / "c.tif", cell_size=60.0), rep)
    assert any("60.00 m" in m for m in rep.of("info"))


def test_raster_without_crs_works_in_pixels_with_warning(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 70, 80, crs=None)
    rep = SilentReporter()
    classify_job(job(inp, model, tmp_path / "c.tif"), rep)
    assert any("no CRS" in w for w in rep.of("warning"))
    assert read(tmp_path / "c.tif", 1)[0].shape == (70, 80)
    with rasterio.open(tmp_path / "c.tif") as out:  # where QGIS draws the input: x = column, y = -row
        assert out.crs is None and out.transform == rasterio.Affine(1, 0, 0, 0, -1, 0)
    mask = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[10, -20], [50, -20], [50, -60], [10, -60], [10, -20]]]}}]}
    (tmp_path / "mask.geojson").write_text(json.dumps(mask))
    classify_job(job(inp, model, tmp_path / "m.tif", mask=str(tmp_path / "mask.geojson")), SilentReporter())
    with rasterio.open(tmp_path / "m.tif") as out:  # rows 20..60, columns 10..50 of the input
        assert (out.width, out.height) == (40, 40) and out.transform == rasterio.Affine(1, 0, 10, 0, -1, -20)


def test_extent_and_mask_cut_the_output(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 100, 100)  # x -200000..-197000, y -2203000..-2200000
    classify_job(job(inp, model, tmp_path / "e.tif", extent=[-199700, -2201500, -198500, -2200300]),
                 SilentReporter())
    with rasterio.open(tmp_path / "e.tif") as d:
        assert (d.width, d.height) == (40, 40) and d.bounds.left == -199700
    mask = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[-199700, -2201500], [-198500, -2201500], [-199700, -2200300],
                                            [-199700, -2201500]]]}}]}
    (tmp_path / "mask.geojson").write_text(json.dumps(mask))
    classify_job(job(inp, model, tmp_path / "m.tif", mask=str(tmp_path / "mask.geojson")), SilentReporter())
    classes, _ = read(tmp_path / "m.tif", 1)
    assert classes.shape == (40, 40)
    assert classes[-1, 0] > 0 and classes[0, -1] == 0  # inside / outside the triangle


def test_tta_runs_and_agrees_mostly(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 64, 64)
    classify_job(job(inp, model, tmp_path / "a.tif"), SilentReporter())
    classify_job(job(inp, model, tmp_path / "b.tif", tta=1), SilentReporter())
    assert read(tmp_path / "b.tif", 1)[0].min() > 0


def numpy_forward(net):
    """A torch module as a runtime's forward: numpy in, numpy out."""
    def forward(x):
        with torch.no_grad():
            return net(torch.from_numpy(np.ascontiguousarray(x))).numpy()
    return forward


def test_tta_over_quarter_turns_is_the_same_for_a_turned_tile():
    """With quarter turns TTA averages the 8 symmetries of the square: a turned (transposed) tile
    gets the turned logits; with flips only it need not."""
    torch.manual_seed(0)
    net = numpy_forward(torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(),
                                            torch.nn.Conv2d(4, 2, (1, 5), padding=(0, 2))).eval())
    x = np.random.default_rng(0).standard_normal((2, 1, 16, 16)).astype(np.float32)
    turned = predict(net, x.swapaxes(2, 3), True, True)
    np.testing.assert_allclose(turned, predict(net, x, True, True).swapaxes(2, 3), atol=1e-5)
    flips = predict(net, x.swapaxes(2, 3), True)
    assert not np.allclose(flips, predict(net, x, True).swapaxes(2, 3), atol=1e-4)


#: A 3 x 3 arrow from the centre towards each way a glacier can flow: (row, col) of its head.
ARROW_HEAD = {"right": (1, 2), "up": (0, 1), "left": (1, 0), "down": (2, 1)}


@pytest.mark.parametrize("flow", DIRECTIONS)
@pytest.mark.parametrize("to", DIRECTIONS)
def test_turns_between_turn_one_flow_into_another(flow, to):
    arrow = np.zeros((3, 3))
    arrow[1, 1], arrow[ARROW_HEAD[flow]] = 1, 2
    pointed = np.rot90(arrow, turns_between(flow, to))
    assert pointed[ARROW_HEAD[to]] == 2, f"a glacier flowing {flow} flows {to} after the turn"


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_turned_prediction_is_the_networks_on_the_turned_tile_turned_back(turns):
    """The logits a scene gets with ``turns`` are the network's on the scene turned to lie as the
    model's training scenes did, turned back to the scene's grid."""
    torch.manual_seed(1)
    net = numpy_forward(torch.nn.Conv2d(1, 2, (1, 5), padding=(0, 2)).eval())  # not symmetric under turns
    trained = np.random.default_rng(1).standard_normal((1, 1, 12, 12)).astype(np.float32)  # lying as in training
    scene = np.rot90(trained, -turns, (2, 3))
    got = predict_turned(net, scene, turns, False)
    np.testing.assert_allclose(got, np.rot90(net(trained), -turns, (2, 3)), atol=1e-6)
    assert not np.allclose(got, net(scene), atol=1e-4)


def test_logits_are_resized_as_torch_resizes_them():
    """Resampled tiles' logits: the same bilinear resize as torch's (align_corners False), up and down."""
    y = np.random.default_rng(2).standard_normal((2, 3, 37, 37)).astype(np.float32)
    for size in (64, 20, 37):
        expected = torch.nn.functional.interpolate(torch.from_numpy(y), size=(size, size), mode="bilinear",
                                                   align_corners=False).numpy()
        np.testing.assert_allclose(inference.resized(y, size), expected, atol=1e-5)


def test_bands_pick_and_order_the_input_bands(tmp_path, model):
    """BANDS reads the named bands in the given order: the same as a raster holding just those."""
    six = make_raster(tmp_path / "six.tif", 70, 60, bands=6, seed=4)
    with rasterio.open(six) as src:
        profile, data = src.profile, src.read()
    profile.update(count=4)
    with rasterio.open(tmp_path / "four.tif", "w", **profile) as dst:
        dst.write(data[[5, 0, 2, 3]])
    classify_job(job(six, model, tmp_path / "a.tif", bands=[6, 1, 3, 4]), SilentReporter())
    classify_job(job(tmp_path / "four.tif", model, tmp_path / "b.tif"), SilentReporter())
    assert np.array_equal(read(tmp_path / "a.tif")[0], read(tmp_path / "b.tif")[0])
    for bands, message in (([1, 2, 3], "BANDS names 3 band"), ([1, 2, 3, 7], "BANDS 7 not in INPUT")):
        with pytest.raises(EngineError, match=message):
            classify_job(job(six, model, tmp_path / "c.tif", bands=bands), SilentReporter())
    assert not (tmp_path / "c.tif").exists()


@pytest.mark.parametrize("problem,message", [
    ("bands", "expects 4"),
    ("missing", "does not exist"),
    ("notraster", "not a raster"),
    ("extent", "does not overlap"),
    ("emptymask", "MASK has no polygons"),
    ("padding", "PADDING"),
    ("flow", "FLOW must be one of as_trained, down, right, up, left, not 'north'"),
    ("unrecorded", "does not record which way the glaciers of its training scenes flow: leave FLOW at as_trained"),
])
def test_bad_input_is_one_line_error_and_no_output(tmp_path, model, problem, message):
    inp = make_raster(tmp_path / "in.tif", 50, 50, bands=1 if problem == "bands" else 4)
    kw = {}
    if problem == "missing":
        inp = tmp_path / "nothing.tif"
    elif problem == "notraster":
        inp = tmp_path / "text.tif"
        inp.write_text("hello")
    elif problem == "extent":
        kw["extent"] = [0, 0, 10, 10]
    elif problem == "emptymask":
        (tmp_path / "m.geojson").write_text('{"type": "FeatureCollection", "features": []}')
        kw["mask"] = str(tmp_path / "m.geojson")
    elif problem == "padding":
        kw["padding"] = 40
    elif problem == "flow":
        kw["flow"] = "north"
    elif problem == "unrecorded":  # the test model does not say which way its glaciers flowed
        kw["flow"] = "left"
    before = sorted(tmp_path.iterdir())
    with pytest.raises(EngineError, match=message) as err:
        classify_job(job(inp, model, tmp_path / "out.tif", **kw), SilentReporter())
    assert "\n" not in str(err.value)
    assert sorted(tmp_path.iterdir()) == before


def test_cancel_mid_run_leaves_nothing(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 300, 300)

    class CancelAfterFirstBatch(SilentReporter):
        def progress(self, percent):
            super().progress(percent)
            self.cancel_requested = True

    with pytest.raises(EngineError, match="Cancelled"):
        classify_job(job(inp, model, tmp_path / "out.tif", output_probabilities=str(tmp_path / "p.tif"), tile_size=64,
                         batch_size=1), CancelAfterFirstBatch())
    assert [p.name for p in tmp_path.iterdir()] == ["in.tif"]


def test_existing_output_survives_a_failed_run(tmp_path, model):
    inp = make_raster(tmp_path / "in.tif", 50, 50, bands=1)
    (tmp_path / "out.tif").write_bytes(b"keep me")
    with pytest.raises(EngineError):
        classify_job(job(inp, model, tmp_path / "out.tif"), SilentReporter())
    assert (tmp_path / "out.tif").read_bytes() == b"keep me"


def test_tile_normalisation_sees_scenes_of_any_brightness_alike(tmp_path):
    from glacier_terminus.core.segmentation.package import Band, normalised

    rng = np.random.default_rng(1)
    values = rng.uniform(100, 3000, (2, 3, 40, 50)).astype(np.float32)
    valid = np.ones((2, 1, 40, 50), bool)
    valid[0, :, :5] = False
    bands = [Band(f"b{i}", 1000.0, 500.0) for i in range(3)]
    x = normalised(values, valid, bands, "tile")
    assert (x[0, :, :5] == 0).all(), "NoData stays 0"
    inside = x[0][:, valid[0, 0]]
    np.testing.assert_allclose(inside.mean(axis=1), 0, atol=1e-4)
    np.testing.assert_allclose(inside.std(axis=1), 1, atol=1e-4)
    # a brighter, flatter copy of the scene (gain and offset per band) reaches the network unchanged
    changed = values * np.array([0.3, 2.0, 0.8], np.float32)[:, None, None] + 500
    np.testing.assert_allclose(normalised(changed, valid, bands, "tile"), x, atol=1e-3)
    # the training data's statistics, as before
    np.testing.assert_allclose(normalised(values, None, bands, "dataset"), (values - 1000) / 500, rtol=1e-6)

    # end to end: a package that normalises tile by tile classifies the brighter raster alike
    model = make_package(tmp_path / "m", bands=1, tile=64)
    meta = json.loads((model / "model.json").read_text())
    (model / "model.json").write_text(json.dumps({**meta, "normalisation": "tile"}))
    assert load_package(model).normalisation == "tile"
    inp = make_raster(tmp_path / "in.tif", 64, 64, bands=1, nodata=None)
    with rasterio.open(inp) as src:
        profile, data = src.profile, src.read()
    with rasterio.open(tmp_path / "bright.tif", "w", **profile) as dst:
        dst.write(data * 2 + 1000)  # exact in uint16: brighter and with twice the contrast
    for name in ("in", "bright"):
        classify_job(job(tmp_path / f"{name}.tif", model, tmp_path / f"{name}_c.tif", bands=[1],
                         output_probabilities=str(tmp_path / f"{name}_p.tif")), SilentReporter())
    np.testing.assert_allclose(read(tmp_path / "bright_p.tif")[0], read(tmp_path / "in_p.tif")[0], atol=1e-4)
    (model / "model.json").write_text(json.dumps({**meta, "normalisation": "per-scene"}))
    with pytest.raises(EngineError, match="unknown normalisation 'per-scene'; known: dataset, tile"):
        load_package(model)


def test_class_rasters_keep_their_scenes_name_and_date_for_extraction(tmp_path, model):
    """A class raster named anything still gives fronts the scene's name and acquisition date: classify
    writes them into its outputs' tags and Extract Calving Front reads them before the file's name."""
    from glacier_terminus.core.fronts.extract import extract_front_job

    scene = make_raster(tmp_path / "LC08_L1TP_020007_20140801_20170420_01_T1_B2.tif", 96, 96)
    classify_job(job(scene, model, tmp_path / "classes.tif", output_probabilities=str(tmp_path / "p.tif")),
                 SilentReporter())
    for path in (tmp_path / "classes.tif", tmp_path / "p.tif"):
        with rasterio.open(path) as ds:
            assert ds.tags()["source"] == scene.name and ds.tags()["acquisition_date"] == "2014-08-01", path
    result = extract_front_job({"input": str(tmp_path / "classes.tif"), "output": str(tmp_path / "f.gpkg"),
                                "method": "zone_boundary"}, SilentReporter())
    assert result["date"] == "2014-08-01"


def test_a_front_without_any_date_is_a_warning(tmp_path, model):
    from glacier_terminus.core.fronts.extract import extract_front_job

    scene = make_raster(tmp_path / "scene.tif", 96, 96)
    classify_job(job(scene, model, tmp_path / "classes.tif"), SilentReporter())
    with rasterio.open(tmp_path / "classes.tif") as ds:
        assert "acquisition_date" not in ds.tags() and ds.tags()["source"] == "scene.tif"
    reporter = SilentReporter()
    result = extract_front_job({"input": str(tmp_path / "classes.tif"), "output": str(tmp_path / "f.gpkg"),
                                "method": "zone_boundary"}, reporter)
    assert result["date"] is None
    assert any("No acquisition date for scene.tif" in w for w in reporter.of("warning")), reporter.of("warning")


def test_date_is_written_into_the_outputs_and_a_bad_one_refused(tmp_path, model):
    inp = make_raster(tmp_path / "scene.tif", 40, 40)
    classify_job(job(inp, model, tmp_path / "c.tif", date="2019-08-02"), SilentReporter())
    with rasterio.open(tmp_path / "c.tif") as out:
        assert out.tags()["acquisition_date"] == "2019-08-02" and out.tags()["source"] == "scene.tif"
    with pytest.raises(EngineError, match=r"DATE 'last summer' is not a date \(YYYY-MM-DD\)"):
        classify_job(job(inp, model, tmp_path / "d.tif", date="last summer"), SilentReporter())
    assert not (tmp_path / "d.tif").exists()
