"""CSC Refine's engine: sampling, windows, the patch model, fully convolutional inference,
the modal filter, metrics, the ``csc_refine`` job on synthetic scenes and its bad inputs."""
from __future__ import annotations

import csv
import os

import numpy as np
import pytest
import rasterio
import torch
from helpers import write_classes
from rasterio.transform import from_origin

from glacier_terminus.core.csc import inference as ci
from glacier_terminus.core.csc.class_metrics import Confusion
from glacier_terminus.core.csc.model import PatchNet
from glacier_terminus.core.csc.refine import refine_job
from glacier_terminus.core.csc.sampling import StratifiedSample, patch_windows, strip_eligible, window_fits
from glacier_terminus.core.data.labels import open_labels
from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.synthetic import scenes as sy
from glacier_terminus.core.synthetic.writer import write_scene

# --------------------------------------------------------------------------- sampling


def checkerboard(height: int, width: int) -> np.ndarray:
    """Classes 1 / 2 in blocks 3 rows high and 5 columns wide: transposing (row, col) breaks it."""
    rows, cols = np.mgrid[0:height, 0:width]
    return (1 + ((rows // 3 + cols // 5) % 2)).astype(np.uint8)


def test_samples_carry_the_class_at_their_row_and_column():
    labels = checkerboard(60, 60)
    sampler = StratifiedSample(per_class=200, seed=1)
    for r0 in range(0, 60, 16):  # strips of 16 rows, the last one shorter
        strip = labels[r0: r0 + 16]
        sampler.add(strip, np.ones(strip.shape, bool), r0)
    s = sampler.result()
    assert len(s) == 400 and set(s.classes.tolist()) == {1, 2}
    assert np.array_equal(labels[s.rows, s.cols], s.classes)
    assert np.mean(labels[s.cols, s.rows] == s.classes) < 0.75  # swapped indices would not pass
    assert len(set(zip(s.rows.tolist(), s.cols.tolist(), strict=False))) == len(s)  # without replacement
    assert np.all(np.diff(s.rows * 60 + s.cols) > 0)  # sorted by position


def test_sampling_takes_every_pixel_of_a_small_class_and_leaves_absent_classes_absent():
    labels = np.ones((30, 30), np.uint8)
    labels[10:12, 10:13] = 5  # six pixels of class 5; no class 2, 3 or 4
    sampler = StratifiedSample(per_class=50, seed=0)
    sampler.add(labels, np.ones(labels.shape, bool), 0)
    s = sampler.result()
    assert s.eligible == {1: 894, 5: 6}
    assert (s.classes == 5).sum() == 6 and (s.classes == 1).sum() == 50


def test_eligible_windows_stay_inside_the_image_and_off_no_data():
    valid = np.ones((20, 30), bool)
    valid[8, 17] = False
    labels = np.ones((20, 30), np.uint8)
    labels[:, 0:3] = 0  # unknown in the coarse map
    fits = window_fits(valid, 2)
    assert not fits[:2].any() and not fits[-2:].any() and not fits[:, :2].any() and not fits[:, -2:].any()
    assert not fits[6:11, 15:20].any() and fits[5, 15] and fits[11, 20] and fits[2, 2]
    # by strips with up to `halo` extra rows: the same answer
    whole = fits & (labels > 0)
    for r0 in range(0, 20, 7):
        r1 = min(r0 + 7, 20)
        top, bottom = min(2, r0), min(2, 20 - r1)
        strip = strip_eligible(valid[r0 - top: r1 + bottom], labels[r0:r1], 2, top, bottom)
        assert np.array_equal(strip, whole[r0:r1])


def test_patch_windows_are_centred_on_their_pixel():
    rows, cols = np.mgrid[0:25, 0:40]
    image = np.stack([rows, cols]).astype(np.float32)  # band 0 = row, band 1 = column
    r = np.array([3, 10, 21])
    c = np.array([3, 30, 36])
    w = patch_windows(image, r, c, 3)
    assert w.shape == (3, 2, 7, 7)
    assert np.array_equal(w[:, 0, 3, 3], r) and np.array_equal(w[:, 1, 3, 3], c)
    assert np.array_equal(w[:, 0, :, 0] - r[:, None], np.tile(np.arange(-3, 4), (3, 1)))
    assert np.array_equal(w[:, 1, 0, :] - c[:, None], np.tile(np.arange(-3, 4), (3, 1)))
    with pytest.raises(ValueError):
        patch_windows(image, np.array([2]), np.array([10]), 3)


# --------------------------------------------------------------------------- model and inference


@pytest.mark.parametrize("patch", [1, 3, 7])
def test_fully_convolutional_inference_equals_patch_by_patch(patch):
    torch.manual_seed(patch)
    net = PatchNet(bands=3, classes=4, patch=patch).eval()
    for m in net.modules():  # running statistics other than 0 / 1, as after training
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    block = np.random.default_rng(patch).normal(size=(3, 41, 37)).astype(np.float32)
    with torch.no_grad():
        reference = net(torch.from_numpy(block)[None])[0].numpy()
    net = net.for_inference()  # batch normalisation folded: the same function
    fcn = ci.scores_fully_convolutional(net, block, "cpu")
    np.testing.assert_allclose(fcn, reference, rtol=1e-4, atol=1e-4)
    patches = ci.scores_by_patches(net, block, "cpu", batch=100)
    assert fcn.shape == patches.shape == (4, 41 - patch + 1, 37 - patch + 1)
    np.testing.assert_allclose(fcn, patches, rtol=1e-4, atol=1e-4)
    assert np.array_equal(fcn.argmax(0), patches.argmax(0))


def test_training_windows_are_shown_in_all_eight_orientations():
    from glacier_terminus.core.csc.model import dihedral

    x = torch.arange(9.0).reshape(1, 1, 3, 3)
    expected = {tuple(np.rot90(a, k).ravel()) for a in (x[0, 0].numpy(), x[0, 0].numpy().T) for k in range(4)}
    generator = torch.Generator().manual_seed(0)
    seen = {tuple(dihedral(x, generator)[0, 0].numpy().ravel()) for _ in range(200)}
    assert seen == expected and len(seen) == 8


def test_modal_filter_removes_specks_and_keeps_no_data():
    classes = np.full((20, 20), 3, np.uint8)
    classes[5, 5] = 1  # an isolated speck
    classes[:, 15:] = 4  # a real region
    valid = np.ones((20, 20), bool)
    valid[10:13, 2:4] = False
    classes[~valid] = 0
    out = ci.modal_filter(classes, valid, 2)
    assert out[5, 5] == 3 and (out[:, 16:] == 4).all() and (out[~valid] == 0).all()
    assert ci.modal_filter(classes, valid, 0) is classes


def test_blocks_cover_the_image_once():
    covered = np.zeros((1100, 700), int)
    for r0, r1, c0, c1 in ci.blocks(1100, 700, 512):
        covered[r0:r1, c0:c1] += 1
    assert (covered == 1).all()


def test_confusion_report_is_scikit_learns_on_the_full_arrays():
    from sklearn.metrics import classification_report

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 5, (60, 60)).astype(np.uint8)
    predicted = np.where(rng.random((60, 60)) < 0.7, truth, rng.integers(1, 5, (60, 60))).astype(np.uint8)
    confusion = Confusion()
    confusion.add(truth[:30], predicted[:30])
    confusion.add(truth[30:], predicted[30:])
    keep = truth > 0
    expected = classification_report(truth[keep], predicted[keep], labels=[1, 2, 3, 4], output_dict=True,
                                     zero_division=0)
    got = confusion.report([1, 2, 3, 4])
    for key in ("1", "4", "macro avg", "weighted avg"):
        for stat in ("precision", "recall", "f1-score", "support"):
            assert got[key][stat] == pytest.approx(expected[key][stat])
    assert got["accuracy"] == pytest.approx(np.mean(truth[keep] == predicted[keep]))


# --------------------------------------------------------------------------- the job


def two_class_scene(folder, size=160, nodata_box=None):
    """A dark / bright image split by a wavy line; a blocky (16 px majority) coarse map of it."""
    rows, cols = np.mgrid[0:size, 0:size]
    edge = size / 2 + 12 * np.sin(cols / 13.0)
    truth = np.where(rows < edge, 1, 2).astype(np.uint8)
    rng = np.random.default_rng(0)
    image = np.stack([np.where(truth == 1, 300.0, 700.0), np.where(truth == 1, 500.0, 400.0)])
    image += rng.normal(0, 40, image.shape)
    transform = from_origin(500000, 7000000, 30, 30)
    profile = dict(driver="GTiff", width=size, height=size, count=2, dtype="float32", crs="EPSG:32624",
                   transform=transform, nodata=-9999.0)
    if nodata_box is not None:
        image[:, nodata_box[0], nodata_box[1]] = -9999.0
    with rasterio.open(folder / "image.tif", "w", **profile) as dst:
        dst.write(image.astype(np.float32))
    names = {1: "open water", 2: "glacier ice"}
    write_classes(folder / "coarse.tif", sy.tile_majority(truth, 16), names=names, crs="EPSG:32624",
                  transform=transform)
    write_classes(folder / "truth.tif", truth, names=names, crs="EPSG:32624", transform=transform)
    return truth


def job(folder, **extra):
    return {"input": str(folder / "image.tif"), "coarse": str(folder / "coarse.tif"),
            "output": str(folder / "refined.tif"), "patch_size": 3, "samples_per_class": 1500, "epochs": 15,
            "patience": 5, "modal_filter": 0, "device": "cpu", "seed": 0, **extra}


def test_blocky_two_class_map_comes_back_with_edges_within_one_pixel(tmp_path):
    from scipy.ndimage import distance_transform_cdt

    truth = two_class_scene(tmp_path)
    result = refine_job(job(tmp_path, validation=str(tmp_path / "truth.tif")), SilentReporter())
    with rasterio.open(tmp_path / "refined.tif") as ds:
        refined = ds.read(1)
        assert ds.colormap(1)[2][:3] == sy.SURFACE_CLASSES[4][1]  # glacier ice's colour, found by its name
    # distance (in pixels, 8 neighbours) of every pixel to the nearest pixel of the other true class
    boundary = np.maximum(distance_transform_cdt(truth == 1, metric="chessboard"),
                          distance_transform_cdt(truth == 2, metric="chessboard"))
    wrong = refined != truth
    assert wrong.sum() < 0.02 * truth.size
    assert boundary[wrong].max() <= 1, f"a wrong pixel {boundary[wrong].max()} px from the edge"
    assert result["weighted_f1"]["refined"] > result["weighted_f1"]["coarse"]


def test_no_data_stays_no_data_and_metrics_and_report_are_written(tmp_path):
    two_class_scene(tmp_path, nodata_box=(slice(20, 40), slice(100, 130)))
    extra = dict(validation=str(tmp_path / "truth.tif"), output_metrics=str(tmp_path / "m.csv"),
                 report=str(tmp_path / "r.html"), modal_filter=1)
    result = refine_job(job(tmp_path, **extra), SilentReporter())
    with rasterio.open(tmp_path / "refined.tif") as ds:
        refined = ds.read(1)
        assert ds.nodata == 0
    assert (refined[20:40, 100:130] == 0).all()
    assert (np.delete(refined.ravel(), np.ravel_multi_index(np.mgrid[20:40, 100:130].reshape(2, -1), refined.shape))
            > 0).all()
    rows = list(csv.DictReader(open(tmp_path / "m.csv")))
    assert {r["map"] for r in rows} == {"coarse", "refined"}
    weighted = {r["map"]: float(r["f1"]) for r in rows if r["name"] == "weighted avg"}
    assert weighted == pytest.approx(result["weighted_f1"], abs=1e-4)
    page = (tmp_path / "r.html").read_text()
    assert "weighted avg" in page
    assert page.count("data:image/png;base64") == 2 and "glacier ice" in page


def test_nan_pixels_of_a_float_image_without_nodata_are_never_sampled(tmp_path):
    from glacier_terminus.core.csc.refine import job_settings, sample_pixels, sample_windows

    two_class_scene(tmp_path)
    with rasterio.open(tmp_path / "image.tif") as src:
        image, profile = src.read(), src.profile
    image[:, 50:70, 20:140] = np.nan  # no NODATA value: only the values say "no data"
    profile.pop("nodata")
    with rasterio.open(tmp_path / "nan.tif", "w", **profile) as dst:
        dst.write(image)
    settings = job_settings(job(tmp_path, patch_size=3, samples_per_class=5000))
    with rasterio.open(tmp_path / "nan.tif") as ds:
        coarse = open_labels(str(tmp_path / "coarse.tif"), ds, None, None, "COARSE")
        try:
            samples = sample_pixels(ds, [1, 2], coarse, settings, SilentReporter())
            windows = sample_windows(ds, [1, 2], samples, settings.halo, SilentReporter())
        finally:
            coarse.close()
    assert len(samples) > 1000 and np.isfinite(windows).all()
    result = refine_job(job(tmp_path, input=str(tmp_path / "nan.tif")), SilentReporter())
    with rasterio.open(result["output"]) as ds:
        refined = ds.read(1)
    assert (refined[50:70, 20:140] == 0).all() and (refined[:50] > 0).all()


def test_seven_class_scene_gains_five_points_of_weighted_f1(tmp_path):
    spec = sy.SceneSpec(width=480, height=480, seed=3)
    write_scene(spec, str(tmp_path / "image.tif"), surface_path=str(tmp_path / "truth.tif"))
    with rasterio.open(tmp_path / "truth.tif") as ds:
        truth, profile = ds.read(1), ds.profile
    with rasterio.open(tmp_path / "coarse.tif", "w", **profile) as dst:
        dst.write(sy.tile_majority(truth, 50), 1)  # no colour table: SEE_ICE's classes by default
    for patch in (1, 7):
        result = refine_job(job(tmp_path, patch_size=patch, samples_per_class=1000, epochs=12,
                                validation=str(tmp_path / "truth.tif")), SilentReporter())
        gain = result["weighted_f1"]["refined"] - result["weighted_f1"]["coarse"]
        assert gain >= 0.05, f"patch {patch}: {result['weighted_f1']}"
    assert result["classes"]["4"] == "glacier ice"
    with rasterio.open(tmp_path / "refined.tif") as ds:
        assert ds.colormap(1)[4][:3] == sy.SURFACE_CLASSES[4][1]


def test_held_out_samples_measure_the_refined_map_without_validation(tmp_path):
    two_class_scene(tmp_path)
    result = refine_job(job(tmp_path, output_metrics=str(tmp_path / "m.csv")), SilentReporter())
    rows = list(csv.DictReader(open(tmp_path / "m.csv")))
    assert {r["reference"] for r in rows} == {"held-out coarse samples"} and {r["map"] for r in rows} == {"refined"}
    assert 0.5 < result["weighted_f1"]["refined"] <= 1.0


def test_polygon_coarse_map_is_rasterised(tmp_path):
    import json

    two_class_scene(tmp_path)
    x0, y0 = 500000, 7000000
    def box(c0, r0, c1, r1):
        return [[[x0 + 30 * c0, y0 - 30 * r0], [x0 + 30 * c1, y0 - 30 * r0], [x0 + 30 * c1, y0 - 30 * r1],
                 [x0 + 30 * c0, y0 - 30 * r1], [x0 + 30 * c0, y0 - 30 * r0]]]
    features = [{"type": "Feature", "properties": {"kind": "open water"}, "geometry": {"type": "Polygon",
                 "coordinates": box(10, 5, 150, 50)}},
                {"type": "Feature", "properties": {"kind": "glacier ice"}, "geometry": {"type": "Polygon",
                 "coordinates": box(10, 110, 150, 155)}}]
    (tmp_path / "drawn.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = refine_job(job(tmp_path, coarse=str(tmp_path / "drawn.geojson"), class_field="kind",
                            validation=str(tmp_path / "truth.tif")), SilentReporter())
    assert result["classes"] == {"1": "glacier ice", "2": "open water"}  # names numbered in sorted order
    with rasterio.open(tmp_path / "refined.tif") as ds:
        refined = ds.read(1)
    assert (refined > 0).all() and len(np.unique(refined)) == 2


# --------------------------------------------------------------------------- bad input


def outputs_in(folder) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_coarse_map_with_one_class_is_an_error_and_writes_nothing(tmp_path):
    two_class_scene(tmp_path)
    write_classes(tmp_path / "coarse.tif", np.ones((160, 160), np.uint8), crs="EPSG:32624",
                  transform=from_origin(500000, 7000000, 30, 30))
    before = outputs_in(tmp_path)
    with pytest.raises(EngineError, match="one class only.*nothing to learn"):
        refine_job(job(tmp_path, output_metrics=str(tmp_path / "m.csv")), SilentReporter())
    assert outputs_in(tmp_path) == before


@pytest.mark.parametrize("patch,message", [
    (0, "Parameter PATCH_SIZE must be at least 1, not 0"), (2, "PATCH_SIZE must be odd"),
    (8, "PATCH_SIZE must be odd"), (-3, "Parameter PATCH_SIZE must be at least 1, not -3"),
    (33, "Parameter PATCH_SIZE must be at most 31, not 33"),
])
def test_even_or_small_patch_sizes_are_rejected(tmp_path, patch, message):
    two_class_scene(tmp_path)
    with pytest.raises(EngineError, match=message):
        refine_job(job(tmp_path, patch_size=patch), SilentReporter())


def test_coarse_map_on_another_grid_is_resampled_with_a_warning(tmp_path):
    truth = two_class_scene(tmp_path)
    coarse = sy.tile_majority(truth, 16)[::16, ::16]  # one pixel per 16 px tile: 480 m cells
    write_classes(tmp_path / "coarse.tif", coarse, names={1: "open water", 2: "glacier ice"}, crs="EPSG:32624",
                  transform=from_origin(500000, 7000000, 480, 480))
    reporter = SilentReporter()
    result = refine_job(job(tmp_path, validation=str(tmp_path / "truth.tif")), reporter)
    warnings = [m["warning"] for m in reporter.messages if "warning" in m]
    assert any("COARSE is on another grid" in w and "nearest neighbour" in w for w in warnings)
    assert result["weighted_f1"]["refined"] > result["weighted_f1"]["coarse"]


def test_bad_output_names_are_refused_before_any_work(tmp_path):
    two_class_scene(tmp_path)
    with pytest.raises(EngineError, match=r"OUTPUT must be a GeoTIFF file \(.tif or .tiff\)"):
        run_job("csc_refine", job(tmp_path, output=str(tmp_path / "refined.png")))
    with pytest.raises(EngineError, match=r"OUTPUT_METRICS must be a CSV file \(.csv\)"):
        run_job("csc_refine", job(tmp_path, output_metrics=str(tmp_path / "m.txt")))
    assert "refined.tif" not in outputs_in(tmp_path)


def test_inputs_are_not_modified(tmp_path):
    import hashlib

    two_class_scene(tmp_path)
    digest = {n: hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("image.tif", "coarse.tif")}
    refine_job(job(tmp_path, epochs=2), SilentReporter())
    assert digest == {n: hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in digest}
    assert not [n for n in os.listdir(tmp_path) if "partial" in n]


def test_a_lone_last_training_sample_joins_the_batch_before_it():
    from glacier_terminus.core.csc.model import batch_bounds, train_patch_net

    assert batch_bounds(22, 7) == [(0, 7), (7, 14), (14, 22)]
    assert batch_bounds(21, 7) == [(0, 7), (7, 14), (14, 21)]
    assert batch_bounds(1, 7) == [(0, 1)]
    # 22 training windows in batches of 7 used to leave one window alone, which batch normalisation
    # cannot train on ("Expected more than 1 value per channel")
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 11)
    windows = (rng.normal(size=(22, 1, 5, 5)) + labels[:, None, None, None]).astype(np.float32)
    result = train_patch_net(windows, labels, 2, epochs=2, patience=0, device="cpu", reporter=SilentReporter(),
                             held_out=0.0, batch=7)
    assert len(result.history) == 2
    with pytest.raises(EngineError, match="at least 2"):
        train_patch_net(windows[:1], labels[:1], 2, epochs=1, patience=0, device="cpu", reporter=SilentReporter(),
                        held_out=0.0)
